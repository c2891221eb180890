"""The coordinator pages are ready for a strict Content-Security-Policy and an offline hospital network:
no inline scripts, no inline event handlers, no style attributes, every asset from /static/."""

import re

import pytest

from tests.conftest import eligible_record
from tests.test_forms import form_data  # noqa: F401

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
STYLE = re.compile(r"<style|\sstyle\s*=", re.I)
REMOTE_ASSET = re.compile(r"""(?:src|href)\s*=\s*["'](?:https?:)?//""", re.I)


def assert_csp_ready(page):
    assert not INLINE_SCRIPT.search(page), INLINE_SCRIPT.search(page)
    assert not EVENT_HANDLER.search(page), EVENT_HANDLER.search(page)
    assert not STYLE.search(page), STYLE.search(page)
    assert not REMOTE_ASSET.search(page), REMOTE_ASSET.search(page)


@pytest.mark.requirement("URS-SEC-004")
@pytest.mark.parametrize("url", [
    "/candidates/", "/candidates/?q=x&outcome=eligible&failing=anc", "/candidates/new/",
    "/candidates/NLX-S-001/", "/candidates/NLX-S-001/edit/", "/candidates/NLX-S-001/print/", "/candidates/NLX-NOPE/",
])
def test_pages_have_no_inline_code_or_remote_assets(client_for, make_candidate, url):
    make_candidate()
    assert_csp_ready(client_for("coordinator").get(url).content.decode())


@pytest.mark.requirement("URS-SEC-004")
def test_form_with_errors_and_preview_have_no_inline_code(client_for, make_candidate):
    make_candidate()
    client = client_for("coordinator")
    data = form_data(eligible_record(screening_number="NLX-S-002", ecog=9))
    assert_csp_ready(client.post("/candidates/new/", data).content.decode())
    assert_csp_ready(client.post("/candidates/new/preview/", data).content.decode())


@pytest.mark.requirement("URS-SEC-004")
def test_login_and_403_pages_have_no_inline_code(client, client_for, users):
    assert_csp_ready(client.get("/accounts/login/").content.decode())
    assert_csp_ready(client_for("monitor").get("/candidates/new/").content.decode())


@pytest.mark.requirement("URS-SEC-004")
def test_htmx_does_not_inject_its_indicator_style(client_for, users):
    page = client_for("coordinator").get("/candidates/new/").content.decode()
    assert '<meta name="htmx-config" content=\'{"includeIndicatorStyles": false}\'>' in page


@pytest.mark.requirement("URS-SEC-004")
def test_500_page_renders_without_a_request_context():
    """Django renders 500.html with an empty context: no user, no context processors."""
    from django.template.loader import render_to_string

    page = render_to_string("500.html")
    assert "Nothing you entered on this page has been saved" in page
    assert_csp_ready(page)
