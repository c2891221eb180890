"""De-identified files cannot be re-identified: the assessment's brute-force attack finds nothing.

Before the fix, ``evaluations.input_sha256`` was the plain SHA-256 of the identified record, and the
attack in ``tests/reidentify.py`` recovered the export's date offset and every date of birth.
"""

import csv
import io
import zipfile
from datetime import date

import pytest

from screening.models import Evaluation
from screening.deidentification import Policy
from screening.services.candidates import save_candidate, sha256_of
from tests.conftest import eligible_record
from tests.reidentify import recover, shifted

FULL_CSV = {"dataset": "candidate_data", "format": "csv", "identification": "deidentified", "dates": "shift"}
BIRTH_DATES = {"NLX-S-001": "1961-05-14", "NLX-S-002": "1970-12-31", "NLX-S-003": "1948-02-29", "NLX-S-004": None}


@pytest.fixture
def screened(users):
    for number, born in BIRTH_DATES.items():
        save_candidate(record=eligible_record(screening_number=number, date_of_birth=born), user=users["coordinator"])


def zipped_tables(response):
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        return {
            name.removesuffix(".csv"): list(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8-sig"))))
            for name in archive.namelist()
        }


def attacker_views(tables):
    """What the file tells about each evaluated record: its dates as shifted in the file, the age, no birth date.

    The test reads the true records from the database only to lay out the values the file holds; it checks
    that the file does hold them (the shifted screening date), so nothing here is more than the file tells.
    """
    candidates = {row["screening_number"]: row for row in tables["candidates"]}
    views = []
    for evaluation in Evaluation.objects.select_related("candidate"):
        row = candidates[evaluation.candidate.screening_number]
        true_day = date.fromisoformat(evaluation.input["screening_date"])
        file_shift = (date.fromisoformat(row["screening_date"]) - true_day).days
        record = shifted({**evaluation.input, "date_of_birth": None}, file_shift)
        assert record["screening_date"] == row["screening_date"]
        views.append({"record": record, "age": int(row["age_at_screening"]) if row["age_at_screening"] else None})
    return views


def all_cells(tables):
    return {value for rows in tables.values() for row in rows for value in row.values()}


@pytest.mark.requirement("URS-EXP-002")
def test_the_attack_works_on_a_plain_digest(screened):
    """The attack itself is sound: against the unkeyed digest it recovers the offset and the birth dates."""
    policy = Policy.deidentify()
    views = [
        {"record": shifted({**evaluation.input, "date_of_birth": None}, policy.shift_days),
         "age": None if evaluation.input["date_of_birth"] is None else policy.age(
             date.fromisoformat(evaluation.input["date_of_birth"]),
             date.fromisoformat(evaluation.input["screening_date"]))}
        for evaluation in Evaluation.objects.all()
    ]
    found = recover(cells={sha256_of(evaluation.input) for evaluation in Evaluation.objects.all()}, views=views)
    assert found["shift_days"] == policy.shift_days
    assert {number: born.isoformat() for number, born in found["dates_of_birth"].items()} == {
        number: born for number, born in BIRTH_DATES.items() if born
    }


@pytest.mark.requirement("URS-EXP-002")
def test_deidentified_full_data_export_cannot_be_reidentified(client_for, screened):
    response = client_for("monitor").post("/exports/", FULL_CSV)
    assert response.status_code == 200
    tables = zipped_tables(response)
    found = recover(cells=all_cells(tables), views=attacker_views(tables))
    assert found == {"shift_days": None, "dates_of_birth": {}}


@pytest.mark.requirement("URS-EXP-002")
def test_deidentified_digest_is_keyed_and_identified_digest_is_plain(client_for, screened):
    tables = zipped_tables(client_for("monitor").post("/exports/", FULL_CSV))
    plain = {evaluation.input_sha256 for evaluation in Evaluation.objects.all()}
    keyed = {row["input_sha256"] for row in tables["evaluations"]}
    assert len(keyed) == len(plain) == 4 and not keyed & plain
    assert all(len(value) == 64 for value in keyed)
    identified = zipped_tables(client_for("admin").post("/exports/", {**FULL_CSV, "identification": "identified"}))
    assert {row["input_sha256"] for row in identified["evaluations"]} == plain


@pytest.mark.requirement("URS-EXP-002")
def test_no_cell_of_a_deidentified_export_is_a_digest_of_identified_data(client_for, screened):
    """Review of every column of every table: no plain digest of any record, evaluation or signature."""
    tables = zipped_tables(client_for("monitor").post("/exports/", FULL_CSV))
    digests = {evaluation.input_sha256 for evaluation in Evaluation.objects.all()}
    assert not all_cells(tables) & digests
    assert next(row for row in tables["data_dictionary"] if row["column"] == "input_sha256")[
        "in_this_export"
    ].startswith("keyed with the server's secret")
