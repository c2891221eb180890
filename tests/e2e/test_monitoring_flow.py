"""A monitoring visit in a real browser: raise → answer and correct → close and verify → sign (issue 16)."""

import re

import pytest
from playwright.sync_api import expect

from screening.models import Query, Signature, Verification
from tests.e2e.conftest import E2E_PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.requirement("URS-QRY-001", "URS-QRY-002", "URS-SDV-001", "URS-SIGN-008", "URS-WQ-001")]

SOURCE = "/candidates/NLX-S-001/source/"
WIDTHS = {"1280": {"width": 1280, "height": 900}, "390": {"width": 390, "height": 844}}


def shots(page, screenshot, name):
    for width, size in WIDTHS.items():
        page.set_viewport_size(size)
        screenshot(f"monitoring-{name}-{width}")
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{name} at {width} px is {overflow} px wider than the screen"
    page.set_viewport_size(WIDTHS["1280"])


def test_monitor_raises_coordinator_corrects_monitor_closes_and_verifies_investigator_signs(
    logged_in_page, e2e_user, make_candidate, screenshot, axe_check
):
    candidate = make_candidate(user=e2e_user("coordinator"))

    # The monitor queries the ECOG value from the source-data page.
    page = logged_in_page("monitor")
    page.goto(SOURCE)
    expect(page.locator(".sdv-progress")).to_contain_text("0/")
    page.get_by_role("link", name="Query ECOG performance status").click()
    page.get_by_label("Query").fill("The clinic note of 2026-02-28 says ECOG 0, not 1.")
    page.get_by_role("button", name="Raise query").click()
    expect(page.locator('tr[data-item="ecog"] .query-badge')).to_contain_text("open")
    axe_check(page)
    shots(page, screenshot, "01-raised")

    # The coordinator sees it in the work queue and the navigation bar, answers and corrects in one step.
    page = logged_in_page("coordinator")
    page.goto("/")
    expect(page.locator('[data-nav-count="queries"]')).to_contain_text("1")
    section = page.locator('[data-kind="query_to_answer"]')
    expect(section).to_contain_text("ECOG performance status")
    axe_check(page)
    shots(page, screenshot, "02-coordinator-queue")
    section.get_by_role("link", name="NLX-S-001").click()
    page.get_by_label("Answer").fill("Checked the clinic note: ECOG 0. Corrected.")
    page.get_by_label("Value: ECOG performance status").fill("0")
    axe_check(page)
    shots(page, screenshot, "03-answer-form")
    page.get_by_role("button", name="Send answer").click()
    expect(page.locator(".alert-success")).to_contain_text("answered and the value corrected")
    expect(page.locator(".query-correction")).to_contain_text("1 → 0")
    candidate.refresh_from_db()
    assert candidate.ecog == 0

    # The investigator cannot sign yet: the query is answered, not closed.
    page = logged_in_page("investigator")
    page.goto("/candidates/NLX-S-001/sign/")
    expect(page.locator(".signoff-blocked")).to_contain_text("ECOG performance status — answered")
    shots(page, screenshot, "04-sign-blocked")

    # The monitor closes the query and verifies everything on the candidate.
    page = logged_in_page("monitor")
    page.goto("/")
    page.locator('[data-kind="query_to_close"]').get_by_role("link", name="NLX-S-001").click()
    page.get_by_role("button", name="Close query").click()
    expect(page.locator("h1 .query-state")).to_contain_text("closed")
    shots(page, screenshot, "05-closed")
    page.goto(SOURCE)
    page.get_by_role("button", name="Verify all on this candidate").click()
    expect(page.locator(".alert-success")).to_contain_text("marked verified against source")
    expect(page.locator('tr[data-verified="no"]')).to_have_count(0)
    axe_check(page)
    shots(page, screenshot, "06-verified")
    assert Query.objects.get().state == "closed" and Verification.objects.count() > 20

    # The investigator signs; the work queue no longer lists the candidate for sign-off.
    page = logged_in_page("investigator")
    page.goto("/")
    page.locator('[data-kind="awaiting_signoff"]').get_by_role("link", name="NLX-S-001").click()
    page.get_by_label("Your password").fill(E2E_PASSWORD)
    page.get_by_role("button", name="Sign").click()
    expect(page).to_have_url(re.compile(r"/candidates/NLX-S-001/$"))
    expect(page.locator(".monitoring-panel")).to_contain_text("Open queries: 0")
    shots(page, screenshot, "07-signed")
    assert Signature.objects.count() == 1
    page.goto("/")
    expect(page.locator('[data-kind="awaiting_signoff"]')).to_have_count(0)
