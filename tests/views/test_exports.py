"""Exports: the screening log (streamed CSV, XLSX), the full data (XLSX, ZIP of CSVs), the data
dictionary, de-identification, bad input, the audit trail and the Django admin actions."""

import csv
import io
import zipfile
from datetime import date, datetime, timedelta

import openpyxl
import pytest
from django.http import StreamingHttpResponse

from screening.eligibility import CRITERIA
from screening.models import AuditEvent, Candidate, EndpointAssessment, Signature
from screening.deidentification import MONTH, SHIFT, Policy
from screening.resources import FULL_DATA, IDENTIFYING, ScreeningLogResource
from screening.services.candidates import save_candidate
from tests.conftest import eligible_record, with_lab

LOG_CSV = {"dataset": "screening_log", "format": "csv", "identification": "deidentified", "dates": "shift"}


@pytest.fixture
def screened(users):
    """NLX-S-001 eligible, signed, enrolled as NLX-001 on 2026-03-09 with DFS recorded; NLX-S-002 a
    platelet screen failure; NLX-S-003 96 years old with a formula-like primary site."""
    coordinator = users["coordinator"]
    enrolled = save_candidate(record=eligible_record(screening_number="NLX-S-001", initials="WXL"), user=coordinator)
    Signature.objects.create(
        evaluation=enrolled, signed_by=users["investigator"], eligible=True, evaluation_sha256="a" * 64,
        meaning="I confirm this candidate meets the eligibility criteria of protocol 1.0",
    )
    Candidate.objects.filter(screening_number="NLX-S-001").update(
        state="enrolled", subject_number="NLX-001", enrolment_date=date(2026, 3, 9)
    )
    EndpointAssessment.objects.create(candidate=enrolled.candidate, dfs_6_month="yes", assessed_on=date(2026, 9, 10))
    failure = with_lab(
        eligible_record(screening_number="NLX-S-002", initials="ZHQ", screening_date="2026-03-05"),
        "platelets", value="95",
    )
    save_candidate(record=failure, user=coordinator)
    Candidate.objects.filter(screening_number="NLX-S-002").update(state="screen_failure", state_reason="Platelets 95")
    old = eligible_record(
        screening_number="NLX-S-003", initials="LMN", date_of_birth="1930-01-15",
        diagnosis={**eligible_record()["diagnosis"], "primary_site": "=1+2"},
    )
    save_candidate(record=old, user=coordinator)
    return Candidate.objects.order_by("screening_number")


def streamed_csv(response):
    assert isinstance(response, StreamingHttpResponse)
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


def workbook(response):
    return openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)


def sheet_rows(book, name):
    rows = list(book[name].iter_rows(values_only=True))
    return [dict(zip(rows[0], row)) for row in rows[1:]]


@pytest.mark.requirement("URS-EXP-001", "URS-EXP-003")
def test_monitor_log_csv_is_streamed_and_deidentified_with_shifted_dates(client_for, screened):
    response = client_for("monitor").post("/exports/", LOG_CSV)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "deidentified" in response["Content-Disposition"]
    rows = streamed_csv(response)
    assert [row["screening_number"] for row in rows] == ["NLX-S-001", "NLX-S-003", "NLX-S-002"]
    assert "initials" not in rows[0] and "date_of_birth" not in rows[0] and "state_reason" not in rows[0]
    first, old, failure = rows
    assert first["age_at_screening"] == "64"
    assert old["age_at_screening"] == "90+"
    assert (first["outcome"], first["sign_off"], first["state"], first["subject_number"]) == (
        "eligible", "signed", "enrolled", "NLX-001"
    )
    assert (failure["outcome"], failure["failing_criteria"], failure["state"]) == (
        "ineligible", "platelets", "screen_failure"
    )
    assert "age" in old["failing_criteria"].split(";")
    screened_on = date.fromisoformat(first["screening_date"])
    offset = (screened_on - date(2026, 3, 2)).days
    assert -365 <= offset <= -1
    assert (date.fromisoformat(first["enrolment_date"]) - screened_on).days == 7  # intervals kept
    assert (date.fromisoformat(failure["screening_date"]) - screened_on).days == 3  # one offset per export
    assert first["evaluated_at"] and "WXL" not in str(rows)


@pytest.mark.requirement("URS-EXP-001")
def test_dates_reduced_to_month(client_for, screened):
    rows = streamed_csv(client_for("monitor").post("/exports/", {**LOG_CSV, "dates": "month"}))
    assert rows[0]["screening_date"] == "2026-03"
    assert rows[0]["enrolment_date"] == "2026-03"
    assert len(rows[0]["evaluated_at"]) == 7


@pytest.mark.requirement("URS-ROLE-004")
def test_admin_may_export_identified(client_for, screened):
    rows = streamed_csv(client_for("admin").post("/exports/", {**LOG_CSV, "identification": "identified"}))
    first = rows[0]
    assert (first["initials"], first["screening_date"], first["enrolment_date"]) == ("WXL", "2026-03-02", "2026-03-09")
    assert rows[2]["state_reason"] == "Platelets 95"
    assert first["age_at_screening"] == "64"
    assert rows[1]["age_at_screening"] == "96"  # grouped as 90+ only when de-identified


@pytest.mark.requirement("URS-ROLE-004")
def test_monitor_cannot_export_identified(client_for, screened):
    response = client_for("monitor").post("/exports/", {**LOG_CSV, "identification": "identified"})
    assert response.status_code == 400
    assert "identified exports are for admins only" in response.content.decode()
    assert not AuditEvent.objects.filter(action="export").exists()


@pytest.mark.requirement("URS-EXP-005")
def test_unknown_format_gives_a_clear_message(client_for, screened):
    response = client_for("admin").post("/exports/", {**LOG_CSV, "format": "pdf"})
    assert response.status_code == 400
    assert "Format: unknown export format “pdf”; choose CSV or XLSX." in response.content.decode()
    assert not AuditEvent.objects.filter(action="export").exists()


@pytest.mark.requirement("URS-EXP-005")
def test_reversed_date_range_gives_a_clear_message(client_for, screened):
    response = client_for("monitor").post(
        "/exports/", {**LOG_CSV, "date_from": "2026-03-31", "date_to": "2026-03-01"}
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "Screening date to (2026-03-01) is before screening date from (2026-03-31)" in content
    assert not AuditEvent.objects.filter(action="export").exists()


@pytest.mark.requirement("URS-EXP-005")
@pytest.mark.parametrize(
    "field, value, message",
    [
        ("date_from", "2026-02-30", "Screening date from: enter a date as YYYY-MM-DD."),
        ("dataset", "everything", "Data: choose the screening log or the full candidate data"),
        ("dates", "year", "Dates: choose shift or month"),
        ("identification", "<script>", "Identification: identified exports are for admins only"),
    ],
)
def test_garbage_input_is_refused_with_the_field_named(client_for, screened, field, value, message):
    response = client_for("monitor").post("/exports/", {**LOG_CSV, field: value})
    assert response.status_code == 400
    assert message in response.content.decode()


@pytest.mark.requirement("URS-EXP-003")
def test_date_range_filters_on_screening_date(client_for, screened):
    response = client_for("admin").post(
        "/exports/", {**LOG_CSV, "identification": "identified", "date_from": "2026-03-03", "date_to": "2026-03-31"}
    )
    assert [row["screening_number"] for row in streamed_csv(response)] == ["NLX-S-002"]


@pytest.mark.requirement("URS-EXP-004", "URS-AUDIT-002")
def test_every_export_is_audited_with_who_what_and_row_count(client_for, users, screened):
    client_for("monitor").post("/exports/", LOG_CSV)
    event = AuditEvent.objects.get(action="export")
    assert event.user == users["monitor"]
    assert event.details["dataset"] == "screening_log"
    assert event.details["format"] == "csv"
    assert event.details["deidentified"] is True
    assert event.details["dates"] == SHIFT
    assert event.details["rows"] == 3
    assert event.details["scope"]["via"] == "exports page"
    assert event.at is not None


@pytest.mark.requirement("URS-EXP-003")
def test_full_data_xlsx_has_a_sheet_per_table_and_a_dictionary(client_for, screened):
    response = client_for("admin").post(
        "/exports/", {**LOG_CSV, "dataset": "candidate_data", "format": "xlsx", "identification": "identified"}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    book = workbook(response)
    assert book.sheetnames == [
        "candidates", "lab_results", "lesions", "pregnancy_tests", "evaluations", "queries", "verifications",
        "data_dictionary", "about",
    ]
    candidates = sheet_rows(book, "candidates")
    assert candidates[0]["screening_number"] == "NLX-S-001"
    assert candidates[0]["initials"] == "WXL"
    assert candidates[0]["date_of_birth"] == datetime(1961, 5, 14)  # a date cell (issue 13)
    assert candidates[0]["dfs_6_month"] == "yes"
    assert candidates[0]["metastatic"] == "yes"
    assert candidates[1]["primary_site"] == "'=1+2"  # never a live formula
    labs = sheet_rows(book, "lab_results")
    alt = next(row for row in labs if row["screening_number"] == "NLX-S-001" and row["test"] == "alt")
    assert (alt["value"], alt["unit"], alt["uln"], alt["collected"]) == (88, "U/L", 40, datetime(2026, 2, 27))
    anc = next(row for row in labs if row["test"] == "anc")
    assert anc["value"] == 2.1 and anc["unit"] == "10*9/L"
    assert sheet_rows(book, "lesions")[0]["size_mm"] == 23
    assert sheet_rows(book, "pregnancy_tests")[0]["collected"] == datetime(2026, 3, 8, 10, 30)  # site time
    evaluations = sheet_rows(book, "evaluations")
    assert len(evaluations) == 3
    failure = next(row for row in evaluations if row["screening_number"] == "NLX-S-002")
    assert failure["status_platelets"] == "fail"
    assert failure["status_anc"] == "pass"
    assert failure["is_latest"] == "yes"
    assert next(row for row in evaluations if row["screening_number"] == "NLX-S-001")["signed"] == "yes"
    assert [column for column in evaluations[0] if column.startswith("status_")] == [
        f"status_{criterion.id}" for criterion in CRITERIA
    ]
    documented = {(row["table"], row["column"]) for row in sheet_rows(book, "data_dictionary")}
    for name in ("candidates", "lab_results", "lesions", "pregnancy_tests", "evaluations"):
        headers = next(book[name].iter_rows(values_only=True))
        assert {(name, header) for header in headers} <= documented, name
    about = {row["item"]: row["value"] for row in sheet_rows(book, "about")}
    assert about["identification"] == "identified"
    assert about["rows_candidates"] == 3


@pytest.mark.requirement("URS-EXP-001")
def test_deidentified_full_data_drops_identifiers_everywhere(client_for, screened, monkeypatch):
    # A fixed 100-day shift: with a random one, a later date (a pregnancy test on 03-08) shifted by 6 days
    # reads 2026-03-02, the real screening date, by coincidence, and the test failed now and then.
    monkeypatch.setattr("screening.deidentification.secrets.randbelow", lambda n: 99)
    response = client_for("admin").post("/exports/", {**LOG_CSV, "dataset": "candidate_data", "format": "xlsx"})
    book = workbook(response)
    candidates = sheet_rows(book, "candidates")
    assert "initials" not in candidates[0] and "date_of_birth" not in candidates[0]
    assert candidates[0]["age_at_screening"] == 64
    assert candidates[0]["screening_date"] == datetime(2026, 3, 2) - timedelta(days=100)
    values = {value for name in book.sheetnames for row in book[name].iter_rows(values_only=True) for value in row}
    assert not values & {"WXL", "ZHQ", "LMN", "1961-05-14", "1930-01-15", "2026-03-02", "Platelets 95",
                         datetime(1961, 5, 14), datetime(1930, 1, 15), datetime(2026, 3, 2)}
    dictionary = sheet_rows(book, "data_dictionary")
    assert not any(row["column"] in IDENTIFYING for row in dictionary)
    dates = next(row for row in dictionary if row["table"] == "candidates" and row["column"] == "screening_date")
    assert "random number of days" in dates["in_this_export"]


@pytest.mark.requirement("URS-EXP-003", "URS-EXP-005")
def test_full_data_csv_is_a_zip_of_tables_with_the_dictionary(client_for, screened):
    response = client_for("monitor").post("/exports/", {**LOG_CSV, "dataset": "candidate_data", "dates": "month"})
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(archive.namelist()) == sorted([
        "candidates.csv", "lab_results.csv", "lesions.csv", "pregnancy_tests.csv", "evaluations.csv",
        "queries.csv", "verifications.csv",
        "data_dictionary.csv", "about.csv",
    ])
    labs = list(csv.DictReader(io.StringIO(archive.read("lab_results.csv").decode("utf-8-sig"))))
    assert {"screening_number", "test", "value", "unit", "uln", "collected"} <= set(labs[0])
    assert labs[0]["collected"] == "2026-02"
    dictionary = list(csv.DictReader(io.StringIO(archive.read("data_dictionary.csv").decode("utf-8-sig"))))
    assert {row["table"] for row in dictionary} == {
        "candidates", "lab_results", "lesions", "pregnancy_tests", "evaluations", "queries", "verifications",
    }
    event = AuditEvent.objects.get(action="export")
    assert event.details["rows"] == sum(event.details["scope"]["rows_per_table"].values())
    assert event.details["scope"]["rows_per_table"]["candidates"] == 3


@pytest.mark.requirement("URS-EXP-003")
def test_log_xlsx(client_for, screened):
    response = client_for("monitor").post("/exports/", {**LOG_CSV, "format": "xlsx"})
    book = workbook(response)
    assert book.sheetnames == ["screening_log", "data_dictionary", "about"]
    rows = sheet_rows(book, "screening_log")
    assert rows[0]["sign_off"] == "signed" and rows[0]["age_at_screening"] == 64


@pytest.mark.requirement("URS-EXP-003", "URS-OUT-005")
@pytest.mark.parametrize("identification, dates", [("identified", "shift"), ("deidentified", "shift"),
                                                   ("deidentified", "month")])
def test_xlsx_dates_are_date_cells_with_a_date_format(client_for, screened, identification, dates):
    """Issue 13: dates and datetimes in a workbook are spreadsheet dates, not text (a month stays YYYY-MM)."""
    response = client_for("admin").post("/exports/", {**LOG_CSV, "dataset": "candidate_data", "format": "xlsx",
                                                      "identification": identification, "dates": dates})
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    columns = {("candidates", "screening_date"): "yyyy-mm-dd", ("lab_results", "collected"): "yyyy-mm-dd",
               ("candidates", "planned_first_dose"): "yyyy-mm-dd h:mm:ss",
               ("pregnancy_tests", "collected"): "yyyy-mm-dd h:mm:ss", ("evaluations", "evaluated_at"): "yyyy-mm-dd h:mm:ss"}
    for (sheet, column), number_format in columns.items():
        headers = [cell.value for cell in book[sheet][1]]
        cells = [row[headers.index(column)] for row in book[sheet].iter_rows(min_row=2)]
        assert cells, (sheet, column)
        for cell in cells:
            if dates == "month":
                assert isinstance(cell.value, str) and len(cell.value) == 7, (sheet, column, cell.value)
            else:
                assert cell.is_date and isinstance(cell.value, datetime), (sheet, column, cell.value)
                assert cell.number_format == number_format, (sheet, column)
    log = openpyxl.load_workbook(io.BytesIO(client_for("monitor").post("/exports/", {**LOG_CSV, "format": "xlsx"}).content))
    headers = [cell.value for cell in log["screening_log"][1]]
    assert all(row[headers.index("screening_date")].is_date for row in log["screening_log"].iter_rows(min_row=2))


@pytest.mark.requirement("URS-SIGN-004")
def test_sign_off_superseded_after_a_later_evaluation(client_for, screened):
    record = eligible_record(screening_number="NLX-S-001", initials="WXL")
    with_lab(record, "platelets", value="130")
    save_candidate(record=record, reason="lab corrected")
    rows = streamed_csv(client_for("monitor").post("/exports/", LOG_CSV))
    assert rows[0]["sign_off"] == "superseded"
    assert rows[1]["sign_off"] == "unsigned"


@pytest.mark.requirement("URS-EXP-003")
def test_data_dictionary_download_documents_every_column(client_for, db):
    response = client_for("monitor").get("/exports/data-dictionary.csv")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    documented = {(row["table"], row["column"]) for row in rows}
    for resource in (ScreeningLogResource(Policy.identified()), *(cls(Policy.identified()) for cls in FULL_DATA)):
        assert {(resource.table, header) for header in resource.get_export_headers()} <= documented
    assert all(row["description"] for row in rows)
    initials = next(row for row in rows if row["column"] == "initials")
    assert initials["deidentified_exports"] == "removed"


@pytest.mark.requirement("URS-EXP-001")
def test_exports_page_documents_formats_and_deidentification(client_for, db):
    content = client_for("monitor").get("/exports/").content.decode()
    assert "De-identified is the default, and the only choice for monitors" in content
    assert "reduced to the month (YYYY-MM)" in content
    assert 'value="identified"' not in content  # monitors are not offered identified exports
    assert 'value="identified"' in client_for("admin").get("/exports/").content.decode()


@pytest.mark.requirement("URS-EXP-001")
def test_policy_offset_is_per_export_and_within_a_year():
    offsets = {Policy.deidentify(SHIFT).shift_days for _ in range(50)}
    assert all(-365 <= offset <= -1 for offset in offsets)
    assert len(offsets) > 1
    assert Policy.deidentify(MONTH).present(date(2026, 3, 2)) == "2026-03"
    assert Policy.identified().present(date(2026, 3, 2)) == "2026-03-02"
    with pytest.raises(ValueError):
        Policy.deidentify("year")


@pytest.mark.requirement("URS-EXP-003", "URS-EXP-004")
def test_admin_action_exports_selected_candidates(client_for, users, screened):
    users["admin"].is_superuser = True  # the Django admin's model permissions
    users["admin"].save()
    client = client_for("admin")
    selected = [str(candidate.pk) for candidate in screened if candidate.screening_number != "NLX-S-003"]
    response = client.post(
        "/admin/screening/candidate/",
        {"action": "export_deidentified_xlsx", "_selected_action": selected},
    )
    assert response.status_code == 200
    book = workbook(response)
    assert [row["screening_number"] for row in sheet_rows(book, "candidates")] == ["NLX-S-001", "NLX-S-002"]
    assert "initials" not in sheet_rows(book, "candidates")[0]
    event = AuditEvent.objects.get(action="export")
    assert event.user == users["admin"]
    assert event.details["scope"] == {
        "via": "admin action", "candidates": ["NLX-S-001", "NLX-S-002"],
        "rows_per_table": event.details["scope"]["rows_per_table"],
    }
    assert event.details["deidentified"] is True

    response = client.post(
        "/admin/screening/candidate/", {"action": "export_identified_xlsx", "_selected_action": selected[:1]}
    )
    assert sheet_rows(workbook(response), "candidates")[0]["initials"] == "WXL"
    assert AuditEvent.objects.filter(action="export", details__deidentified=False).count() == 1
