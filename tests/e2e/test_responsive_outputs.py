"""Pages other than the candidate form at a 390 px phone and an 820 px tablet (issue 13): nothing wider than
the screen, wide tables stacked or scrolling inside their own box, the list's Outcome reachable; the
checklist page links its PDF; axe finds nothing serious (the Compare button's contrast included)."""

import re

import pytest
from playwright.sync_api import expect

from screening.services import signoff
from screening.services.candidates import save_candidate
from tests.conftest import eligible_record, with_lab
from tests.e2e.conftest import E2E_PASSWORD

pytestmark = pytest.mark.e2e

WIDTHS = [390, 820, 1280]

# Anything that sticks out of the page (not inside a box that scrolls on its own).
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const scrolls = (element) => {
    for (let box = element.parentElement; box; box = box.parentElement) {
      const overflow = getComputedStyle(box).overflowX;
      if (overflow === "auto" || overflow === "scroll") return true;
    }
    return false;
  };
  const out = [];
  for (const element of document.querySelectorAll("body *")) {
    const box = element.getBoundingClientRect();
    if (box.width && box.right > width + 1 && !scrolls(element) && getComputedStyle(element).position !== "fixed") {
      out.push(element.tagName.toLowerCase() + "." + element.className + " right=" + Math.round(box.right));
    }
  }
  return {pageWidth: document.documentElement.scrollWidth, width, out: out.slice(0, 8)};
}"""


def assert_fits(page):
    result = page.evaluate(OVERFLOW)
    assert result["pageWidth"] <= result["width"], result
    assert not result["out"], result


def reachable(page, locator):
    """The element can be brought into view (scrolled to, in its box) and then lies within the screen."""
    locator.scroll_into_view_if_needed()
    box = locator.bounding_box()
    width = page.viewport_size["width"]
    return box is not None and box["x"] >= 0 and box["x"] + min(box["width"], 40) <= width


@pytest.fixture
def compared(db, e2e_user, make_candidate):
    """NLX-S-001: AST 48 then 52 and a weight change (two evaluations); NLX-S-002 ineligible; a few more."""
    coordinator = e2e_user("coordinator")
    make_candidate(user=coordinator, **with_lab(eligible_record(), "ast", value="48"))
    save_candidate(record=with_lab(eligible_record(weight_kg="56"), "ast", value="52"), user=coordinator,
                   reason="re-read")
    make_candidate(user=coordinator, **with_lab(eligible_record(screening_number="NLX-S-002", initials="CYF"),
                                                "platelets", value="80"))
    for number in range(3, 9):
        make_candidate(user=coordinator, screening_number=f"NLX-S-00{number}", initials="AB")


def at(page, width):
    page.set_viewport_size({"width": width, "height": 900 if width > 400 else 844})


@pytest.mark.requirement("URS-UI-003", "URS-OUT-007")
@pytest.mark.parametrize("width", WIDTHS)
def test_the_candidate_list_fits_and_its_outcome_is_reachable(logged_in_page, compared, screenshot, axe_check,
                                                               width):
    page = logged_in_page("coordinator")
    at(page, width)
    page.goto("/candidates/")
    row = page.locator("table.candidate-table tbody tr").filter(has_text="NLX-S-002")
    outcome = row.locator(".outcome-badge")
    expect(outcome).to_have_text(re.compile("Ineligible"))
    assert reachable(page, outcome)
    assert_fits(page)
    axe_check(page)
    screenshot(f"outputs-list-{width}")


@pytest.mark.requirement("URS-LOG-001", "URS-OUT-007")
@pytest.mark.parametrize("width", WIDTHS)
def test_the_screening_log_fits_with_labels_for_failing_criteria(logged_in_page, compared, screenshot, axe_check,
                                                                  width):
    page = logged_in_page("investigator")
    at(page, width)
    page.goto("/log/")
    row = page.locator("table.screening-log tbody tr").filter(has_text="NLX-S-002")
    failing = row.locator(".log-criterion")
    expect(failing).to_have_text(["Platelet count ≥ 100 ×10⁹/L"])
    assert reachable(page, failing.first)
    assert_fits(page)
    axe_check(page)
    screenshot(f"outputs-log-{width}")
    page.goto("/log/consort/")
    assert_fits(page)
    axe_check(page)
    screenshot(f"outputs-consort-{width}")


@pytest.mark.requirement("URS-AUDIT-005", "URS-OUT-007")
@pytest.mark.parametrize("width", WIDTHS)
def test_compare_shows_the_changed_inputs_and_fits(logged_in_page, compared, screenshot, axe_check, width):
    page = logged_in_page("monitor")
    at(page, width)
    page.goto("/candidates/NLX-S-001/evaluations/")
    page.get_by_role("button", name="Compare").click()
    inputs = page.locator(".comparison-inputs li")
    expect(inputs.filter(has_text="AST")).to_have_text(re.compile(r"AST\s+48 → 52 U/L \(1\.2 → 1\.3 × ULN\)"))
    expect(inputs.filter(has_text="58.5 → 56")).to_have_count(1)
    assert_fits(page)
    axe_check(page)  # the Compare button's contrast (4.15:1 before issue 13) included
    screenshot(f"outputs-compare-{width}")
    page.goto("/candidates/NLX-S-001/audit/")
    assert_fits(page)
    axe_check(page)
    screenshot(f"outputs-audit-{width}")


@pytest.mark.requirement("URS-UI-002", "URS-OUT-003", "URS-OUT-007")
@pytest.mark.parametrize("width", [390, 1280])
def test_the_checklist_page_links_its_pdf_and_the_print_view_carries_the_signature(
        logged_in_page, compared, e2e_user, screenshot, axe_check, width):
    investigator = e2e_user("investigator")
    investigator.first_name, investigator.last_name = "Wei", "Li"
    investigator.save()
    candidate = save_candidate(record=eligible_record(screening_number="NLX-S-009"), user=e2e_user("coordinator"))
    signoff.sign(candidate=candidate.candidate, user=investigator, password=E2E_PASSWORD, evaluation_id=candidate.pk)
    page = logged_in_page("coordinator")
    at(page, width)
    page.goto("/candidates/NLX-S-009/")
    link = page.get_by_role("link", name="PDF checklist")
    expect(link).to_have_attribute("href", "/candidates/NLX-S-009/checklist.pdf")
    assert_fits(page)
    axe_check(page)
    screenshot(f"outputs-detail-{width}")
    response = page.request.get(link.get_attribute("href"))
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
    page.goto("/candidates/NLX-S-009/print/")
    sign_off = page.locator(".print-signoff")
    expect(sign_off).to_contain_text("Signed by Wei Li (e2e-investigator) at")
    expect(sign_off).to_contain_text("Meaning: I confirm this candidate meets the eligibility criteria of protocol 1.0")
    expect(page.get_by_role("link", name="PDF")).to_be_visible()
    assert_fits(page)
    screenshot(f"outputs-print-{width}")


# Every page other than the candidate form (issue 13; the form is the entry engineer's), for the roles that
# use it. A page may be refused to a role (403): it must still fit.
PAGES = [
    ("coordinator", "/candidates/"), ("coordinator", "/candidates/NLX-S-002/"),
    ("coordinator", "/candidates/NLX-S-002/print/"), ("coordinator", "/candidates/NLX-S-002/close/"),
    ("coordinator", "/candidates/NLX-S-002/import/"), ("coordinator", "/candidates/NLX-S-001/enrol/"),
    ("investigator", "/candidates/NLX-S-001/sign/"), ("investigator", "/candidates/NLX-S-001/evaluations/"),
    ("investigator", "/candidates/NLX-S-001/audit/"), ("investigator", "/log/"), ("investigator", "/log/consort/"),
    ("monitor", "/dashboard/"), ("monitor", "/protocol/"), ("monitor", "/queries/"),
    ("monitor", "/candidates/NLX-S-002/source/"), ("admin", "/exports/"), ("admin", "/protocol/impact/"),
    ("admin", "/accounts/password_change/"),
]


@pytest.mark.requirement("URS-OUT-007")
@pytest.mark.parametrize("width", [390, 820])
def test_every_other_page_fits_the_screen(logged_in_page, compared, width):
    for role, url in PAGES:
        page = logged_in_page(role)
        at(page, width)
        response = page.goto(url)
        assert response.status in (200, 403), (url, response.status)
        result = page.evaluate(OVERFLOW)
        assert result["pageWidth"] <= result["width"] and not result["out"], (role, url, result)
