"""Security headers on real responses (in-process; the production-only ones, HSTS and Secure cookies,
are asserted on the real gunicorn server in test_serve.py) and templates that the CSP lets run."""

import re
from pathlib import Path

import pytest

from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[2]


def policy(response):
    return {part.split()[0]: part.split()[1:] for part in response["Content-Security-Policy"].split("; ")}


def assert_security_headers(response):
    csp = policy(response)
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]  # no 'unsafe-inline', no 'unsafe-eval', no nonce needed
    assert csp["style-src"] == ["'self'"]
    assert csp["img-src"] == ["'self'", "data:"]
    assert csp["object-src"] == ["'none'"] and csp["frame-ancestors"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"] and csp["form-action"] == ["'self'"]
    assert not any("unsafe" in value for values in csp.values() for value in values)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.requirement("URS-SEC-004")
@pytest.mark.django_db
def test_login_page_has_every_security_header(client):
    assert_security_headers(client.get("/accounts/login/"))


@pytest.mark.requirement("URS-SEC-004")
def test_a_logged_in_page_has_every_security_header(client_for):
    response = client_for("coordinator").get("/candidates/")
    assert response.status_code == 200
    assert_security_headers(response)


@pytest.mark.requirement("URS-SEC-004")
def test_error_pages_have_the_security_headers_too(client_for):
    client = client_for("monitor")
    assert_security_headers(client.get("/no-such-page/"))
    assert_security_headers(client.get("/candidates/new/"))  # 403 for a monitor


@pytest.mark.requirement("URS-SEC-002")
def test_session_cookie_is_http_only_and_expires_after_the_idle_timeout(client, users, settings):
    response = client.post("/accounts/login/", {"username": "coordinator", "password": PASSWORD})
    assert response.status_code == 302
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert cookie["max-age"] == settings.SESSION_COOKIE_AGE == 30 * 60


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
CSP_FORBIDDEN = {
    "inline <script>": INLINE_SCRIPT,
    "<style> element": re.compile(r"<style[\s>]", re.I),
    "style= attribute": re.compile(r"\sstyle\s*=", re.I),
    "on*= event handler": re.compile(r"\son[a-z]+\s*=\s*[\"']", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
    "hx-on (needs eval)": re.compile(r"\shx-on[:\-]", re.I),
    "js: in hx-vals (needs eval)": re.compile(r"hx-vals\s*=\s*[\"']\s*js:", re.I),
    "hx-trigger filter [..] (needs eval)": re.compile(r"hx-trigger\s*=\s*[\"'][^\"']*\[", re.I),
}
TEMPLATES = sorted((ROOT / "templates").rglob("*.html")) + sorted((ROOT / "screening").rglob("templates/**/*.html"))


@pytest.mark.requirement("URS-SEC-004")
@pytest.mark.parametrize("template", TEMPLATES, ids=lambda path: str(path.relative_to(ROOT)))
def test_templates_need_nothing_the_content_security_policy_forbids(template):
    text = template.read_text()
    found = [name for name, pattern in CSP_FORBIDDEN.items() if pattern.search(text)]
    assert not found, f"{template.relative_to(ROOT)}: {found} would be blocked by the CSP"
