"""The pages that came after the first Chinese catalogue, read in both languages: the lab import (upload,
preview with rejected rows, the applied file), the protocol versions and their diff, the amendment impact,
the refusals of the request guard (400, 413), the re-authentication of a signature and its lockout."""

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import loader
from django.urls import reverse

from screening import roles
from tests.conftest import PASSWORD
from tests.i18n.pages import chinese_in, html_lang, leftover_english
from tests.i18n.test_pages import DATA
from tests.labimport.conftest import ensure_seeded_mappings, fixture_bytes
from tests.protocol_files import register

pytestmark = pytest.mark.requirement("URS-I18N-001")

# Values of the files and versions these pages show as they are.
FILE_DATA = [*DATA, "lis-gb18030.csv", "2.0-test", "life_expectancy", "lab_window_days", "ecog", "max", "LIS",
             "FHIR", "JSON", "LOINC", "Observation", "Bundle", "GB18030", "final", "amended", "corrected", "hCG",
             "GLU", "NEUT"]  # the file's own test codes, quoted in the reasons its rows are rejected


@pytest.fixture
def readers(db, users, settings, tmp_path):
    """An admin who reads every page; lab import files kept in a temporary directory."""
    settings.LAB_IMPORT_DIR = tmp_path / "lab-imports"
    ensure_seeded_mappings()
    admin = users[roles.ADMIN]
    admin.is_superuser = True
    admin.save()
    return users


def both_languages(client, url, **headers):
    """(Chinese page, English page) of ``url``."""
    chinese = client.get(url, **headers)
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en", **headers)
    return chinese, english


def assert_each_in_its_language(chinese, english, *, data=FILE_DATA, status=200):
    assert chinese.status_code == english.status_code == status, (chinese.status_code, english.status_code)
    chinese, english = chinese.content.decode(), english.content.decode()
    assert html_lang(chinese) == "zh-Hans" and html_lang(english) == "en"
    left = leftover_english(chinese, data=data)
    assert left == [], " ".join(left)
    left = chinese_in(english, data=CHINESE_DATA)
    assert left == [], " ".join(left)


# Chinese values in the LIS file itself (test names, specimens), shown as the file wrote them.
CHINESE_DATA = ["中性粒细胞绝对值", "中性粒细胞百分比", "血小板计数", "血红蛋白", "总胆红素", "丙氨酸氨基转移酶",
                "天门冬氨酸氨基转移酶", "肌酐", "人绒毛膜促性腺激素", "葡萄糖", "全血", "血清", "阴性",
                "项目代码", "项目名称", "结果", "单位", "参考范围", "采集时间", "阳性", "～",
                # typed by the users of these tests (query texts), and a row's label as it read when queried
                "请核对原始病历中的 ECOG 评分。", "采集日期？", "实验室检查结果", "实验室检查", "中性粒细胞绝对值"]


def test_lab_import_upload_preview_and_applied_file(chinese, readers, client, make_candidate):
    candidate = make_candidate(labs=[], pregnancy_tests=[])
    client.force_login(readers[roles.ADMIN])
    upload_url = reverse("screening:lab_import_upload", args=[candidate.screening_number])
    assert_each_in_its_language(*both_languages(client, upload_url))
    uploaded = client.post(upload_url, {"source": SimpleUploadedFile("lis-gb18030.csv", fixture_bytes("lis-gb18030.csv"),
                                                                      content_type="text/csv")})
    assert uploaded.status_code == 302
    chinese, english = both_languages(client, uploaded["Location"])
    page = chinese.content.decode()
    assert "拒收" in page and "百分比而非绝对值" in page and "第 3 行" in page
    assert_each_in_its_language(chinese, english)
    plan = chinese.context["plan"]
    applied = client.post(reverse("screening:lab_import_apply", args=[candidate.screening_number, plan.sha256]),
                          {"version": plan.version, "digest": plan.digest}, follow=True)
    assert "已从 lis-gb18030.csv 导入" in applied.content.decode()
    lab_import = candidate.lab_imports.get()
    detail = reverse("screening:lab_import_detail", args=[candidate.screening_number, lab_import.pk])
    assert_each_in_its_language(*both_languages(client, detail))
    assert_each_in_its_language(*both_languages(client, reverse("screening:candidate_detail",
                                                                args=[candidate.screening_number])))


def test_an_unreadable_file_is_refused_in_the_readers_language(chinese, readers, client, make_candidate):
    candidate = make_candidate(labs=[], pregnancy_tests=[])
    client.force_login(readers[roles.ADMIN])
    url = reverse("screening:lab_import_upload", args=[candidate.screening_number])
    response = client.post(url, {"source": SimpleUploadedFile("old.xls", b"\xd0\xcf\x11\xe0" + b"\0" * 600,
                                                              content_type="application/vnd.ms-excel")})
    assert response.status_code == 400
    assert "旧版 Excel .xls 文件" in response.content.decode()


def test_protocol_versions_diff_and_amendment_impact(chinese, readers, client, make_candidate, settings, tmp_path):
    make_candidate(screening_number="NLX-S-101", ecog=2)
    register(settings, tmp_path)
    client.force_login(readers[roles.ADMIN])
    chinese_page, english = both_languages(client, "/protocol/")
    assert "变更的参数" in chinese_page.content.decode()
    assert_each_in_its_language(chinese_page, english)
    chinese_page, english = both_languages(client, "/protocol/impact/")
    page = chinese_page.content.decode()
    assert "方案修订影响" in page and 'data-candidate="NLX-S-101"' in page and "不符合 → <strong>符合</strong>" in page
    assert_each_in_its_language(chinese_page, english)
    response = client.post("/protocol/impact/reevaluate/", {"reason": "伦理委员会批准 2026-01"}, follow=True)
    assert "已按方案 2.0-test 重新评估 1 位候选者" in response.content.decode()


def test_request_guard_refusals(chinese, readers, client):
    client.force_login(readers[roles.COORDINATOR])
    assert_each_in_its_language(*both_languages(client, "/candidates/%01/"), status=400)
    too_large = settings.REQUEST_BODY_MAX_BYTES + 1
    chinese_page, english = (client.post("/candidates/new/", data=b"", content_type="text/plain",
                                         CONTENT_LENGTH=str(too_large), **language)
                             for language in ({}, {"HTTP_ACCEPT_LANGUAGE": "en"}))
    assert "请求过大" in chinese_page.content.decode()
    assert_each_in_its_language(chinese_page, english, status=413)


def test_signature_re_authentication_and_lockout(chinese, readers, client, make_candidate):
    candidate = make_candidate(user=readers[roles.COORDINATOR])
    client.force_login(readers[roles.INVESTIGATOR])
    url = f"/candidates/{candidate.screening_number}/sign/"
    post = {"evaluation": candidate.latest_evaluation_id, "password": "wrong-password"}
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(url, post, REMOTE_ADDR="192.0.2.10")
        assert "密码：密码不正确。未签名。" in response.content.decode()
        assert leftover_english(response.content.decode(), data=FILE_DATA) == []
    response = client.post(url, post, REMOTE_ADDR="192.0.2.10")
    assert response.status_code in (403, 429)  # the service's refusal, or django-axes' lockout page
    page = response.content.decode()
    assert "密码错误次数过多" in page or "登录失败次数过多" in page
    assert PASSWORD  # the right password is not tried: the session is over


@pytest.mark.parametrize("cooloff", ["0:15:00", ""])
def test_login_lockout_page(chinese, db, cooloff):
    html = loader.render_to_string("registration/locked_out.html",
                                   {"failure_limit": 5, "username": "investigator", "cooloff_timedelta": cooloff})
    assert "登录失败次数过多" in html and leftover_english(html, data=FILE_DATA) == []


@pytest.mark.requirement("URS-INPUT-006")
def test_the_engines_refusals_read_in_the_readers_language(chinese):
    from screening import eligibility, verdicts
    from tests.conftest import eligible_record, with_lab

    record = with_lab(eligible_record(), "anc", value="1200")
    try:
        eligibility.parse_candidate(record)
    except eligibility.InvalidRecord as error:
        refusal = error
    assert refusal.message == ("1200 ×10⁹/L is outside the plausible ANC value range 0–100 ×10⁹/L: check the unit; "
                               "1200 would fit /µL or /mm³")  # English, as stored and as the command prints
    assert verdicts.invalid(refusal) == ("1200 ×10⁹/L 超出中性粒细胞绝对值结果的合理范围 0–100 ×10⁹/L：请核对单位；"
                                         "1200 符合以 /µL 或 /mm³ 为单位的范围")


def test_a_typed_implausible_weight_is_refused_in_chinese(chinese, readers, client):
    from tests.conftest import eligible_record
    from tests.test_forms import form_data

    client.force_login(readers[roles.COORDINATOR])
    response = client.post("/candidates/new/", form_data(eligible_record(screening_number="NLX-S-201",
                                                                         weight_kg="580")))
    page = response.content.decode()
    assert "580 kg 超出合理范围 20–300 kg：请核对单位（千克）" in page


def test_work_queue_queries_and_source_data_verification(chinese, readers, client, make_candidate):
    from screening.services import queries

    candidate = make_candidate(user=readers[roles.COORDINATOR])
    make_candidate(screening_number="NLX-S-003", ecog=None)
    query = queries.raise_query(candidate=candidate, item="ecog", text="请核对原始病历中的 ECOG 评分。",
                                user=readers[roles.MONITOR])
    lab = candidate.lab_results.first()
    queries.raise_query(candidate=candidate, item=f"lab_results:{lab.pk}", text="采集日期？", user=readers[roles.MONITOR])
    for role, urls in (
        (roles.MONITOR, ["/", "/queries/", f"/queries/{query.pk}/", "/candidates/NLX-S-001/source/",
                         "/candidates/NLX-S-001/queries/new/?item=weight_kg", "/candidates/NLX-S-001/"]),
        (roles.COORDINATOR, ["/", f"/queries/{query.pk}/", "/candidates/", "/dashboard/"]),
        (roles.INVESTIGATOR, ["/", "/candidates/NLX-S-001/sign/", "/log/"]),
    ):
        client.force_login(readers[role])
        for url in urls:
            chinese_page, english = both_languages(client, url)
            assert_each_in_its_language(chinese_page, english, data=[*FILE_DATA, "WXL"])
    client.force_login(readers[roles.INVESTIGATOR])
    page = client.get("/candidates/NLX-S-001/sign/").content.decode()
    assert "暂不能签名" in page and "核查 #" in page
