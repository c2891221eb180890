"""Issue 13 in a real browser: the live checklist never shows an old verdict, typed numbers are never changed,
no hidden ULN default, and the verdict stays in sight on a tablet and a phone."""

import pytest
from playwright.sync_api import expect

from screening.models import Candidate, ReferenceRange
from tests.e2e.test_coordinator import fill_new_candidate, open_lab_settings

pytestmark = pytest.mark.e2e

SITE_ULNS = [("bilirubin", "umol/L", "", "21"), ("alt", "U/L", "", "40"), ("ast", "U/L", "", "40"),
             ("creatinine", "umol/L", "female", "84"), ("creatinine", "umol/L", "male", "104")]


@pytest.fixture
def site(db):
    for test, unit, sex, uln in SITE_ULNS:
        ReferenceRange.objects.create(test=test, unit=unit, sex=sex, uln=uln)


def outcome(page):
    return page.locator("#live-checklist .outcome-banner")


def settled(page):
    """Wait until no live preview is in flight (one left pending would be aborted when the test closes)."""
    page.wait_for_timeout(500)  # the form's keystroke delay (400 ms)
    page.wait_for_function("() => !document.querySelector('.htmx-request')")


def new_candidate(logged_in_page, width=1280, height=900):
    page = logged_in_page("coordinator")
    page.set_viewport_size({"width": width, "height": height})
    page.goto("/candidates/new/")
    fill_new_candidate(page)
    expect(outcome(page)).to_have_attribute("data-outcome", "eligible")
    return page


@pytest.mark.requirement("URS-CAND-013", "URS-CAND-012")
@pytest.mark.parametrize("label, typed, fixed, names", [
    ("Weight (kg)", "-3", "58.5", "Weight (kg)"),
    ("ECOG performance status", "1.5", "1", "ECOG performance status"),
    ("Date of birth", "1961-05", "1961-05-14", "Date of birth"),
])
def test_checklist_never_keeps_an_old_verdict(logged_in_page, site, screenshot, label, typed, fixed, names):
    """The issue's frozen panel: weight −3, ECOG 1.5 or a half-typed date used to leave "Eligible" standing."""
    page = new_candidate(logged_in_page)
    field = page.get_by_label(label, exact=True)
    field.fill(typed)
    banner = outcome(page)
    expect(banner).to_have_attribute("data-outcome", "not_evaluated")
    expect(banner).to_contain_text("Not evaluated")
    link = banner.locator(".outcome-banner-summary a")
    expect(link).to_have_text(names)
    expect(page.locator("#live-checklist [data-criterion]")).to_have_count(0)  # no verdict row left standing
    link.click()
    expect(field).to_be_focused()
    if typed == "-3":
        screenshot("13-not-evaluated-weight", full_page=False)
    field.fill(fixed)
    expect(banner).to_have_attribute("data-outcome", "eligible")


@pytest.mark.requirement("URS-CAND-012")
def test_a_decimal_comma_is_an_error_and_stays_as_typed(logged_in_page, site, screenshot, axe_check):
    page = new_candidate(logged_in_page)
    haemoglobin = page.locator("#id_labs-2-value")
    haemoglobin.fill("11,2")
    expect(outcome(page)).to_contain_text("use a decimal point, e.g. 11.2")
    page.get_by_role("button", name="Save and evaluate").click()
    expect(page.locator(".error-summary a[href='#id_labs-2-value']")).to_have_text("Haemoglobin · Value")
    expect(page.locator("#id_labs-2-value")).to_have_value("11,2")  # never 112
    expect(page.locator("#id_labs-2-value ~ .invalid-feedback")).to_contain_text("use a decimal point")
    assert not Candidate.objects.exists()
    axe_check(page)
    screenshot("14-decimal-comma-error")


@pytest.mark.requirement("URS-CAND-009")
def test_a_blank_uln_is_an_error_never_filled_on_save(logged_in_page, site, screenshot):
    page = new_candidate(logged_in_page)
    open_lab_settings(page)
    page.locator("#id_labs-3-uln").fill("")  # bilirubin
    expect(outcome(page)).to_have_attribute("data-outcome", "not_evaluated")
    expect(outcome(page)).to_contain_text("is required for bilirubin")
    page.get_by_role("button", name="Save and evaluate").click()
    expect(page.locator(".error-summary")).to_contain_text("Bilirubin · ULN: is required for bilirubin")
    expect(page.locator("#id_labs-3-uln")).to_be_visible()  # the panel's units and ULNs open at an error
    expect(page.locator("#id_labs-3-uln")).to_have_value("")
    assert not Candidate.objects.exists()


@pytest.mark.requirement("URS-CAND-009")
def test_creatinine_uln_follows_the_sex_visibly_and_says_where_it_came_from(logged_in_page, site, screenshot):
    page = logged_in_page("coordinator")
    page.goto("/candidates/new/")
    uln = page.locator("#id_labs-6-uln")
    badge = page.locator('tr[data-test="creatinine"] [data-uln-badge]')
    shown = page.locator('tr[data-test="creatinine"] [data-uln-shown]')  # beside the value, in the panel
    expect(uln).to_have_value("")  # the limits differ by sex and none is recorded yet: no default
    expect(shown).to_have_text("")
    page.get_by_label("Sex").select_option("female")
    expect(uln).to_have_value("84")
    expect(shown).to_have_text("84")
    expect(badge).to_be_visible()
    expect(badge).to_have_text("site default")
    page.get_by_label("Sex").select_option("male")
    expect(uln).to_have_value("104")
    page.get_by_label("Sex").select_option("female")
    fill_new_candidate(page)
    expect(uln).to_have_value("84")
    page.locator("#id_labs-6-value").fill("130")  # 130 > 1.5 × 84: the clearance decides
    renal = page.locator('#live-checklist [data-criterion="renal_function"]')
    expect(renal).to_contain_text("ULN 84 µmol/L · site default")
    screenshot("15-female-creatinine-site-default", full_page=False)
    open_lab_settings(page)
    uln.fill("90")
    expect(badge).to_be_hidden()
    expect(shown).to_have_text("90")
    expect(renal).to_contain_text("ULN 90 µmol/L · from the report")
    page.get_by_role("button", name="Save and evaluate").click()
    expect(page.locator('[data-criterion="renal_function"]')).to_contain_text("ULN 90 µmol/L · from the report")
    creatinine = Candidate.objects.get().lab_results.get(test="creatinine")
    assert (creatinine.uln, creatinine.uln_source) == (90, "report")


@pytest.mark.requirement("URS-CAND-014")
def test_one_blood_draw_date_for_the_panel_and_a_result_of_its_own(logged_in_page, site):
    page = new_candidate(logged_in_page)
    open_lab_settings(page)
    expect(page.locator("#id_labs-0-collected")).to_have_attribute("placeholder", "2026-02-27")
    page.locator("#id_labs-0-collected").fill("2026-02-25")
    expect(page.locator('#live-checklist [data-criterion="anc"]')).to_contain_text("2026-02-25")
    expect(page.locator('#live-checklist [data-criterion="platelets"]')).to_contain_text("2026-02-27")
    page.get_by_role("button", name="Save and evaluate").click()
    labs = {lab.test: lab.collected.isoformat() for lab in Candidate.objects.get().lab_results.all()}
    assert labs.pop("anc") == "2026-02-25" and set(labs.values()) == {"2026-02-27"} and len(labs) == 6


@pytest.mark.requirement("URS-CAND-015", "URS-UI-005")
@pytest.mark.parametrize("width, height", [(820, 1180), (390, 844)])
def test_verdict_stays_in_sight_and_the_form_fits(logged_in_page, site, screenshot, axe_check, width, height):
    page = new_candidate(logged_in_page, width, height)
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scrolling
    verdict = page.locator("#live-verdict")
    page.locator("#id_labs-1-value").scroll_into_view_if_needed()
    page.locator("#id_labs-1-value").fill("95")
    expect(verdict.locator(".outcome-banner")).to_have_attribute("data-outcome", "ineligible")
    expect(verdict).to_contain_text("Platelets 95 ×10⁹/L < 100 ×10⁹/L")
    box = verdict.bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= height / 2, box  # on screen, above the form
    field = page.locator("#id_labs-1-value").bounding_box()
    assert field["y"] >= box["y"] + box["height"], (field, box)  # and not covering the field being typed
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    axe_check(page)
    screenshot(f"16-form-{width}px-sticky-verdict", full_page=False)
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(f"17-form-{width}px")
    settled(page)


@pytest.mark.requirement("URS-UI-005")
def test_form_at_1280_px(logged_in_page, site, screenshot, axe_check):
    page = new_candidate(logged_in_page)
    expect(page.locator("#live-verdict")).to_be_hidden()  # the checklist sits beside the form
    page.locator("#id_labs-1-value").fill("95")
    expect(outcome(page)).to_contain_text("Platelets 95 ×10⁹/L < 100 ×10⁹/L")
    page.locator("#id_labs-1-value").scroll_into_view_if_needed()
    expect(page.locator(".live-panel")).to_be_in_viewport()
    axe_check(page)
    screenshot("18-form-1280px", full_page=False)
    settled(page)
