"""The whole study's audit trail in one streamed CSV: every candidate's rows plus the study-wide actions;
de-identified for monitors; itself audited; closed to coordinators."""

import csv
import io

import pytest
from django.http import StreamingHttpResponse

from screening.models import AuditEvent
from screening.services import signoff
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def study(users, make_candidate):
    first = make_candidate(screening_number="NLX-S-001", user=users["coordinator"])
    signoff.sign(candidate=first, user=users["investigator"], password=PASSWORD,
                 evaluation_id=first.latest_evaluation_id)
    second = make_candidate(screening_number="NLX-S-002", initials="ZHQ", user=users["coordinator"])
    signoff.close(candidate=second, user=users["coordinator"], state="not_enrolled", reason="moved to Beijing")
    AuditEvent.objects.create(action="export", user=users["monitor"], details={"dataset": "screening_log"})
    return first, second


def rows_of(response):
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return text, list(csv.DictReader(io.StringIO(text)))


@pytest.mark.requirement("URS-AUDIT-007")
@pytest.mark.parametrize("role", ["investigator", "admin"])
def test_auditors_get_every_candidates_trail_and_the_study_actions(client_for, study, role):
    text, rows = rows_of(client_for(role).get("/audit/study.csv"))
    assert list(rows[0]) == ["screening_number", "at", "user", "record", "action", "field", "old", "new", "reason"]
    numbers = {row["screening_number"] for row in rows}
    assert {"NLX-S-001", "NLX-S-002", ""} <= numbers
    assert [row["action"] for row in rows if row["screening_number"] == "NLX-S-001" and row["action"] == "sign"] == [
        "sign"]
    assert any(row["record"] == "Study" and row["action"] == "export" for row in rows)
    assert "ZHQ" in text and "moved to Beijing" in text
    assert AuditEvent.objects.filter(action="export_study_audit_csv", details__deidentified=False).exists()


@pytest.mark.requirement("URS-AUDIT-007", "URS-EXP-006")
def test_monitors_get_it_deidentified(client_for, study):
    text, rows = rows_of(client_for("monitor").get("/audit/study.csv"))
    for value in ("WXL", "ZHQ", "1961-05-14", "moved to Beijing", "sha256"):
        assert value not in text
    assert {"NLX-S-001", "NLX-S-002"} <= {row["screening_number"] for row in rows}
    assert "attachment" in client_for("monitor").get("/audit/study.csv")["Content-Disposition"]


@pytest.mark.requirement("URS-AUDIT-007", "URS-ROLE-003")
def test_coordinators_cannot_take_it(client_for, study):
    assert client_for("coordinator").get("/audit/study.csv").status_code == 403
