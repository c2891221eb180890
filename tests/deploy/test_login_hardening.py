"""Login throttling and lockout (django-axes), idle session timeout, password strength, admin access."""

import logging
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.conftest import PASSWORD

LOGIN = "/accounts/login/"


def attempt(client, username, password="wrong-password-0000", address="192.0.2.10"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


@pytest.fixture
def axes_log():
    """Records of the 'axes' logger (it does not propagate to the root logger, so caplog misses it)."""
    records = []

    class Keep(logging.Handler):
        def emit(self, record):
            records.append(record)

    handler = Keep(level=logging.INFO)
    logger = logging.getLogger("axes")
    logger.addHandler(handler)
    yield records
    logger.removeHandler(handler)


@pytest.mark.requirement("URS-SEC-001")
def test_five_failures_lock_the_username_from_that_address_even_with_the_right_password(client, users, axes_log):
    for _ in range(4):
        response = attempt(client, "coordinator")
        assert response.status_code == 200  # the login form again, with its error
        assert "Please enter a correct username and password" in response.content.decode()
    response = attempt(client, "coordinator")  # the fifth failure locks
    assert response.status_code == 429
    response = attempt(client, "coordinator", password=PASSWORD)
    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many failed login attempts" in page and "coordinator" in page
    assert "_auth_user_id" not in client.session
    assert AccessAttempt.objects.get(username="coordinator").failures_since_start >= 5
    messages = [record.getMessage() for record in axes_log]
    failures = [m for m in messages if "login failure" in m.lower() and "coordinator" in m]
    assert len(failures) >= 5, messages  # each failure is logged, with the username and address
    assert "192.0.2.10" in failures[0]
    assert any("locking out" in m.lower() and "coordinator" in m for m in messages), messages


@pytest.mark.requirement("URS-SEC-001")
def test_lockout_is_per_username_and_address(client, users):
    for _ in range(5):
        attempt(client, "coordinator")
    assert attempt(client, "coordinator", password=PASSWORD).status_code == 429
    # Another user from the same address, and the same user from another address, can still log in.
    assert attempt(client, "monitor", password=PASSWORD).status_code == 302
    client.logout()
    assert attempt(client, "coordinator", password=PASSWORD, address="192.0.2.99").status_code == 302


@pytest.mark.requirement("URS-SEC-001")
def test_lockout_ends_after_fifteen_minutes(client, users):
    for _ in range(5):
        attempt(client, "coordinator")
    assert attempt(client, "coordinator", password=PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=14))
    assert attempt(client, "coordinator", password=PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert attempt(client, "coordinator", password=PASSWORD).status_code == 302


@pytest.mark.requirement("URS-SEC-001")
def test_a_successful_login_clears_earlier_failures(client, users):
    for _ in range(4):
        attempt(client, "coordinator")
    assert attempt(client, "coordinator", password=PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        attempt(client, "coordinator")
    assert attempt(client, "coordinator", password=PASSWORD).status_code == 302


@pytest.mark.requirement("URS-SEC-001")
def test_force_login_still_works_with_axes(client_for):
    assert client_for("coordinator").get("/candidates/").status_code == 200


@pytest.mark.requirement("URS-SEC-002")
def test_idle_session_expires(client_for):
    client = client_for("coordinator")
    assert client.get("/candidates/").status_code == 200
    session = Session.objects.get()
    remaining = session.expire_date - timezone.now()
    assert timedelta(minutes=29) < remaining <= timedelta(minutes=30)  # renewed by every request
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))  # 30 idle minutes later
    response = client.get("/candidates/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


@pytest.mark.requirement("URS-SEC-003")
@pytest.mark.parametrize("password", ["Short1!", "123456789012345", "password12345", "coordinator-2026"])
def test_weak_passwords_are_refused(users, password):
    with pytest.raises(ValidationError):
        validate_password(password, user=users["coordinator"])


@pytest.mark.requirement("URS-SEC-003")
def test_a_long_uncommon_password_is_accepted(users):
    validate_password("amber-kettle-orbit-lantern", user=users["coordinator"])


@pytest.mark.requirement("URS-ROLE-006")
@pytest.mark.parametrize(
    "staff, role, allowed",
    [(True, "admin", True), (True, "coordinator", False), (True, None, False), (False, "admin", False)],
    ids=["staff+admin", "staff+coordinator", "staff-without-role", "admin-without-staff"],
)
def test_admin_needs_staff_and_the_admin_role(client, users, staff, role, allowed):
    user = users[role] if role else users["norole"]
    User.objects.filter(pk=user.pk).update(is_staff=staff)
    client.force_login(user)
    response = client.get("/admin/")
    if allowed:
        assert response.status_code == 200
    else:
        assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
        assert client.get("/admin/screening/candidate/").status_code == 302


@pytest.mark.requirement("URS-ROLE-006")
def test_superuser_reaches_the_admin(client, db):
    client.force_login(User.objects.create_superuser("root-admin", password=PASSWORD))
    assert client.get("/admin/").status_code == 200


@pytest.mark.requirement("URS-ROLE-006")
def test_admin_login_form_refuses_staff_without_the_admin_role(client, users):
    User.objects.filter(pk=users["coordinator"].pk).update(is_staff=True)
    client.post("/admin/login/?next=/admin/", {"username": "coordinator", "password": PASSWORD})
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    assert "not authorized" in client.get(response["Location"]).content.decode()
