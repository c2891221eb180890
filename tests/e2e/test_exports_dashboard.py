"""An admin downloads the XLSX and the de-identified CSV and opens both, records a 6-month DFS result,
and reads the stage decision and the charts on the dashboard (issue 6)."""

import csv
import io
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import expect

from screening.models import AuditEvent, Candidate, EndpointAssessment
from tests.conftest import eligible_record, with_lab

pytestmark = pytest.mark.e2e


@pytest.fixture
def trial(db, make_candidate):
    """Nine enrolled subjects (4 reached 6-month DFS, 1 did not, 4 pending) and one screen failure."""
    make_candidate(screening_number="NLX-S-001", initials="WXL")
    Candidate.objects.filter(screening_number="NLX-S-001").update(
        state="enrolled", subject_number="NLX-001", enrolment_date=date(2026, 3, 9)
    )
    make_candidate(**with_lab(eligible_record(screening_number="NLX-S-002", initials="CYF"), "platelets", value="95"))
    Candidate.objects.filter(screening_number="NLX-S-002").update(state="screen_failure")
    for number in range(2, 10):
        subject = Candidate.objects.create(
            screening_number=f"NLX-S-{number + 10:03d}", initials="AB", screening_date=date(2025, number, 2),
            state="enrolled", subject_number=f"NLX-{number:03d}", enrolment_date=date(2025, number, 10),
        )
        if number <= 6:  # NLX-002..005 reached 6-month DFS, NLX-006 did not
            EndpointAssessment.objects.create(
                candidate=subject, dfs_6_month="yes" if number <= 5 else "no", assessed_on=date(2026, 1, 5)
            )


def download(page, button="Download"):
    with page.expect_download() as info:
        page.get_by_role("button", name=button).click()
    return info.value


@pytest.mark.requirement("URS-UI-005", "URS-EXP-003")
def test_admin_exports_and_reads_the_dashboard(logged_in_page, trial, screenshot, axe_check):
    page = logged_in_page("admin")
    page.goto("/exports/")
    expect(page.get_by_role("heading", name="Exports")).to_be_visible()
    axe_check(page)
    screenshot("exports-page")

    # Full candidate data, identified, as an XLSX workbook.
    page.get_by_label("Full candidate data").check()
    page.get_by_label("XLSX (Excel workbook)").check()
    page.get_by_label("Identified (admins only)").check()
    xlsx = download(page)
    assert xlsx.suggested_filename.endswith(".xlsx") and "identified" in xlsx.suggested_filename
    book = openpyxl.load_workbook(io.BytesIO(Path(xlsx.path()).read_bytes()), read_only=True)
    assert book.sheetnames == [
        "candidates", "lab_results", "lesions", "pregnancy_tests", "evaluations", "queries", "verifications",
        "data_dictionary", "about",
    ]
    rows = list(book["candidates"].iter_rows(values_only=True))
    headers = rows[0]
    assert headers[:4] == ("screening_number", "rescreen_of", "initials", "date_of_birth")
    first = dict(zip(headers, next(row for row in rows[1:] if row[0] == "NLX-S-001")))
    assert (first["initials"], first["subject_number"], first["enrolment_date"]) == ("WXL", "NLX-001",
                                                                          datetime(2026, 3, 9))
    labs = list(book["lab_results"].iter_rows(values_only=True))
    assert labs[0][:7] == ("screening_number", "position", "test", "value", "unit", "uln", "collected")

    # The screening log, de-identified, dates reduced to the month, as CSV.
    page.get_by_label("Screening log").check()
    page.get_by_label("CSV", exact=True).check()
    page.get_by_label("De-identified", exact=True).check()
    page.get_by_label("Reduce to month (YYYY-MM)").check()
    log = download(page)
    assert log.suggested_filename.endswith(".csv") and "deidentified" in log.suggested_filename
    with open(log.path(), encoding="utf-8-sig", newline="") as file:
        reader = csv.DictReader(file)
        log_rows = list(reader)
    assert reader.fieldnames[:4] == ["screening_number", "rescreen_of", "screening_date", "age_at_screening"]
    assert "initials" not in reader.fieldnames and "date_of_birth" not in reader.fieldnames
    row = next(row for row in log_rows if row["screening_number"] == "NLX-S-001")
    assert (row["screening_date"], row["age_at_screening"], row["outcome"], row["subject_number"]) == (
        "2026-03", "64", "eligible", "NLX-001"
    )
    failure = next(row for row in log_rows if row["screening_number"] == "NLX-S-002")
    assert (failure["failing_criteria"], failure["state"]) == ("platelets", "screen_failure")
    assert AuditEvent.objects.filter(action="export").count() == 2

    # The dashboard: the stage decision in words and the charts.
    page.goto("/dashboard/")
    expect(page.get_by_text(
        "Stage 1: 9 of 12 enrolled, 5 evaluated, 4 reached 6-month DFS; 7 needed to continue; still possible"
    )).to_be_visible()
    expect(page.get_by_role("heading", name="Stage 1 still possible")).to_be_visible()
    for title in ("Screened and enrolled per month", "Cumulative enrolment against the target",
                  "Screen-failure reasons by criterion"):
        expect(page.get_by_text(title, exact=True)).to_be_visible()
    charts = page.locator("svg.chart[role=img]")
    expect(charts).to_have_count(3)
    for index in range(3):
        assert charts.nth(index).bounding_box()["height"] > 40  # drawn, not collapsed
    expect(page.locator("svg.tally[role=img]")).to_have_count(2)
    axe_check(page)
    screenshot("dashboard")

    # Record NLX-007's 6-month DFS; the decision text follows.
    page.get_by_role("link", name="Record DFS for NLX-007").click()
    page.get_by_label("Yes — reached 6-month DFS").check()
    page.get_by_label("Assessment date").fill("2026-02-01")  # enrolled 2025-07-10: 6 months have passed
    screenshot("dashboard-dfs-form")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text(
        "Stage 1: 9 of 12 enrolled, 6 evaluated, 5 reached 6-month DFS; 7 needed to continue; still possible"
    )).to_be_visible()
    assert EndpointAssessment.objects.get(candidate__subject_number="NLX-007").history.count() == 1
