"""The coordinator, investigator and monitor flows in Chinese (the site's default) and in English, in a
real browser whose language is the reader's; screenshots of every main page in both languages at 1280 and
390 px (``tests/e2e/screenshots/zh-*.png``, ``en-*.png``).

A Chinese browser (Accept-Language zh-CN) and a user with no saved choice get Chinese; the English run
uses an English browser. Each page is checked for ``<html lang>``, axe (nothing serious or critical) and
clipped or overflowing text.
"""

import csv
import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from screening.models import Candidate, ReferenceRange, UserProfile
from tests.conftest import eligible_record, with_lab
from tests.e2e.conftest import E2E_PASSWORD, SCREENSHOTS
from tests.e2e.test_coordinator import open_lab_settings
from tests.e2e.test_labimport import CSV
from tests.labimport.conftest import ensure_seeded_mappings
from tests.protocol_files import register

pytestmark = [pytest.mark.e2e, pytest.mark.requirement("URS-I18N-001", "URS-I18N-003")]

WORDS = {
    "zh-hans": {
        "locale": "zh-CN", "lang": "zh-Hans", "username": "用户名", "password": "密码", "log_in": "登录",
        "candidates": "候选者", "new": "新建候选者", "number": "筛选号", "initials": "姓名缩写", "date": "筛选日期",
        "consent": "知情同意书签署日期", "ecog": "ECOG 体能状态", "save": "保存并评估", "eligible": "符合入选",
        "pass": "符合", "updated": "核查表已更新：不符合入选。", "fail": "不符合", "sign": "签署入选判定",
        "your_password": "您的密码", "sign_button": "签名", "signed": "已签名：本人确认该候选者符合",
        "exports": "数据导出", "download": "下载", "switch": "English", "platelets": "血小板计数",
        "import": "导入检验结果", "file": "检验结果文件", "preview": "预览", "apply": "应用：添加 8 条结果",
        "imported": "导入", "protocol": "方案", "versions": "方案版本", "impact": "方案修订影响",
        "reason": "重新评估原因", "percentage": "百分比而非绝对值",
    },
    "en": {
        "locale": "en-GB", "lang": "en", "username": "Username", "password": "Password", "log_in": "Log in",
        "candidates": "Candidates", "new": "New candidate", "number": "Screening number", "initials": "Initials",
        "date": "Screening date", "consent": "Informed consent signed on", "ecog": "ECOG performance status",
        "save": "Save and evaluate", "eligible": "Eligible", "pass": "Pass",
        "updated": "Checklist updated: ineligible.", "fail": "Fail", "sign": "Sign eligibility decision",
        "your_password": "Your password", "sign_button": "Sign", "signed": "Signed: I confirm this candidate meets",
        "exports": "Exports", "download": "Download", "switch": "简体中文", "platelets": "Platelet count",
        "import": "Import lab results", "file": "Lab results file", "preview": "Preview", "apply": "Apply: add 8 results",
        "imported": "imported", "protocol": "Protocol", "versions": "Protocol versions", "impact": "Amendment impact",
        "reason": "Reason for the re-evaluation",
        "percentage": "percentage, not an absolute count",
    },
}
WIDTHS = (1280, 390)
# Text that must never be cut off or run out of its box.
CLIPPABLE = "h1, h2, h3, label, .btn, .nav-link, th, .badge, .form-label, dt, .tile-label, .outcome-banner-title, .status"
OVERFLOW_JS = """(selector) => {
  const wide = el => el.getBoundingClientRect().right > window.innerWidth + 1;
  const culprits = [...document.querySelectorAll('body *')].filter(el => wide(el)
    && !(el.parentElement && wide(el.parentElement)))
    .map(el => `${el.tagName}.${el.className} "${el.textContent.trim().slice(0, 30)}"`).slice(0, 5);
  const page = document.documentElement.scrollWidth > window.innerWidth + 1
    ? [`page is ${document.documentElement.scrollWidth}px wide in a ${window.innerWidth}px window`, ...culprits] : [];
  const clipped = [...document.querySelectorAll(selector)].filter(el => {
    if (!el.offsetParent || el.closest('.table-responsive, .visually-hidden, .navbar-collapse:not(.show)')) return false;
    const style = getComputedStyle(el);
    const hides = ['hidden', 'clip'].includes(style.overflowX) || style.textOverflow === 'ellipsis';
    return hides && el.scrollWidth > el.clientWidth + 1;
  }).map(el => `clipped: ${el.tagName} "${el.textContent.trim().slice(0, 40)}"`);
  return page.concat(clipped);
}"""


@pytest.fixture
def reader(browser, live_server, console_errors, settings):
    """reader(language) -> a fresh page whose browser speaks that language (the site's default is Chinese)."""
    settings.LANGUAGE_CODE = "zh-hans"
    contexts = []

    def open_page(language):
        context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900},
                                      timezone_id="Asia/Shanghai", locale=WORDS[language]["locale"])
        contexts.append(context)
        page = context.new_page()
        page.on("console", lambda message: message.type == "error" and console_errors.append(message.text))
        page.on("pageerror", lambda error: console_errors.append(f"uncaught: {error}"))
        page.set_default_timeout(15_000)
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def site(db, make_candidate, e2e_user):
    for test, unit, uln in (("bilirubin", "umol/L", "21"), ("alt", "U/L", "40"), ("ast", "U/L", "40"),
                            ("creatinine", "umol/L", "104")):
        ReferenceRange.objects.create(test=test, unit=unit, uln=uln)
    make_candidate(screening_number="NLX-S-001", initials="WXL")
    make_candidate(**with_lab(eligible_record(screening_number="NLX-S-002", initials="CYF"), "platelets", value="95"))
    for role in ("coordinator", "investigator", "monitor"):
        e2e_user(role)


def check(page, language, name, axe_check, widths=WIDTHS):
    """<html lang>, axe, no clipped text; screenshots at each width."""
    expect(page.locator("html")).to_have_attribute("lang", WORDS[language]["lang"])
    axe_check(page)
    for width in widths:
        page.set_viewport_size({"width": width, "height": 900})
        problems = page.evaluate(OVERFLOW_JS, CLIPPABLE)
        assert not problems, (name, width, problems)
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=SCREENSHOTS / f"{language[:2]}-{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def field_label(word):
    """A form field's label, with or without the required-field asterisk."""
    return re.compile(rf"^\s*{re.escape(word)}\s*\*?\s*$")


def log_in(page, language, username):
    words = WORDS[language]
    page.goto("/candidates/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.get_by_label(words["username"]).fill(username)
    page.get_by_label(words["password"]).fill(E2E_PASSWORD)
    page.get_by_role("button", name=words["log_in"], exact=True).click()
    expect(page.get_by_role("heading", name=words["candidates"], exact=True)).to_be_visible()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_coordinator_creates_a_candidate_with_a_live_checklist(reader, site, language, axe_check):
    words = WORDS[language]
    page = reader(language)
    page.goto("/accounts/login/")
    check(page, language, "login", axe_check)
    log_in(page, language, "e2e-coordinator")
    check(page, language, "candidate-list", axe_check)

    page.get_by_role("link", name=words["new"]).click()
    page.get_by_label(field_label(words["number"])).fill("NLX-S-101")
    page.get_by_label(field_label(words["initials"])).fill("LQ")
    page.get_by_label(field_label(words["date"])).fill("2026-03-02")
    page.get_by_label(words["consent"]).fill("2026-03-01")
    page.get_by_label(words["ecog"]).fill("1")
    expect(page.locator("#live-checklist [data-criterion='ecog']")).to_contain_text(words["pass"])
    check(page, language, "candidate-form", axe_check)

    # The rest of an eligible record (by field id: the labels were checked above).
    record = eligible_record(screening_number="NLX-S-101")
    for name, value in (("date_of_birth", "1961-05-14"), ("weight_kg", "58.5"), ("primary_site", "pancreas"),
                        ("prior_systemic_lines", "1"), ("life_expectancy_months", "6")):
        page.locator(f"#id_{name}").fill(value)
    for name, value in (("sex", "female"), ("diagnosis_type", "NEC"), ("diagnosis_confirmation", "histological"),
                        ("metastatic", "True"), ("prior_line_failed", "True"), ("liver_metastases", "True"),
                        ("washout_any", "False"), ("childbearing_potential", "True"),
                        ("contraception_agreed", "True")):
        page.locator(f"#id_{name}").select_option(value)
    page.locator("#id_lesions_assessed").check()
    lesion = record["lesions"][0]
    page.locator("#id_lesions-0-kind").select_option(lesion["kind"])
    page.locator("#id_lesions-0-method").select_option(lesion["method"])
    page.locator("#id_lesions-0-size_mm").fill(lesion["size_mm"])
    page.locator("#id_lesions-0-slice_thickness_mm").fill(lesion["slice_thickness_mm"])
    page.locator("#id_lesions-0-imaged_on").fill(lesion["imaged_on"])
    page.locator("#id_lesions-0-locally_treated").select_option("False")
    page.locator("#id_labs_drawn_on").fill(record["labs"][0]["collected"])  # one blood draw for the panel
    open_lab_settings(page)
    for index in range(7):
        test = page.locator(f"#id_labs-{index}-test").input_value()
        lab = next(lab for lab in record["labs"] if lab["test"] == test)
        assert lab["collected"] == record["labs"][0]["collected"]
        page.locator(f"#id_labs-{index}-unit").select_option(lab["unit"])
        page.locator(f"#id_labs-{index}-value").fill(lab["value"])
        if lab["uln"]:
            page.locator(f"#id_labs-{index}-uln").fill(lab["uln"])
    page.locator("#id_planned_first_dose").fill("2026-03-10T09:00")
    page.locator("#id_pregnancy_tests-0-specimen").select_option("serum")
    page.locator("#id_pregnancy_tests-0-result").select_option("negative")
    page.locator("#id_pregnancy_tests-0-collected").fill("2026-03-08T10:30")
    expect(page.locator("#live-checklist [data-outcome]")).to_have_attribute("data-outcome", "eligible")
    expect(page.locator("#live-checklist .outcome-banner-title")).to_contain_text(words["eligible"])

    platelets = page.locator("#id_labs-1-value")
    platelets.fill("95")
    expect(page.locator("#live-outcome")).to_have_text(words["updated"])
    expect(page.locator("#live-checklist [data-criterion='platelets']")).to_contain_text(words["platelets"])
    platelets.fill("120")
    expect(page.locator("#live-checklist [data-outcome]")).to_have_attribute("data-outcome", "eligible")
    page.get_by_role("button", name=words["save"]).click()

    expect(page).to_have_url(re.compile(r"/candidates/NLX-S-101/$"))
    expect(page.locator(".outcome-banner")).to_have_attribute("data-outcome", "eligible")
    expect(page.locator("[data-criterion='anc']")).to_contain_text(words["pass"])
    assert Candidate.objects.get(screening_number="NLX-S-101").latest_evaluation.outcome == "eligible"
    check(page, language, "checklist", axe_check)
    page.goto("/candidates/NLX-S-101/print/")
    check(page, language, "print-view", axe_check, widths=(1280,))


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_investigator_signs_in_the_readers_language(reader, site, language, axe_check):
    words = WORDS[language]
    page = reader(language)
    log_in(page, language, "e2e-investigator")
    page.goto("/candidates/NLX-S-001/")
    page.get_by_role("link", name=words["sign"]).click()
    check(page, language, "sign", axe_check)
    page.get_by_label(words["your_password"]).fill(E2E_PASSWORD)
    page.get_by_role("button", name=words["sign_button"], exact=True).click()
    expect(page.locator(".alert-success").first).to_contain_text(words["signed"])
    check(page, language, "candidate-signed", axe_check)
    for url, name in (("/candidates/NLX-S-001/evaluations/", "evaluations"), ("/candidates/NLX-S-001/audit/", "audit"),
                      ("/log/", "log"), ("/log/consort/", "consort"), ("/dashboard/", "dashboard")):
        page.goto(url)
        check(page, language, name, axe_check)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_monitor_exports_with_machine_column_names(reader, site, language, axe_check):
    words = WORDS[language]
    page = reader(language)
    log_in(page, language, "e2e-monitor")
    page.get_by_role("link", name=words["exports"]).click()
    check(page, language, "exports", axe_check)
    with page.expect_download() as info:
        page.get_by_role("button", name=words["download"], exact=True).click()
    text = Path(info.value.path()).read_text(encoding="utf-8-sig")
    header = next(csv.reader(io.StringIO(text)))
    assert header[:2] == ["screening_number", "rescreen_of"] and "outcome" in header


def test_switching_language_in_the_navbar_is_remembered(reader, site, axe_check):
    page = reader("zh-hans")
    log_in(page, "zh-hans", "e2e-coordinator")
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", name="Candidates", exact=True)).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert UserProfile.objects.get(user__username="e2e-coordinator").language == "en"
    page.get_by_role("button", name="简体中文").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    assert UserProfile.objects.get(user__username="e2e-coordinator").language == "zh-hans"


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_lab_import_in_the_readers_language(reader, site, make_candidate, language, axe_check, settings, tmp_path):
    words = WORDS[language]
    settings.LAB_IMPORT_DIR = tmp_path / "imports"
    ensure_seeded_mappings()  # earlier live_server tests flush the migration's seed
    make_candidate(**eligible_record(screening_number="NLX-S-003", labs=[], pregnancy_tests=[]))
    path = tmp_path / "检验结果.csv"
    path.write_bytes(CSV.encode("gb18030"))
    page = reader(language)
    log_in(page, language, "e2e-coordinator")
    page.goto("/candidates/NLX-S-003/")
    page.get_by_role("link", name=words["import"]).click()
    check(page, language, "lab-import-upload", axe_check)
    page.get_by_label(words["file"]).set_input_files(str(path))
    page.get_by_role("button", name=words["preview"]).click()
    expect(page.locator('tr[data-source="line 3"]')).to_contain_text(words["percentage"])
    check(page, language, "lab-import-preview", axe_check)
    page.get_by_role("button", name=words["apply"]).click()
    expect(page.locator('[data-criterion="anc"] .imported-badge')).to_have_text(words["imported"])
    check(page, language, "lab-import-applied", axe_check)
    page.locator('[data-criterion="anc"] .imported-mark a').click()
    check(page, language, "lab-import-source", axe_check)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_protocol_pages_in_the_readers_language(reader, site, make_candidate, e2e_user, language, axe_check,
                                                settings, tmp_path):
    words = WORDS[language]
    make_candidate(screening_number="NLX-S-101", initials="LHM", ecog=2)
    register(settings, tmp_path)
    e2e_user("admin")
    page = reader(language)
    log_in(page, language, "e2e-admin")
    page.get_by_role("link", name=words["protocol"], exact=True).click()
    expect(page.get_by_role("heading", name=words["versions"])).to_be_visible()
    check(page, language, "protocol", axe_check)
    page.get_by_role("link", name=words["impact"]).click()
    expect(page.locator('tr[data-candidate="NLX-S-101"] [data-change="ecog"]')).to_be_visible()
    check(page, language, "amendment-impact", axe_check)
    page.get_by_label(words["reason"]).fill("EC-2026-07")
    page.locator("form[action$='/reevaluate/'] button[type=submit]").click()
    expect(page.get_by_role("status").first).to_contain_text("2.0-test")
