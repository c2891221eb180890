"""A coordinator screens a candidate end to end in a real browser (issue 4)."""

import re
from io import BytesIO

import pytest
from pypdf import PdfReader
from playwright.sync_api import expect

from screening.models import Candidate, ReferenceRange
from tests.conftest import eligible_record, with_lab
from tests.e2e.conftest import E2E_PASSWORD

pytestmark = pytest.mark.e2e

SITE_ULNS = [("bilirubin", "umol/L", "21"), ("alt", "U/L", "40"), ("ast", "U/L", "40"),
             ("creatinine", "umol/L", "104"), ("creatinine", "mg/dL", "1.18")]
LABS = [  # test, value, unit (the template rows come in this order)
    ("anc", "2100", "/uL"), ("platelets", "120", "10*9/L"), ("haemoglobin", "11.2", "g/dL"),
    ("bilirubin", "12", "umol/L"), ("alt", "32", "U/L"), ("ast", "35", "U/L"), ("creatinine", "70", "umol/L"),
]


@pytest.fixture
def site(db, make_candidate):
    for test, unit, uln in SITE_ULNS:
        ReferenceRange.objects.create(test=test, unit=unit, uln=uln)
    make_candidate(screening_number="NLX-S-001", initials="WXL")
    make_candidate(**with_lab(eligible_record(screening_number="NLX-S-002", initials="CYF"), "platelets", value="95"))
    make_candidate(screening_number="NLX-S-003", initials="LHM", ecog=None)


def live(page, criterion):
    return page.locator(f'#live-checklist [data-criterion="{criterion}"]')


def open_lab_settings(page):
    """Open the lab panel's "Units, ULNs and dates per result" (where the units and ULN inputs are)."""
    page.locator("details.lab-panel-settings").evaluate("details => { details.open = true; }")


def fill_new_candidate(page):
    page.get_by_label("Screening number").fill("NLX-S-101")
    page.get_by_label("Initials").fill("LQ")
    page.get_by_label("Screening date").fill("2026-03-02")
    page.get_by_label("Informed consent signed on").fill("2026-03-01")
    page.get_by_label("Date of birth").fill("1961-05-14")
    page.get_by_label("Sex").select_option("female")
    page.get_by_label("Weight (kg)").fill("58.5")

    page.get_by_label("Diagnosis type").select_option("NEC")
    page.get_by_label("Confirmation").select_option("histological")
    page.get_by_label("Primary site").fill("pancreas")
    page.get_by_label("Metastatic disease").select_option("True")

    page.get_by_label("Prior systemic therapy lines").fill("1")
    page.get_by_label("Prior line failed").select_option("True")
    page.get_by_label("ECOG performance status").fill("1")
    page.get_by_label("Life expectancy (months)").fill("6")

    page.get_by_label("Liver metastases").select_option("True")
    page.locator("#id_lesions-0-site").fill("liver segment VII")
    page.locator("#id_lesions-0-kind").select_option("non_nodal")
    page.locator("#id_lesions-0-method").select_option("CT")
    page.locator("#id_lesions-0-size_mm").fill("23")
    page.locator("#id_lesions-0-slice_thickness_mm").fill("5")
    page.locator("#id_lesions-0-imaged_on").fill("2026-02-26")
    page.locator("#id_lesions-0-locally_treated").select_option("False")

    page.get_by_label("Blood drawn on").fill("2026-02-27")  # one blood draw for the whole panel
    for index, (test, value, unit) in enumerate(LABS):
        expect(page.locator(f"#id_labs-{index}-test")).to_have_value(test)
        page.locator(f"#id_labs-{index}-value").fill(value)
    open_lab_settings(page)
    for index, (test, value, unit) in enumerate(LABS):
        page.locator(f"#id_labs-{index}-unit").select_option(unit)

    page.get_by_label("Planned first dose (Asia/Shanghai)").fill("2026-03-10T09:00")
    page.get_by_label("Blood components or growth factors given").select_option("False")

    page.get_by_label("Childbearing potential", exact=True).select_option("True")
    page.get_by_label("Agrees to use contraception").select_option("True")
    page.locator("#id_pregnancy_tests-0-specimen").select_option("serum")
    page.locator("#id_pregnancy_tests-0-result").select_option("negative")
    page.locator("#id_pregnancy_tests-0-collected").fill("2026-03-08T10:30")


@pytest.mark.requirement("URS-UI-005", "URS-CAND-008")
def test_coordinator_screens_a_candidate_end_to_end(page, site, e2e_user, screenshot, axe_check):
    e2e_user("coordinator")

    # Log in: the app sends an anonymous visitor to the login page first.
    page.goto("/candidates/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/candidates/"))
    screenshot("00-login")
    page.get_by_label("Username").fill("e2e-coordinator")
    page.get_by_label("Password").fill(E2E_PASSWORD)
    page.get_by_role("button", name="Log in").click()

    # The list.
    expect(page.get_by_role("heading", name="Candidates")).to_be_visible()
    expect(page.locator("table.candidate-table tbody tr")).to_have_count(3)
    axe_check(page)
    screenshot("01-candidate-list")

    # A new candidate: ANC in /uL, creatinine in umol/L with the site's ULN prefilled.
    page.get_by_role("link", name="New candidate").click()
    expect(page.locator("#id_labs-6-uln")).to_have_value("104")
    fill_new_candidate(page)
    expect(page.locator("#live-checklist [data-outcome]")).to_have_attribute("data-outcome", "eligible")
    expect(live(page, "anc")).to_contain_text("2100")
    expect(live(page, "renal_function")).to_have_attribute("data-status", "pass")
    axe_check(page)
    screenshot("02-candidate-form")
    page.get_by_role("button", name="Save and evaluate").click()

    # The checklist, from the stored evaluation.
    expect(page).to_have_url(re.compile(r"/candidates/NLX-S-101/$"))
    banner = page.locator(".outcome-banner")
    expect(banner).to_have_attribute("data-outcome", "eligible")
    expect(page.locator('[data-criterion="anc"]')).to_contain_text("Pass")
    expect(page.locator('[data-criterion="pregnancy_test"]')).to_contain_text("valid until 2026-03-11 10:30")
    candidate = Candidate.objects.get(screening_number="NLX-S-101")
    assert candidate.lab_results.get(test="anc").unit == "/uL"
    assert candidate.lab_results.get(test="creatinine").uln == 104
    axe_check(page)
    screenshot("03-checklist")

    # Platelets 120 -> 95: the row and the banner turn to fail live, nothing saved yet.
    page.get_by_role("link", name="Edit data").click()
    platelets = page.locator("#id_labs-1-value")
    expect(platelets).to_have_value("120")
    platelets.fill("95")
    expect(live(page, "platelets")).to_have_attribute("data-status", "fail")
    expect(live(page, "platelets")).to_contain_text("Fail")
    expect(page.locator("#live-checklist .outcome-banner")).to_have_attribute("data-outcome", "ineligible")
    expect(page.locator("#live-outcome")).to_have_text("Checklist updated: ineligible.")
    candidate.refresh_from_db()
    assert candidate.latest_evaluation.outcome == "eligible" and candidate.evaluations.count() == 1
    live(page, "platelets").scroll_into_view_if_needed()
    screenshot("04-live-update-platelets-95", full_page=False)

    # Save, then reload: the stored verdict is ineligible.
    page.get_by_role("button", name="Save and evaluate").click()
    expect(page).to_have_url(re.compile(r"/candidates/NLX-S-101/$"))  # (the form's live banner is ineligible too)
    expect(page.locator(".outcome-banner")).to_have_attribute("data-outcome", "ineligible")
    page.reload()
    expect(page.locator(".outcome-banner")).to_have_attribute("data-outcome", "ineligible")
    expect(page.locator('[data-criterion="platelets"]')).to_contain_text("Fail")
    candidate.refresh_from_db()
    assert candidate.evaluations.count() == 2 and candidate.latest_evaluation.failing == ",platelets,"
    screenshot("05-checklist-after-save")

    # Print view.
    page.get_by_role("link", name="Print view").click()
    expect(page.locator(".print-header")).to_contain_text("NLX-S-101")
    expect(page.locator(".print-facts")).to_contain_text("Protocol version1.0")
    expect(page.locator(".print-facts")).to_contain_text("by e2e-coordinator")
    page.emulate_media(media="print")
    screenshot("06-print-view")
    assert len(PdfReader(BytesIO(page.pdf(format="A4"))).pages) == 1  # one sheet for the paper file


@pytest.mark.requirement("URS-UI-005", "URS-CAND-009")
def test_lab_units_and_uln_follow_the_chosen_test(logged_in_page, site, screenshot):
    page = logged_in_page("coordinator")
    page.goto("/candidates/new/")
    page.get_by_role("button", name="Add another result").click()
    test, unit, uln = (page.locator(f"#id_labs-7-{name}") for name in ("test", "unit", "uln"))
    expect(test).to_be_focused()
    test.select_option("creatinine")
    expect(unit).to_have_value("umol/L")
    expect(uln).to_have_value("104")
    assert page.locator("#id_labs-7-unit option:not([hidden])").all_inner_texts() == ["—", "µmol/L", "mg/dL"]
    unit.select_option("mg/dL")
    expect(uln).to_have_value("1.18")
    uln.fill("1.3")  # typed over: a unit change keeps it
    unit.select_option("umol/L")
    expect(uln).to_have_value("1.3")
    test.select_option("platelets")
    expect(unit).to_have_value("10*9/L")


@pytest.mark.requirement("URS-UI-005", "URS-INPUT-009")
def test_removed_row_and_server_errors_are_shown_in_place(logged_in_page, site, screenshot, axe_check):
    page = logged_in_page("coordinator")
    page.goto("/candidates/NLX-S-001/edit/")
    page.locator("#id_labs-0-DELETE").check()
    anc_row = page.locator("#id_labs-0-DELETE").locator("xpath=ancestor::tr")
    expect(anc_row).to_have_class(re.compile("formset-row-deleted"))
    expect(live(page, "anc")).to_have_attribute("data-status", "missing")
    page.get_by_label("ECOG performance status").fill("7")
    page.get_by_role("button", name="Save and evaluate").click()
    expect(page.locator(".error-summary")).to_contain_text(
        "ECOG performance status: must be a whole number from 0 to 5")
    expect(page.get_by_label("ECOG performance status")).to_have_value("7")
    expect(page.get_by_label("ECOG performance status")).to_have_attribute("aria-invalid", "true")
    axe_check(page)
    screenshot("07-form-errors")
    assert Candidate.objects.get(screening_number="NLX-S-001").ecog == 1


@pytest.mark.requirement("URS-UI-005", "URS-ROLE-001")
def test_reader_gets_a_friendly_403_on_the_form(logged_in_page, site, screenshot, axe_check, console_errors):
    page = logged_in_page("monitor")
    response = page.goto("/candidates/new/")
    assert response.status == 403
    console_errors.remove(next(error for error in console_errors if "status of 403" in error))  # expected
    expect(page.get_by_role("heading", name="You do not have access to this page")).to_be_visible()
    axe_check(page)
    screenshot("08-forbidden")
