"""The per-candidate audit trail and its CSV: who, when, field, old → new, reason; internal fields hidden."""

import csv
import re
import io
from contextlib import contextmanager
from types import SimpleNamespace

import pytest
from simple_history.models import HistoricalRecords

from screening.models import AuditEvent
from screening.selectors.audit import audit_trail
from screening.services import signoff
from screening.services.candidates import save_candidate
from tests.conftest import PASSWORD, eligible_record, with_lab
from tests.test_forms import edit_record, form_data

pytestmark = pytest.mark.django_db


@contextmanager
def acting_as(user):
    """What HistoryRequestMiddleware does for a web request: the history rows record this user."""
    HistoricalRecords.context.request = SimpleNamespace(user=user)
    try:
        yield
    finally:
        del HistoricalRecords.context.request


@pytest.fixture
def corrected(users, make_candidate):
    """A signed candidate whose platelet count was then corrected from 120 to 135, with a reason."""
    with acting_as(users["coordinator"]):
        candidate = make_candidate(user=users["coordinator"])
    signoff.sign(candidate=candidate, user=users["investigator"], password=PASSWORD,
                 evaluation_id=candidate.latest_evaluation_id)
    with acting_as(users["coordinator"]):
        save_candidate(record=with_lab(eligible_record(weight_kg="60"), "platelets", value="135"),
                       user=users["coordinator"], reason="transcription error, see lab report")
    candidate.refresh_from_db()
    return candidate


def rows_where(rows, **match):
    return [row for row in rows if all(getattr(row, key) == value for key, value in match.items())]


@pytest.mark.requirement("URS-AUDIT-001", "URS-CAND-007")
def test_a_lab_change_shows_who_when_field_old_new_and_reason(corrected):
    [row] = rows_where(audit_trail(corrected), record="Lab result Platelets (2026-02-27)", action="changed")
    assert (row.field, row.old, row.new) == ("value", "120 ×10⁹/L", "135 ×10⁹/L")  # issue 13: labels, units
    assert row.user == "coordinator"
    assert row.reason == "transcription error, see lab report"


@pytest.mark.requirement("URS-AUDIT-001")
def test_a_candidate_field_change_is_listed_with_its_reason(corrected):
    [row] = rows_where(audit_trail(corrected), record="Candidate", action="changed", field="weight (kg)")
    assert (row.old, row.new, row.user) == ("58.5", "60", "coordinator")
    assert row.reason == "transcription error, see lab report"


@pytest.mark.requirement("URS-AUDIT-001")
def test_creation_is_one_row_listing_the_entered_values(corrected):
    rows = rows_where(audit_trail(corrected), action="created")
    [candidate] = rows_where(rows, record="Candidate")
    assert "initials: WXL" in candidate.new and "screening date: 2026-03-02" in candidate.new
    assert candidate.user == "coordinator"
    [anc] = rows_where(rows, record="Lab result ANC (2026-02-27)")
    assert anc.new == "test: ANC; value: 2.1 ×10⁹/L; unit: ×10⁹/L; collected: 2026-02-27" and anc.old == ""


@pytest.mark.requirement("URS-AUDIT-003")
def test_internal_fields_are_hidden(corrected):
    rows = audit_trail(corrected)
    fields = {row.field for row in rows}
    assert not fields & {"position", "version", "ID", "id", "candidate", "updated at", "updated by", "created at"}
    assert "value" in fields
    for row in rows_where(rows, action="created"):
        assert "position" not in row.new and "version" not in row.new and "ID:" not in row.new


@pytest.mark.requirement("URS-AUDIT-002")
def test_actions_are_in_the_trail(corrected, users):
    signoff.sign(candidate=corrected, user=users["investigator"], password=PASSWORD,
                 evaluation_id=corrected.latest_evaluation_id)
    signoff.enrol(candidate=corrected, user=users["coordinator"])
    rows = audit_trail(corrected)
    assert [row.action for row in rows if row.action in ("sign", "enrol")] == ["sign", "sign", "enrol"]
    [state] = rows_where(rows, record="Candidate", action="changed", field="state")
    assert (state.old, state.new, state.user, state.reason) == ("Screening", "Enrolled", "coordinator",
                                                                "Enrolled as NLX-001")
    [enrol] = rows_where(rows, action="enrol")
    assert "subject number: NLX-001" in enrol.new
    assert [row.at for row in rows] == sorted(row.at for row in rows)


@pytest.mark.requirement("URS-AUDIT-001")
def test_a_deleted_lab_result_stays_in_the_trail(corrected, users):
    record = with_lab(eligible_record(weight_kg="60"), "platelets", value="135")
    ids = dict(corrected.lab_results.values_list("test", "pk"))
    record["labs"] = [{**lab, "id": ids[lab["test"]]} for lab in record["labs"] if lab["test"] != "ast"]
    with acting_as(users["coordinator"]):
        save_candidate(record=record, user=users["coordinator"], reason="duplicate entry")
    [row] = rows_where(audit_trail(corrected), record="Lab result AST (2026-02-27)", action="deleted")
    assert (row.old, row.new, row.reason) == ("test: AST; value: 35 U/L; unit: U/L; ULN: 40 U/L; collected: 2026-02-27", "",
                                              "duplicate entry")


@pytest.mark.requirement("URS-AUDIT-003")
def test_the_audit_page_shows_the_change(client_for, corrected):
    response = client_for("monitor").get(f"/candidates/{corrected.screening_number}/audit/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Lab result Platelets (2026-02-27)" in html
    assert '<td class="audit-old text-break">120 ×10⁹/L</td>' in html
    assert '<td class="audit-new text-break">135 ×10⁹/L</td>' in html
    assert "transcription error, see lab report" in html


@pytest.mark.requirement("URS-AUDIT-003")
def test_the_csv_export_has_the_same_rows_and_is_itself_audited(client_for, users, corrected):
    response = client_for("investigator").get(f"/candidates/{corrected.screening_number}/audit.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    table = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert list(table[0]) == ["at", "user", "record", "action", "field", "old", "new", "reason"]
    [row] = [row for row in table if row["record"] == "Lab result Platelets (2026-02-27)" and row["old"]]
    assert (row["field"], row["old"], row["new"], row["user"]) == ("value", "120 ×10⁹/L", "135 ×10⁹/L", "coordinator")
    assert row["at"].endswith("+08:00")
    event = AuditEvent.objects.get(action="export_audit_csv")
    assert event.user == users["investigator"] and event.candidate == corrected


@pytest.mark.requirement("URS-AUDIT-003")
def test_csv_cells_cannot_become_spreadsheet_formulas(client_for, users, make_candidate):
    candidate = make_candidate()
    signoff.close(candidate=candidate, user=users["coordinator"], state="not_enrolled", reason="=HYPERLINK(1)")
    body = client_for("admin").get(f"/candidates/{candidate.screening_number}/audit.csv").content.decode()
    assert "'=HYPERLINK(1)" in body
    assert ",=HYPERLINK" not in body


@pytest.mark.requirement("URS-ROLE-007")
def test_an_unknown_candidate_is_a_404(client_for, users):
    assert client_for("monitor").get("/candidates/NLX-S-999/audit/").status_code == 404


@pytest.mark.requirement("URS-AUDIT-001", "URS-CAND-007")
def test_a_lab_edit_through_the_web_form_is_audited_with_its_user_and_reason(client_for, users, make_candidate):
    candidate = make_candidate()
    signoff.sign(candidate=candidate, user=users["investigator"], password=PASSWORD,
                 evaluation_id=candidate.latest_evaluation_id)
    record = with_lab(edit_record(candidate), "anc", value="1.9")
    response = client_for("coordinator").post(
        f"/candidates/{candidate.screening_number}/edit/",
        form_data(record, version=1, reason="lab re-run", initial_forms={"labs": 7, "lesions": 1,
                                                                         "pregnancy_tests": 1}),
    )
    assert response.status_code == 302
    [row] = rows_where(audit_trail(candidate), record="Lab result ANC (2026-02-27)", action="changed")
    assert (row.field, row.old, row.new, row.user, row.reason) == ("value", "2.1 ×10⁹/L", "1.9 ×10⁹/L", "coordinator",
                                                                   "lab re-run")


@pytest.mark.requirement("URS-AUDIT-003", "URS-OUT-002")
def test_the_trail_reads_labels_and_units_not_codes_and_has_no_empty_change_rows(client_for, users, corrected):
    """Issue 13: no `10*9/L`, `non_nodal` or `anc` on the page; a save that changed nothing a reader sees
    (only the record's version) is no row."""
    record = with_lab(eligible_record(weight_kg="60"), "platelets", value="135")
    record["lesions"][0]["size_mm"] = "24"
    with acting_as(users["coordinator"]):
        save_candidate(record=record, user=users["coordinator"], reason="lesion re-measured")
    rows = audit_trail(corrected)
    assert not [row for row in rows if row.action == "changed" and not (row.field and (row.old or row.new))]
    [size] = rows_where(rows, action="changed", field="size mm")
    assert (size.record.lower(), size.old, size.new) == ("lesion non-nodal ct", "23", "24")
    html = client_for("monitor").get(f"/candidates/{corrected.screening_number}/audit/").content.decode()
    cells = " ".join(re.findall(r"<td[^>]*>([^<]*)</td>", html))
    for code in ("10*9/L", "non_nodal", "anc", "umol/L"):
        assert not re.search(rf"(?<![\w*/]){re.escape(code)}(?![\w*/])", cells), code
    assert "×10⁹/L" in cells and "µmol/L" in cells and "non-nodal" in cells.lower()
