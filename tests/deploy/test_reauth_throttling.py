"""Password re-entry (e-signature, password change) is throttled with the logins; the lockout works
behind the proxy (X-Forwarded-For from a trusted proxy only).

The assessment: 30 wrong signature passwords, then the right one signed; nothing locked, logged or
audited. And with AXES_PROXY_COUNT set, every user shared the proxy's address.
"""

import pytest
from axes.models import AccessAttempt
from django.conf import settings

from screening.client_ip import client_ip
from screening.models import AuditEvent, Signature
from tests.conftest import PASSWORD

WRONG = "wrong-password-0000"
ADDRESS = "192.0.2.10"


def sign_url(candidate):
    return f"/candidates/{candidate.screening_number}/sign/"


def sign(client, candidate, password, **extra):
    return client.post(
        sign_url(candidate), {"evaluation": candidate.latest_evaluation_id, "password": password},
        REMOTE_ADDR=ADDRESS, **extra,
    )


@pytest.fixture
def candidate(make_candidate, users):
    return make_candidate(user=users["coordinator"])


@pytest.mark.requirement("URS-SIGN-006")
def test_wrong_signature_passwords_lock_at_the_login_threshold_and_end_the_session(client_for, candidate):
    client = client_for("investigator")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = sign(client, candidate, WRONG)
        assert response.status_code == 200
        assert "the password is not correct" in response.content.decode()
    response = sign(client, candidate, WRONG)
    assert response.status_code in (403, 429)
    assert AccessAttempt.objects.get(username="investigator", ip_address=ADDRESS).failures_since_start == (
        settings.AXES_FAILURE_LIMIT
    )
    # The session is over, and the right password no longer signs.
    response = sign(client, candidate, PASSWORD)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Signature.objects.exists()
    # The lockout is the login's: the right password does not log in either.
    response = client.post("/accounts/login/", {"username": "investigator", "password": PASSWORD},
                           REMOTE_ADDR=ADDRESS)
    assert response.status_code in (403, 429)
    actions = list(AuditEvent.objects.filter(user__username="investigator").values_list("action", flat=True))
    assert actions.count("password_reentry_failed") == settings.AXES_FAILURE_LIMIT - 1
    assert actions.count("password_lockout") == 1
    lockout = AuditEvent.objects.get(action="password_lockout")
    assert lockout.candidate == candidate and lockout.details == {"purpose": "sign", "address": ADDRESS}


@pytest.mark.requirement("URS-SIGN-006")
def test_signature_and_login_failures_count_together(client, users, candidate):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post("/accounts/login/", {"username": "investigator", "password": WRONG}, REMOTE_ADDR=ADDRESS)
    client.force_login(users["investigator"])
    response = sign(client, candidate, WRONG)
    assert response.status_code in (403, 429)
    assert AuditEvent.objects.filter(action="password_lockout").count() == 1


@pytest.mark.requirement("URS-SIGN-006", "URS-SIGN-001")
def test_right_signature_password_still_signs(client_for, candidate):
    client = client_for("investigator")
    sign(client, candidate, WRONG)
    response = sign(client, candidate, PASSWORD)
    assert response.status_code == 302
    assert Signature.objects.count() == 1


@pytest.mark.requirement("URS-SIGN-006")
def test_password_change_old_password_is_throttled(client_for):
    client = client_for("coordinator")
    data = {"old_password": WRONG, "new_password1": "a-new-long-password-4711", "new_password2": "a-new-long-password-4711"}
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post("/accounts/password_change/", data, REMOTE_ADDR=ADDRESS)
        assert response.status_code == 200
    response = client.post("/accounts/password_change/", data, REMOTE_ADDR=ADDRESS)
    assert response.status_code in (403, 429)
    event = AuditEvent.objects.get(action="password_lockout")
    assert event.details["purpose"] == "password_change"
    response = client.post("/accounts/password_change/", {**data, "old_password": PASSWORD}, REMOTE_ADDR=ADDRESS)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- the client address behind the proxy ---------------------------------------------------------


def login_failures(client, address, forwarded, times):
    for _ in range(times):
        client.post("/accounts/login/", {"username": "coordinator", "password": WRONG},
                    REMOTE_ADDR=address, HTTP_X_FORWARDED_FOR=forwarded)


@pytest.mark.requirement("URS-SEC-007")
def test_forwarded_address_from_the_trusted_proxy_is_the_one_counted(client, users, settings):
    settings.CLIENT_IP_PROXY_COUNT = 1
    login_failures(client, "127.0.0.1", "203.0.113.5", settings.AXES_FAILURE_LIMIT)
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["203.0.113.5"]
    # Another user behind the same proxy is not locked out.
    response = client.post("/accounts/login/", {"username": "coordinator", "password": PASSWORD},
                           REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert response.status_code == 302


@pytest.mark.requirement("URS-SEC-007")
def test_spoofed_forwarded_address_from_an_untrusted_peer_is_ignored(client, users, settings):
    settings.CLIENT_IP_PROXY_COUNT = 1
    login_failures(client, "192.0.2.99", "203.0.113.5", settings.AXES_FAILURE_LIMIT)
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["192.0.2.99"]
    # The spoofed address (a real user's) is not locked.
    response = client.post("/accounts/login/", {"username": "coordinator", "password": PASSWORD},
                           REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert response.status_code == 302


@pytest.mark.requirement("URS-SEC-007")
@pytest.mark.parametrize(
    ("peer", "forwarded", "count", "expected"),
    [
        ("127.0.0.1", "203.0.113.5", 1, "203.0.113.5"),
        ("127.0.0.1", "198.51.100.1, 203.0.113.5", 2, "198.51.100.1"),
        ("192.0.2.99", "203.0.113.5", 1, "192.0.2.99"),  # untrusted peer: header ignored
        ("127.0.0.1", "203.0.113.5", 0, "127.0.0.1"),  # no proxy configured: header ignored
        ("127.0.0.1", "not-an-address", 1, "127.0.0.1"),
    ],
)
def test_client_ip(rf, settings, peer, forwarded, count, expected):
    settings.CLIENT_IP_PROXY_COUNT = count
    request = rf.get("/", REMOTE_ADDR=peer, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected
