"""Browser-test fixtures: Debian's Chromium driven by Playwright against pytest-django's live_server.

    def test_something(logged_in_page, screenshot, axe_check):
        page = logged_in_page("coordinator")        # a Page with a session for that role
        page.goto(page.base_url + "/candidates/")   # relative paths work too: page.goto("/candidates/")
        axe_check(page)                             # fails on serious / critical accessibility violations
        screenshot("candidate-list")                # tests/e2e/screenshots/candidate-list.png

Any browser console error (or uncaught page error) fails the test that caused it.
"""

import os
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import Group, User
from django.test import Client
from playwright.sync_api import sync_playwright

from screening import roles

# Playwright's sync API runs an event loop in this thread; Django's ORM in fixtures must still be allowed.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-sync",
]
SCREENSHOTS = Path(__file__).parent / "screenshots"
SERIOUS = ("serious", "critical")
E2E_PASSWORD = "e2e-password-not-secret"


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def console_errors():
    """Console errors and uncaught exceptions seen by the test's pages; checked when the test ends."""
    errors = []
    yield errors
    assert not errors, "browser console errors:\n" + "\n".join(errors)


@pytest.fixture
def page(browser, live_server, console_errors):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1440, "height": 900},
                                  timezone_id="Asia/Shanghai", locale="en-GB")
    page = context.new_page()
    page.base_url = live_server.url
    page.on("console", lambda message: message.type == "error" and console_errors.append(
        f"{message.text} ({message.location.get('url')})"))
    page.on("pageerror", lambda error: console_errors.append(f"uncaught: {error}"))
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def e2e_user(db):
    """e2e_user("coordinator") -> a user in that role group (password E2E_PASSWORD)."""

    def make(role):
        user, created = User.objects.get_or_create(username=f"e2e-{role}")
        if created:
            user.set_password(E2E_PASSWORD)
            user.save()
            if role in roles.ROLES:
                user.groups.add(Group.objects.get_or_create(name=role)[0])
        return user

    return make


@pytest.fixture
def logged_in_page(page, e2e_user):
    """logged_in_page("monitor") -> the page, with a session cookie for a user of that role."""

    def login(role):
        client = Client()
        client.force_login(e2e_user(role))
        page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                                   "url": page.base_url}])
        return page

    return login


@pytest.fixture
def screenshot(page):
    """screenshot("name") saves the full page to tests/e2e/screenshots/name.png (a git-ignored artefact);
    full_page=False keeps only the viewport (e.g. a scrolled sticky panel)."""

    def take(name, full_page=True):
        SCREENSHOTS.mkdir(exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=path, full_page=full_page)
        return path

    return take


@pytest.fixture
def axe_check():
    """axe_check(page): run axe-core on the page; fail on serious or critical violations."""
    axe = Axe()

    def check(page, context=None):
        results = axe.run(page, context=context)
        serious = [violation for violation in results.response["violations"] if violation["impact"] in SERIOUS]
        assert not serious, "\n".join(
            f"{violation['id']} ({violation['impact']}): {violation['help']} — "
            + "; ".join(node["html"][:160] for node in violation["nodes"][:3])
            for violation in serious
        )
        return results

    return check
