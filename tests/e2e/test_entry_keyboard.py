"""Fewer keystrokes, nothing guessed (issue 13): ISO 8601 basic-format dates, fields that do not apply are no
Tab stops (a value in one is kept in sight), the lab values one Tab apart, the pregnancy test's row offered."""

import pytest
from playwright.sync_api import expect

from screening.models import Candidate
from tests.e2e.test_coordinator import fill_new_candidate
from tests.e2e.test_entry import outcome, settled, site  # noqa: F401 (the site's reference ranges)

pytestmark = pytest.mark.e2e


def focused(page):
    return page.evaluate("() => document.activeElement.name")


def tab_to(page, name):
    page.keyboard.press("Tab")
    assert focused(page) == name


@pytest.mark.requirement("URS-CAND-012")
def test_basic_format_dates_are_read_and_shown_in_the_extended_form(logged_in_page, site):  # noqa: F811
    page = logged_in_page("coordinator")
    page.goto("/candidates/new/")
    fill_new_candidate(page)
    screening_date = page.get_by_label("Screening date")
    screening_date.fill("")
    screening_date.press_sequentially("20260302")
    expect(screening_date).to_have_value("20260302")  # as typed while typing
    screening_date.press("Tab")
    expect(screening_date).to_have_value("2026-03-02")
    first_dose = page.get_by_label("Planned first dose (Asia/Shanghai)")
    first_dose.fill("")
    first_dose.press_sequentially("20260310 0900")
    first_dose.press("Tab")
    expect(first_dose).to_have_value("2026-03-10 09:00")
    expect(outcome(page)).to_have_attribute("data-outcome", "eligible")

    birth = page.get_by_label("Date of birth")
    # Not eight digits: left as typed. Eight digits are punctuated (the same digits), and read by the server:
    # 30 February is an error, never the nearest real date.
    for wrong, shown in (("1961051", "1961051"), ("196113 01", "196113 01"), ("19610230", "1961-02-30")):
        birth.fill(wrong)
        birth.press("Tab")
        expect(birth).to_have_value(shown)
        expect(outcome(page)).to_have_attribute("data-outcome", "not_evaluated")
        expect(outcome(page).locator(".outcome-banner-summary a")).to_have_text("Date of birth")
    settled(page)
    page.get_by_role("button", name="Save and evaluate").click()
    expect(page.locator(".error-summary a[href='#id_date_of_birth']")).to_have_text("Date of birth")
    expect(page.locator(".error-summary")).to_contain_text("“1961-02-30” is not a calendar date")
    birth.fill("19610514")
    page.get_by_role("button", name="Save and evaluate").click()
    expect(page.locator(".error-summary")).to_have_count(0)
    candidate = Candidate.objects.get()
    assert str(candidate.date_of_birth) == "1961-05-14" and str(candidate.screening_date) == "2026-03-02"


@pytest.mark.requirement("URS-CAND-016", "URS-CAND-014")
def test_fields_that_do_not_apply_are_no_tab_stops(logged_in_page, site, screenshot, axe_check):  # noqa: F811
    page = logged_in_page("coordinator")
    page.goto("/candidates/new/")
    page.get_by_label("Diagnosis type").focus()
    page.keyboard.type("N")  # NEC: the NE component (read for a MiNEN) is skipped
    tab_to(page, "diagnosis_confirmation")
    tab_to(page, "primary_site")
    tab_to(page, "metastatic")
    tab_to(page, "prior_systemic_lines")

    page.locator("#id_labs-0-value").focus()  # the panel's values one Tab apart, in the report's order
    for index in range(1, 7):
        tab_to(page, f"labs-{index}-value")

    page.get_by_label("Sex").select_option("female")
    washout = page.get_by_label("Blood components or growth factors given")
    washout.focus()
    page.keyboard.type("N")
    expect(washout).to_have_value("False")
    expect(page.get_by_label("Last given on")).to_be_hidden()
    tab_to(page, "childbearing_potential")  # not the last date, not the partner's potential
    page.keyboard.type("Y")
    tab_to(page, "contraception_agreed")
    tab_to(page, "pregnancy_tests-0-specimen")  # the row is offered: no "add" to press
    expect(page.get_by_label("Partner of childbearing potential (male candidates)")).to_be_hidden()
    axe_check(page)

    page.get_by_label("Sex").select_option("male")
    expect(page.get_by_label("Childbearing potential", exact=True)).to_be_visible()  # it holds "Yes": kept
    expect(page.locator("#div_id_childbearing_potential ~ [data-not-applicable]")).to_be_visible()
    page.get_by_label("Childbearing potential", exact=True).select_option("")  # cleared: hidden at the next change
    page.get_by_label("Initials").dispatch_event("change")
    expect(page.get_by_label("Childbearing potential", exact=True)).to_be_hidden()
    expect(page.get_by_label("Partner of childbearing potential (male candidates)")).to_be_visible()
    expect(page.locator("#id_pregnancy_tests-0-specimen")).to_be_hidden()


@pytest.mark.requirement("URS-CAND-016")
def test_a_value_in_a_field_that_stops_applying_stays_in_sight(logged_in_page, site, screenshot):  # noqa: F811
    page = logged_in_page("coordinator")
    page.goto("/candidates/new/")
    fill_new_candidate(page)
    washout = page.get_by_label("Blood components or growth factors given")
    last = page.get_by_label("Last given on")
    washout.select_option("True")
    expect(last).to_be_visible()
    last.fill("2026-02-20")
    washout.select_option("False")
    expect(last).to_be_visible()
    expect(last).to_have_value("2026-02-20")  # neither dropped nor kept out of sight
    note = page.locator("#div_id_washout_last_date ~ [data-not-applicable]")
    expect(note).to_be_visible()
    expect(note).to_contain_text("Does not apply with the answers above")
    expect(outcome(page)).to_have_attribute("data-outcome", "not_evaluated")  # the engine refuses the pair
    screenshot("16-value-that-does-not-apply", full_page=False)
    settled(page)
    page.get_by_role("button", name="Save and evaluate").click()
    expect(page.locator(".error-summary")).to_contain_text("Last given on")
    expect(page.get_by_label("Last given on")).to_have_value("2026-02-20")
    assert not Candidate.objects.exists()
    page.get_by_label("Last given on").fill("")
    page.get_by_label("Initials").focus()
    page.get_by_label("Initials").dispatch_event("change")
    expect(page.get_by_label("Last given on")).to_be_hidden()
