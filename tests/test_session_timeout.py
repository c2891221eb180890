"""The idle timeout as the browser meets it (issue 13): htmx requests of an expired session get a 401
"signed out" answer, never the login page; "stay signed in" renews the session."""

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.mark.requirement("URS-SEC-002", "URS-OUT-001")
@pytest.mark.parametrize("method, url", [("post", "/candidates/new/preview/"), ("get", "/candidates/"),
                                         ("get", "/log/")])
def test_an_htmx_request_of_an_expired_session_is_a_401_not_the_login_page(client, method, url):
    response = getattr(client, method)(url, **HTMX)
    assert response.status_code == 401
    assert response["HX-Reswap"] == "none"
    body = response.content.decode()
    assert "Signed out" in body and "Your entries are kept" in body
    assert "<form" not in body and "password" not in body.lower()


@pytest.mark.requirement("URS-SEC-002", "URS-OUT-001")
def test_a_plain_request_of_an_expired_session_still_goes_to_the_login_page(client):
    response = client.get("/candidates/")
    assert response.status_code == 302 and response["Location"].startswith(settings.LOGIN_URL)


@pytest.mark.requirement("URS-SEC-002", "URS-OUT-001")
def test_stay_signed_in_renews_the_session_and_says_so_when_it_has_expired(client_for, client):
    assert client.post("/accounts/keepalive/").status_code == 401
    coordinator = client_for("coordinator")
    response = coordinator.post("/accounts/keepalive/")
    assert response.status_code == 204
    assert response["X-Session-Seconds"] == str(settings.SESSION_COOKIE_AGE)
    assert coordinator.cookies["sessionid"]["max-age"] == settings.SESSION_COOKIE_AGE  # renewed
    assert coordinator.get("/accounts/keepalive/").status_code == 405


@pytest.mark.requirement("URS-SEC-002", "URS-OUT-001")
def test_pages_carry_the_idle_timeout_for_the_warning(client_for):
    html = client_for("coordinator").get("/candidates/").content.decode()
    assert f'data-session-seconds="{settings.SESSION_COOKIE_AGE}"' in html
