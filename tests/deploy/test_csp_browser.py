"""In Chromium, the pages run under the strict Content-Security-Policy without a single violation.

Logs in through the form, opens the list, a checklist, the edit form (typing
triggers the htmx live checklist), the new-candidate form and the admin, and
collects every ``securitypolicyviolation`` event and console error.
"""

import os
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import User

from tests.conftest import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CHROMIUM = "/usr/bin/chromium"
WATCH_CSP = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.__cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI || 'inline'} `
                              + `at ${event.sourceFile}:${event.lineNumber}`);
});
"""


@pytest.fixture(scope="module")
def chromium():
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed (make test installs it)")
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop in this thread
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, live_server):
    context = chromium.new_context(base_url=live_server.url)
    page = context.new_page()
    page.add_init_script(WATCH_CSP)
    page.console_errors = []

    def on_console(message):
        if message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico"):
            page.console_errors.append(f"{message.text} ({message.location.get('url')})")

    page.on("console", on_console)
    page.failed = []
    page.on("response", lambda response: response.status >= 400 and page.failed.append(response.url))
    yield page
    context.close()


def visit(page, path):
    response = page.goto(path)
    assert response.status == 200, (path, response.status)
    page.wait_for_load_state("networkidle")
    return violations(page)


def violations(page):
    return page.evaluate("window.__cspViolations") + [
        text for text in page.console_errors if "Content Security Policy" in text or "Refused to" in text
    ]


def log_in(page, username):
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


@pytest.mark.requirement("URS-SEC-004")
def test_coordinator_pages_have_no_csp_violation(page, users, make_candidate):
    number = make_candidate().screening_number
    log_in(page, "coordinator")
    assert urlsplit(page.url).path == "/"  # everyone lands on their work queue
    found = violations(page)
    for path in ("/", "/queries/", "/candidates/", f"/candidates/{number}/", "/candidates/new/", f"/candidates/{number}/edit/"):
        found += visit(page, path)
    # Typing in the edit form makes htmx fetch the live checklist (with its request indicator).
    with page.expect_response(lambda response: response.url.endswith("/preview/")) as preview:
        page.fill("input[name=weight_kg]", "61")
    assert preview.value.status == 200
    page.wait_for_load_state("networkidle")
    found += violations(page)
    assert found == [], found
    assert page.console_errors == [], (page.console_errors, page.failed)


@pytest.mark.requirement("URS-SEC-004")
def test_admin_pages_have_no_csp_violation(page, users, make_candidate):
    make_candidate()
    User.objects.filter(username="admin").update(is_superuser=True)
    log_in(page, "admin")
    found = []
    for path in ("/admin/", "/admin/screening/candidate/", "/admin/screening/candidate/1/change/",
                 "/admin/auth/user/add/"):
        found += visit(page, path)
    assert found == [], found
