"""Recording 6-month DFS: enrolled subjects only, dated on/after enrolment, audited by simple_history."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from screening.models import Candidate, EndpointAssessment
from screening.services.endpoints import record_dfs, six_months_after
from screening.services.refusals import Refused

pytestmark = pytest.mark.django_db

URL = "/dashboard/subjects/NLX-S-001/dfs/"


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def subject(today):
    """NLX-S-001 enrolled as NLX-001 200 days ago (6-month DFS is assessable from 6 months after)."""
    return Candidate.objects.create(
        screening_number="NLX-S-001", screening_date=today - timedelta(days=210), state="enrolled",
        subject_number="NLX-001", enrolment_date=today - timedelta(days=200),
    )


def post(client, **data):
    return client.post(URL, {"dfs_6_month": "yes", "assessed_on": "", "reason": "", **data})


@pytest.mark.requirement("URS-DASH-003")
def test_coordinator_records_dfs_and_history_keeps_who_and_why(client_for, users, subject, today):
    client = client_for("coordinator")
    response = post(client, assessed_on=today.isoformat())
    assert response.status_code == 302
    assert response["Location"] == "/dashboard/#subject-NLX-001"
    endpoint = EndpointAssessment.objects.get(candidate=subject)
    assert (endpoint.dfs_6_month, endpoint.assessed_on, endpoint.updated_by) == ("yes", today, users["coordinator"])

    response = post(client, dfs_6_month="no", assessed_on=today.isoformat(), reason="Recurrence on review of CT")
    assert response.status_code == 302
    history = list(EndpointAssessment.history.filter(candidate=subject).order_by("history_date"))
    assert [(entry.dfs_6_month, entry.history_user) for entry in history] == [
        ("yes", users["coordinator"]), ("no", users["coordinator"]),
    ]
    assert history[-1].history_change_reason == "Recurrence on review of CT"
    page = client.get(URL).content.decode()
    assert "Recurrence on review of CT" in page


@pytest.mark.requirement("URS-DASH-003")
def test_refused_for_a_candidate_who_is_not_enrolled(client_for, today):
    Candidate.objects.create(screening_number="NLX-S-001", screening_date=today, state="screening")
    client = client_for("coordinator")
    message = "NLX-S-001 is not enrolled (screening): 6-month DFS is recorded for enrolled subjects only."
    response = client.get(URL)
    assert response.status_code == 400
    assert message in response.content.decode()
    response = post(client, dfs_6_month="no", assessed_on=today.isoformat())
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not EndpointAssessment.objects.exists()


@pytest.mark.requirement("URS-DASH-003")
def test_refused_when_assessed_before_enrolment(client_for, subject):
    before = subject.enrolment_date - timedelta(days=1)
    response = post(client_for("admin"), dfs_6_month="no", assessed_on=before.isoformat())
    assert response.status_code == 400
    assert (
        f"Assessment date {before.isoformat()} is before enrolment on {subject.enrolment_date.isoformat()}."
        in response.content.decode()
    )
    assert not EndpointAssessment.objects.exists()


@pytest.mark.requirement("URS-DASH-003")
def test_yes_needs_six_months_of_follow_up_but_no_does_not(client_for, subject):
    client = client_for("coordinator")
    early = subject.enrolment_date + timedelta(days=90)
    response = post(client, dfs_6_month="yes", assessed_on=early.isoformat())
    assert response.status_code == 400
    assert "6-month DFS “yes” needs an assessment on or after" in response.content.decode()
    assert not EndpointAssessment.objects.exists()
    assert post(client, dfs_6_month="no", assessed_on=early.isoformat()).status_code == 302


@pytest.mark.requirement("URS-INPUT-009")
@pytest.mark.parametrize(
    "data, message",
    [
        ({"dfs_6_month": "yes", "assessed_on": ""}, "Assessment date: required when 6-month DFS is yes or no."),
        ({"dfs_6_month": "maybe"}, "6-month DFS: choose yes, no or not yet evaluable (got “maybe”)."),
        ({"dfs_6_month": ""}, "6-month DFS: choose yes, no or not yet evaluable."),
        ({"assessed_on": "2026-13-01"}, "Assessment date: enter a date as YYYY-MM-DD."),
        ({"assessed_on": "2999-01-01"}, "Assessment date 2999-01-01 is in the future"),
        ({"reason": "x" * 1001}, "Ensure this value has at most 1000 characters"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(client_for, subject, data, message):
    response = post(client_for("coordinator"), **data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not EndpointAssessment.objects.exists()


@pytest.mark.requirement("URS-DASH-003")
def test_changing_a_recorded_result_needs_a_reason(client_for, subject, today):
    client = client_for("coordinator")
    post(client, dfs_6_month="no", assessed_on=today.isoformat())
    response = post(client, dfs_6_month="yes", assessed_on=today.isoformat())
    assert response.status_code == 400
    assert "Reason for change: required to change a recorded yes/no result." in response.content.decode()
    assert EndpointAssessment.objects.get().dfs_6_month == "no"


@pytest.mark.requirement("URS-DASH-003")
def test_not_yet_evaluable_needs_no_date(client_for, subject):
    assert post(client_for("coordinator"), dfs_6_month="not_evaluable").status_code == 302
    assert EndpointAssessment.objects.get().assessed_on is None


@pytest.mark.requirement("URS-ROLE-007")
def test_unknown_candidate_is_404(client_for, db):
    assert client_for("coordinator").get("/dashboard/subjects/NLX-S-999/dfs/").status_code == 404


@pytest.mark.requirement("URS-DASH-003")
def test_service_refuses_names_the_field(users, subject):
    with pytest.raises(Refused) as refused:
        record_dfs(candidate=subject, dfs_6_month="yes", assessed_on=None, user=users["coordinator"])
    assert refused.value.field == "assessed_on"


@pytest.mark.requirement("URS-DASH-003")
@pytest.mark.parametrize(
    "enrolled, earliest",
    [
        (date(2026, 3, 2), date(2026, 9, 2)),
        (date(2025, 8, 31), date(2026, 2, 28)),
        (date(2027, 8, 31), date(2028, 2, 29)),
        (date(2026, 7, 15), date(2027, 1, 15)),
    ],
)
def test_six_months_after(enrolled, earliest):
    assert six_months_after(enrolled) == earliest
