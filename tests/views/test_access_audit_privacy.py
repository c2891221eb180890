"""Per-candidate files by role: monitors (de-identified data only) get a de-identified audit trail and no
checklist PDF; the primary endpoint's changes are in the audit trail and its CSV for the auditing roles.

The assessment: a monitor bulk-downloaded initials and dates of birth of 87 candidates through
audit.csv and checklist.pdf; 6-month DFS changes were in no audit trail.
"""

import csv
import io
from datetime import date, timedelta

import pytest
from django.utils import timezone

from screening.models import AuditEvent, Candidate
from screening.services import signoff
from screening.services.endpoints import record_dfs
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

IDENTIFYING = ("WXL", "1961-05-14", "moved to Beijing with his family")


@pytest.fixture
def enrolled(users, make_candidate):
    """NLX-S-001 (initials WXL, born 1961-05-14) signed, enrolled 200 days ago, DFS yes then corrected to no."""
    candidate = make_candidate(user=users["coordinator"])
    signoff.sign(candidate=candidate, user=users["investigator"], password=PASSWORD,
                 evaluation_id=candidate.latest_evaluation_id)
    today = timezone.localdate()
    Candidate.objects.filter(pk=candidate.pk).update(screening_date=today - timedelta(days=210))
    signoff.enrol(candidate=candidate, user=users["coordinator"], enrolment_date=today - timedelta(days=200))
    record_dfs(candidate=candidate, dfs_6_month="yes", assessed_on=today, user=users["coordinator"])
    record_dfs(candidate=candidate, dfs_6_month="no", assessed_on=today, user=users["coordinator"],
               reason="recurrence on the 5-month CT, read late")
    return candidate


@pytest.fixture
def closed(users, make_candidate):
    candidate = make_candidate(screening_number="NLX-S-002", user=users["coordinator"])
    signoff.close(candidate=candidate, user=users["coordinator"], state="not_enrolled",
                  reason="moved to Beijing with his family")
    return candidate


def audit_csv(client, candidate):
    response = client.get(f"/candidates/{candidate.screening_number}/audit.csv")
    assert response.status_code == 200
    return response.content.decode(), list(csv.DictReader(io.StringIO(response.content.decode())))


@pytest.mark.requirement("URS-EXP-006", "URS-AUDIT-003")
@pytest.mark.parametrize("role", ["investigator", "admin"])
def test_site_staff_get_the_identified_trail(client_for, enrolled, closed, role):
    body, _ = audit_csv(client_for(role), enrolled)
    assert "WXL" in body and "1961-05-14" in body
    assert "sha256" in body
    body, _ = audit_csv(client_for(role), closed)
    assert "moved to Beijing with his family" in body


@pytest.mark.requirement("URS-EXP-006")
def test_monitors_get_a_deidentified_trail(client_for, enrolled, closed):
    client = client_for("monitor")
    for candidate in (enrolled, closed):
        body, rows = audit_csv(client, candidate)
        for value in IDENTIFYING:
            assert value not in body
        assert "sha256" not in body
        for digest in candidate.evaluations.values_list("input_sha256", flat=True):
            assert digest not in body
    html = client.get(f"/candidates/{closed.screening_number}/audit/").content.decode()
    assert "moved to Beijing" not in html
    event = AuditEvent.objects.filter(action="export_audit_csv").latest("id")
    assert event.details["deidentified"] is True


@pytest.mark.requirement("URS-EXP-006", "URS-AUDIT-003")
def test_monitors_trail_keeps_the_audit_content(client_for, enrolled):
    _, rows = audit_csv(client_for("monitor"), enrolled)
    [initials] = [row for row in rows if row["action"] == "created" and row["record"] == "Candidate"]
    assert "initials: (withheld)" in initials["new"] and "date of birth: (withheld)" in initials["new"]
    assert "screening date:" in initials["new"]
    assert [row["action"] for row in rows if row["action"] in ("sign", "enrol")] == ["sign", "enrol"]


@pytest.mark.requirement("URS-EXP-006", "URS-ROLE-003")
@pytest.mark.parametrize(("role", "status"), [("coordinator", 200), ("investigator", 200), ("admin", 200),
                                               ("monitor", 403)])
def test_checklist_pdf_by_role(client_for, enrolled, role, status):
    response = client_for(role).get(f"/candidates/{enrolled.screening_number}/checklist.pdf")
    assert response.status_code == status
    if status == 403:
        assert "de-identified" in response.content.decode()
        assert not AuditEvent.objects.filter(action="export_checklist_pdf").exists()


@pytest.mark.requirement("URS-AUDIT-006")
@pytest.mark.parametrize("role", ["investigator", "monitor", "admin"])
def test_primary_endpoint_changes_are_in_the_trail_and_its_csv(client_for, enrolled, role):
    client = client_for(role)
    _, rows = audit_csv(client, enrolled)
    dfs = [row for row in rows if row["record"] == "Primary endpoint (6-month DFS)"]
    assert dfs[0]["action"] == "created" and "dfs 6 month: Yes — reached 6-month DFS" in dfs[0]["new"]  # labels
    [change] = [row for row in dfs if row["action"] == "changed"]
    assert (change["old"], change["new"], change["user"], change["reason"]) == (
        "Yes — reached 6-month DFS", "No", "coordinator", "recurrence on the 5-month CT, read late"
    )
    html = client.get(f"/candidates/{enrolled.screening_number}/audit/").content.decode()
    assert "Primary endpoint (6-month DFS)" in html and "recurrence on the 5-month CT, read late" in html


@pytest.mark.requirement("URS-AUDIT-003")
def test_dates_in_the_trail_are_iso(client_for, enrolled):
    _, rows = audit_csv(client_for("monitor"), enrolled)
    [dfs] = [row for row in rows if row["record"] == "Primary endpoint (6-month DFS)" and row["action"] == "created"]
    assert f"assessed on: {timezone.localdate().isoformat()}" in dfs["new"]
    assert date.fromisoformat(rows[0]["at"][:10])
