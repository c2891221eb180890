"""Layout leftovers of issue 13: the nav bar on one line at 1280 px in both languages (every item shown), dates
never broken across lines (390 px), and screenshots of the candidate form and page in both languages."""

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from playwright.sync_api import expect

from screening.services.candidates import save_candidate
from tests.conftest import eligible_record, with_lab
from tests.e2e.conftest import SCREENSHOTS
from tests.e2e.test_i18n_flows import reader  # noqa: F401 (a page in the reader's language)

pytestmark = pytest.mark.e2e

# The nav bar's items, each on one line (no text wrapped inside it), all on the same line, nothing cut off.
ONE_LINE_JS = """() => {
  const nav = document.querySelector('#nav');
  const items = Array.from(nav.querySelectorAll('.navbar-nav > .nav-item'));
  const parts = Array.from(nav.querySelectorAll('.nav-link, .navbar-text, .btn'));
  const wrapped = parts.filter(part => {
    const range = document.createRange();
    range.selectNodeContents(part);
    const lines = new Set(Array.from(range.getClientRects()).filter(r => r.width > 0).map(r => Math.round(r.bottom / 8)));
    return lines.size > 1 || part.scrollWidth > part.clientWidth;
  }).map(part => part.textContent.trim());
  const tops = new Set(parts.map(part => Math.round(part.getBoundingClientRect().top / 12)));
  return {items: items.length, wrapped: wrapped, rows: tops.size,
          right: Math.round(Math.max(...parts.map(part => part.getBoundingClientRect().right)))};
}"""
BROKEN_DATES_JS = """() => Array.from(document.querySelectorAll('.iso-date'))
  .filter(date => date.getClientRects().length > 1).map(date => date.textContent)"""


def staff_administrator(username):
    """A staff administrator: the nav bar's every item (work queue and queries included)."""
    user = User.objects.create_user(username, password="e2e-password-not-secret", is_staff=True)
    user.groups.add(Group.objects.get_or_create(name="admin")[0])
    return user


@pytest.fixture
def administrator(db):
    return staff_administrator("wli-admin")


@pytest.fixture
def candidate(make_candidate, administrator):
    candidate = make_candidate(**with_lab(eligible_record(screening_number="NLX-S-301"), "platelets", value="80"))
    save_candidate(record=eligible_record(screening_number="NLX-S-301", weight_kg="60"), user=administrator,
                   expected_version=candidate.version)
    return candidate


def signed_in(reader, live_server, language, user, width):  # noqa: F811
    page = reader(language)
    client = Client()
    client.force_login(user)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": live_server.url}])
    page.set_viewport_size({"width": width, "height": 900})
    return page


def shot(page, name):
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_nav_bar_is_one_line_at_1280_px_with_every_item(reader, live_server, administrator, language):  # noqa: F811
    page = signed_in(reader, live_server, language, administrator, 1280)
    page.goto("/candidates/")
    shot(page, f"layout-nav-{language[:2]}-1280")
    nav = page.evaluate(ONE_LINE_JS)
    assert nav["items"] == 9, nav  # work queue, queries, candidates, log, CONSORT, dashboard, protocol, exports, admin
    assert nav["wrapped"] == [] and nav["rows"] == 1 and nav["right"] <= 1280, nav


def test_a_long_user_name_gives_way_and_the_nav_bar_stays_one_line(reader, live_server, db):  # noqa: F811
    page = signed_in(reader, live_server, "en", staff_administrator("e2e-administrator-of-the-site"), 1280)
    page.goto("/candidates/")
    nav = page.evaluate(ONE_LINE_JS)
    assert nav["items"] == 9 and nav["rows"] == 1 and nav["right"] <= 1280, nav
    assert nav["wrapped"] == ["e2e-administrator-of-the-site · admin"], nav  # cut short, in full in its title
    expect(page.locator(".navbar-text")).to_have_attribute("title", "e2e-administrator-of-the-site · admin")


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("width", [1280, 390])
def test_dates_never_break_and_the_candidate_pages(reader, live_server, administrator, candidate, language,  # noqa: F811
                                                  width, axe_check):
    page = signed_in(reader, live_server, language, administrator, width)
    for path, name in ((f"/candidates/{candidate.screening_number}/", "candidate-page"),
                       ("/candidates/", "candidate-list"), ("/log/", "screening-log"),
                       (f"/candidates/{candidate.screening_number}/evaluations/", "evaluations")):
        page.goto(path)
        expect(page.locator(".iso-date").first).to_be_visible()
        assert page.evaluate(BROKEN_DATES_JS) == [], (path, width)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, path
        if name == "candidate-page":
            axe_check(page)
            expect(page.locator("[data-history-inputs]")).to_contain_text("58.5 → 60")
        shot(page, f"layout-{name}-{language[:2]}-{width}")
    page.goto(f"/candidates/{candidate.screening_number}/edit/")
    axe_check(page)
    shot(page, f"layout-candidate-form-{language[:2]}-{width}")
