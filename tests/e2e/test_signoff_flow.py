"""Sign-off, superseding, re-signing, enrolment, log, CONSORT and audit trail in a real browser (issue 5)."""

import re

import pytest
from playwright.sync_api import expect

from screening.models import Candidate, Signature
from tests.conftest import eligible_record, with_lab
from tests.e2e.conftest import E2E_PASSWORD

pytestmark = pytest.mark.e2e

DETAIL = "/candidates/NLX-S-001/"


def sign(page, password=E2E_PASSWORD):
    page.goto(DETAIL)
    page.get_by_role("link", name="Sign eligibility decision").click()
    expect(page.locator(".signoff-meaning")).to_have_text(
        "“I confirm this candidate meets the eligibility criteria of protocol 1.0”"
    )
    page.get_by_label("Your password").fill(password)
    page.get_by_role("button", name="Sign").click()


@pytest.mark.requirement("URS-UI-005", "URS-SIGN-001", "URS-SIGN-004")
def test_sign_supersede_resign_enrol_log_consort_audit(logged_in_page, e2e_user, make_candidate, screenshot,
                                                        axe_check):
    coordinator = e2e_user("coordinator")
    make_candidate(user=coordinator, screening_number="NLX-S-001", initials="WXL")
    make_candidate(user=coordinator, **with_lab(eligible_record(screening_number="NLX-S-002", initials="CYF"),
                                                "platelets", value="80"))

    # The investigator signs; a wrong password first is refused and signs nothing.
    page = logged_in_page("investigator")
    sign(page, password="not my password")
    expect(page.locator(".signoff-form")).to_contain_text("Password: the password is not correct.")
    assert not Signature.objects.exists()
    axe_check(page)
    screenshot("signoff-01-sign-wrong-password")
    page.get_by_label("Your password").fill(E2E_PASSWORD)
    page.get_by_role("button", name="Sign").click()
    expect(page).to_have_url(re.compile(f"{DETAIL}$"))
    current = page.locator(".signoff-alert-current")
    expect(current).to_contain_text("Signed by e2e-investigator")
    expect(page.locator(".signoff-panel")).to_contain_text("Sign-off: signed")
    axe_check(page, context=".signoff-panel")  # the panel is this part of the candidate page
    screenshot("signoff-02-signed")

    # The coordinator corrects a platelet count, with a reason: the signature is superseded.
    page = logged_in_page("coordinator")
    page.goto(DETAIL + "edit/")
    platelets = page.locator("#id_labs-1-value")
    expect(platelets).to_have_value("120")
    platelets.fill("135")
    page.get_by_label("Reason for change").fill("Platelets re-read from the lab report")
    page.get_by_role("button", name="Save and evaluate").click()
    expect(page).to_have_url(re.compile(f"{DETAIL}$"))
    superseded = page.locator(".signoff-alert-superseded")
    expect(superseded).to_contain_text("Superseded:")
    expect(page.locator(".signoff-panel")).to_contain_text("Sign-off: superseded")
    expect(page.get_by_role("link", name="Enrol")).to_have_count(0)
    expect(page.locator(".signoff-history tbody tr").first).to_contain_text("no change in any verdict")
    screenshot("signoff-03-superseded")

    # The investigator signs the new evaluation.
    page = logged_in_page("investigator")
    sign(page)
    expect(page.locator(".signoff-alert-current")).to_be_visible()
    assert Signature.objects.count() == 2

    # The coordinator enrols: NLX-001; and closes the ineligible candidate as a screen failure.
    page = logged_in_page("coordinator")
    page.goto(DETAIL)
    page.get_by_role("link", name="Enrol").click()
    page.get_by_role("button", name="Enrol").click()
    expect(page.locator(".alert-success").first).to_contain_text("NLX-S-001 enrolled as NLX-001.")
    expect(page.locator(".subject-number")).to_have_text("NLX-001")
    screenshot("signoff-04-enrolled")
    page.goto("/candidates/NLX-S-002/close/")
    page.get_by_label("Screen failure").check()
    page.get_by_role("button", name="Close screening").click()
    expect(page.locator(".signoff-panel")).to_contain_text("Failing criteria: platelets")
    assert Candidate.objects.get(screening_number="NLX-S-001").subject_number == "NLX-001"

    # The screening log: both attempts, with sign-off state, status and subject number; filters work.
    page = logged_in_page("monitor")
    page.goto("/log/")
    rows = page.locator("table.screening-log tbody tr")
    expect(rows).to_have_count(2)
    enrolled = rows.filter(has_text="NLX-S-001")
    for text in ("WXL", "eligible", "signed", "enrolled", "NLX-001"):
        expect(enrolled).to_contain_text(text)
    expect(rows.filter(has_text="NLX-S-002")).to_contain_text("screen failure")
    expect(rows.filter(has_text="NLX-S-002")).to_contain_text("platelets")
    axe_check(page)
    screenshot("signoff-05-log")
    page.get_by_label("Sign-off").select_option("signed")
    page.get_by_role("button", name="Filter").click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("NLX-S-001")

    # CONSORT: 2 assessed = 1 excluded (platelets) + 1 enrolled.
    page.goto("/log/consort/")
    for name, count in (("assessed", "2"), ("excluded", "1"), ("not_meeting", "1"), ("declined", "0"),
                        ("other", "0"), ("screening", "0"), ("enrolled", "1")):
        expect(page.locator(f'.consort [data-count="{name}"]')).to_have_text(count)
    expect(page.locator('[data-criterion="platelets"]')).to_have_text("1")
    axe_check(page)
    screenshot("signoff-06-consort")

    # The audit trail shows the lab change: who, old, new, reason; and the sign-offs and enrolment.
    page.goto(DETAIL + "audit/")
    change = page.locator("table.audit-trail tbody tr").filter(has_text="Lab result Platelets").filter(
        has_text="changed")
    expect(change).to_have_count(1)
    expect(change.locator(".audit-old")).to_have_text("120 ×10⁹/L")
    expect(change.locator(".audit-new")).to_have_text("135 ×10⁹/L")
    expect(change).to_contain_text("e2e-coordinator")
    expect(change).to_contain_text("Platelets re-read from the lab report")
    actions = page.locator("table.audit-trail td.audit-action")
    expect(actions.filter(has_text=re.compile(r"^sign$"))).to_have_count(2)
    expect(actions.filter(has_text=re.compile(r"^enrol$"))).to_have_count(1)
    axe_check(page)
    screenshot("signoff-07-audit")
