"""Database faults: a friendly 503 page, nothing half-written, and recovery without a restart.

The outage is real on PostgreSQL: the connection is pointed at a closed port
(127.0.0.1:1), so every attempt to connect is refused. The SQLite test
database lives in memory and would vanish if its connection were closed, so
there the connection refuses every new cursor as an unreachable server would.
"""

import sqlite3
from contextlib import contextmanager

import pytest
from django.db import OperationalError, connection
from django.test import Client

from screening.models import Candidate, Evaluation, LabResult
from tests.conftest import PASSWORD
from tests.html_forms import form_fields

pytestmark = pytest.mark.django_db(transaction=True)


@contextmanager
def database_down():
    if connection.vendor == "postgresql":
        saved = dict(connection.settings_dict)
        connection.close()
        connection.settings_dict.update(HOST="127.0.0.1", PORT="1")
        try:
            yield
        finally:
            connection.close()
            connection.settings_dict.update(saved)
    else:
        def refuse(*args, **kwargs):
            raise sqlite3.OperationalError("unable to open database file")

        connection.create_cursor = refuse
        try:
            yield
        finally:
            del connection.create_cursor


@contextmanager
def connection_lost_on(matches):
    """The connection dies at the first statement for which ``matches(sql)`` holds (mid-request)."""

    def wrapper(execute, sql, params, many, context):
        if matches(sql):
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield


def counts():
    return (Candidate.objects.count(), Evaluation.objects.count(), LabResult.objects.count(),
            Candidate.history.count())


def assert_friendly_503(response):
    assert response.status_code == 503
    page = response.content.decode()
    assert "temporarily unavailable" in page and "Nothing was saved" in page
    assert "Traceback" not in page
    assert response["Retry-After"] == "30"
    assert "default-src 'self'" in response["Content-Security-Policy"]


@pytest.mark.requirement("URS-OPS-001")
def test_pages_are_a_503_while_the_database_is_down_and_work_again_after(client_for):
    client = client_for("coordinator")
    assert client.get("/candidates/").status_code == 200
    with database_down():
        with pytest.raises(OperationalError):
            Candidate.objects.count()  # the outage is real
        assert_friendly_503(client.get("/candidates/"))
        assert_friendly_503(client.get("/candidates/NLX-S-001/"))
        assert_friendly_503(client.get("/accounts/login/"))  # a logged-in user's session lives in the database
    # Back: the same client, the same process, no restart.
    assert client.get("/candidates/").status_code == 200


@pytest.mark.requirement("URS-OPS-001")
def test_logging_in_while_the_database_is_down_is_a_503_then_works(users):
    client = Client()
    assert client.get("/accounts/login/").status_code == 200
    with database_down():
        assert client.get("/accounts/login/").status_code == 200  # an anonymous visitor needs no database
        response = client.post("/accounts/login/", {"username": "coordinator", "password": PASSWORD})
        assert_friendly_503(response)
    response = client.post("/accounts/login/", {"username": "coordinator", "password": PASSWORD})
    assert response.status_code == 302


@pytest.mark.requirement("URS-OPS-001")
def test_a_save_during_the_outage_writes_nothing(client_for, make_candidate):
    number = make_candidate().screening_number
    client = client_for("coordinator")
    form = form_fields(client.get(f"/candidates/{number}/edit/").content.decode())
    before = counts()
    with database_down():
        assert_friendly_503(client.post(f"/candidates/{number}/edit/", {**form, "weight_kg": "61"}))
    assert counts() == before
    assert Candidate.objects.get(screening_number=number).version == 1
    # The same submission goes through once the database is back.
    assert client.post(f"/candidates/{number}/edit/", {**form, "weight_kg": "61"}).status_code == 302


@pytest.mark.requirement("URS-OPS-001")
def test_connection_lost_in_the_middle_of_a_save_leaves_nothing_half_written(client_for, make_candidate):
    number = make_candidate().screening_number
    client = client_for("coordinator")
    form = form_fields(client.get(f"/candidates/{number}/edit/").content.decode())
    before = counts()
    changed = {**form, "weight_kg": "61", "labs-0-value": "3.3"}
    # The candidate row and a lab row are updated, then the connection dies as the evaluation is stored.
    with connection_lost_on(lambda sql: sql.lstrip().upper().startswith("INSERT") and "screening_evaluation" in sql):
        assert_friendly_503(client.post(f"/candidates/{number}/edit/", changed))
    assert counts() == before
    candidate = Candidate.objects.get(screening_number=number)
    assert candidate.version == 1 and str(candidate.weight_kg.normalize()) == "58.5"
    assert [str(lab.value.normalize()) for lab in candidate.lab_results.all()][0] == "2.1"


@pytest.mark.requirement("URS-OPS-001")
def test_a_failure_outside_the_view_is_a_503_too(client_for):
    """The session is saved after the view, by middleware: the project's handler500 answers with the 503 page."""
    client = client_for("coordinator")
    client.raise_request_exception = False
    with connection_lost_on(lambda sql: "django_session" in sql and not sql.lstrip().upper().startswith("SELECT")):
        assert_friendly_503(client.get("/candidates/"))
    assert client.get("/candidates/").status_code == 200


@pytest.mark.requirement("URS-OPS-002")
def test_health_check_reports_the_outage_and_the_recovery(db):
    client = Client()
    assert client.get("/healthz").content == b"ok\n"
    with database_down():
        response = client.get("/healthz")
        assert response.status_code == 503
    assert client.get("/healthz").status_code == 200
