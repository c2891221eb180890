"""A monitor reads /protocol/ (versions, criteria, the difference between versions); an admin reviews an
amendment's impact and re-evaluates the candidates under it (issue 10)."""

import pytest
from playwright.sync_api import expect

from screening.models import Candidate
from tests.protocol_files import register

pytestmark = pytest.mark.e2e


@pytest.fixture
def amended(db, make_candidate, settings, tmp_path):
    """Three candidates evaluated under 1.0, then the test-only version 2.0-test in force."""
    make_candidate(screening_number="NLX-S-101", initials="WXL", ecog=2)
    make_candidate(screening_number="NLX-S-102", initials="CYF")
    make_candidate(screening_number="NLX-S-103", initials="LHM", life_expectancy_months=2)
    register(settings, tmp_path)


@pytest.mark.requirement("URS-PROT-006", "URS-UI-005")
@pytest.mark.parametrize("width", [1280, 390])
def test_protocol_page_shows_versions_and_their_difference(logged_in_page, screenshot, axe_check, amended, width):
    page = logged_in_page("monitor")
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/protocol/")
    expect(page.get_by_role("heading", name="Protocol versions")).to_be_visible()
    expect(page.locator("[data-in-force]")).to_contain_text("protocol 2.0-test")
    version = page.locator('[data-version="1.0"]')
    expect(version.locator('[data-criterion="ecog"]')).to_contain_text("ECOG performance status 0–1")
    diff = page.locator("#diff")
    expect(diff.locator('[data-criterion="ecog"][data-parameter="max"]')).to_contain_text("2")
    expect(diff.locator(".diff-removed")).to_contain_text("Life expectancy")
    page.get_by_label("Compare version").select_option("2.0-test")
    page.get_by_label("with version").select_option("1.0")
    page.get_by_role("button", name="Compare").click()
    expect(diff.locator(".diff-added")).to_contain_text("Life expectancy")
    axe_check(page)
    screenshot(f"protocol-{width}")


@pytest.mark.requirement("URS-PROT-007", "URS-UI-005")
@pytest.mark.parametrize("width", [1280, 390])
def test_admin_reviews_the_impact_and_re_evaluates(logged_in_page, screenshot, axe_check, amended, width):
    page = logged_in_page("admin")
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/protocol/")
    page.get_by_role("link", name="Amendment impact").click()
    expect(page.get_by_role("heading", name="Amendment impact: protocol 2.0-test")).to_be_visible()
    row = page.locator('tr[data-candidate="NLX-S-101"]')
    expect(row).to_contain_text("ineligible → eligible")
    expect(row.locator('[data-change="ecog"]')).to_contain_text("fail → pass")
    expect(page.locator('tr[data-candidate="NLX-S-103"]')).to_contain_text("life_expectancy: fail → —")
    axe_check(page)
    screenshot(f"amendment-impact-{width}")
    if width == 390:
        return
    page.get_by_label("Reason for the re-evaluation").fill("Amendment 2 approved (EC-2026-07)")
    page.get_by_role("button", name="Re-evaluate 3 candidates").click()
    expect(page.get_by_role("status").first).to_contain_text("evaluated under protocol 2.0-test")
    assert {c.latest_evaluation.protocol_version for c in Candidate.objects.all()} == {"2.0-test"}
    page.goto("/candidates/NLX-S-101/evaluations/")
    expect(page.locator('[data-protocol="2.0-test"]')).to_be_visible()
    expect(page.locator('[data-protocol="1.0"]')).to_be_visible()
