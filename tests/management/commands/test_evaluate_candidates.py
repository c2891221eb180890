"""The batch interface (spec section 6): python manage.py evaluate_candidates PATH|-."""

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from screening.models import Candidate, Evaluation
from screening.services.candidates import record_evaluation
from tests.conftest import eligible_record, run_evaluate_candidates, with_lab

ROOT = Path(__file__).resolve().parents[3]


def run(batch_text, *args):
    """Run the command in-process on ``batch_text``; returns (exit code, parsed stdout)."""
    code, stdout = run_evaluate_candidates(batch_text, *args)
    return code, json.loads(stdout)


@pytest.mark.requirement("URS-BATCH-001")
def test_evaluates_each_candidate_in_input_order_and_exits_0():
    batch = [eligible_record(screening_number="A"), eligible_record(screening_number="B", ecog=2)]
    code, results = run(json.dumps(batch))
    assert code == 0
    assert [entry["screening_number"] for entry in results] == ["A", "B"]
    assert [entry["outcome"] for entry in results] == ["eligible", "ineligible"]
    assert results[0]["protocol_version"] == "1.0"
    assert [row["id"] for row in results[0]["criteria"]][:3] == ["consent", "age", "diagnosis"]


@pytest.mark.requirement("URS-BATCH-001")
def test_a_bad_candidate_is_an_error_entry_naming_the_field_and_the_others_still_run():
    bad = with_lab(eligible_record(screening_number="BAD"), "anc", unit="cells/uL")
    batch = [eligible_record(screening_number="A"), bad, eligible_record(screening_number="C")]
    code, results = run(json.dumps(batch))
    assert code == 1
    assert results[1]["screening_number"] == "BAD"
    assert "unit" in results[1]["error"]
    assert results[0]["outcome"] == results[2]["outcome"] == "eligible"


@pytest.mark.requirement("URS-BATCH-001")
def test_missing_screening_number_gives_null_in_the_error_entry():
    record = eligible_record()
    del record["screening_number"]
    code, results = run(json.dumps([record]))
    assert code == 1
    assert results[0]["screening_number"] is None
    assert "screening_number" in results[0]["error"]


@pytest.mark.requirement("URS-BATCH-002")
@pytest.mark.parametrize("text", ['{"screening_number": "A"}', "[1, 2]", "not json", '[{"a": 1}, "x"]'])
def test_input_that_is_not_a_json_array_of_objects_is_refused_whole_with_exit_2(text):
    stdin = sys.stdin
    sys.stdin = io.StringIO(text)
    try:
        with pytest.raises(CommandError) as error:
            call_command("evaluate_candidates", "-", stdout=io.StringIO())
    finally:
        sys.stdin = stdin
    assert error.value.returncode == 2


@pytest.mark.requirement("URS-CALC-001")
def test_decimal_numbers_are_read_exactly_from_the_json_text():
    # 0.45 <= 1.5 x 0.3 is true in decimal; in binary floating point 1.5 * 0.3 < 0.45.
    assert not 0.45 <= 1.5 * 0.3
    record = with_lab(eligible_record(), "bilirubin", value=0.45, uln=0.3, unit="mg/dL")
    _, results = run(json.dumps([record]))
    bilirubin = next(row for row in results[0]["criteria"] if row["id"] == "bilirubin")
    assert bilirubin["status"] == "pass"


@pytest.mark.requirement("URS-BATCH-003")
def test_needs_no_database(tmp_path):
    """A subprocess with a database URL that cannot be opened still evaluates."""
    path = tmp_path / "batch.json"
    path.write_text(json.dumps([eligible_record()]))
    env = {"PATH": "/usr/bin:/bin", "DATABASE_URL": f"sqlite:///{tmp_path}/missing-dir/none.sqlite3", "DEBUG": "1"}
    done = subprocess.run(
        [sys.executable, "manage.py", "evaluate_candidates", str(path)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)[0]["outcome"] == "eligible"


@pytest.mark.requirement("URS-BATCH-003")
@pytest.mark.django_db
def test_save_stores_candidates_and_evaluations_and_a_bad_one_saves_nothing():
    bad = eligible_record(screening_number="BAD", ecog=7)
    code, results = run(json.dumps([eligible_record(screening_number="A"), bad]), "--save")
    assert code == 1
    assert "ecog" in results[1]["error"]
    assert list(Candidate.objects.values_list("screening_number", flat=True)) == ["A"]
    assert Evaluation.objects.get().outcome == "eligible"


@pytest.mark.requirement("URS-BATCH-003")
@pytest.mark.django_db
def test_save_updates_an_existing_candidate_by_screening_number():
    run(json.dumps([eligible_record(screening_number="A")]), "--save")
    record = with_lab(eligible_record(screening_number="A"), "platelets", value="99")
    run(json.dumps([record]), "--save")
    candidate = Candidate.objects.get()
    assert candidate.lab_results.get(test="platelets").value == 99
    assert candidate.evaluations.count() == 2
    assert candidate.latest_evaluation.outcome == "ineligible"
    assert candidate.latest_evaluation.failing_criteria == ["platelets"]


@pytest.mark.requirement("URS-CAND-002")
@pytest.mark.django_db
@pytest.mark.parametrize(
    "record",
    [
        eligible_record(),
        eligible_record(ecog=2, lesions=[]),
        eligible_record(sex="male", labs=[], pregnancy_tests=[], weight_kg=None, partner_childbearing_potential=True),
        with_lab(eligible_record(date_of_birth="1952-02-29"), "creatinine", value="1.9", unit="mg/dL", uln="1.18"),
        eligible_record(lesions=None, transfusion_or_growth_factor={"any": True, "last_date": "2026-02-20"}),
    ],
)
def test_save_round_trip_gives_the_same_result_as_the_json(record):
    code, results = run(json.dumps([record]), "--save")
    assert code == 0
    candidate = Candidate.objects.get(screening_number=record["screening_number"])
    from_database = record_evaluation(candidate=candidate)
    assert from_database.outcome == results[0]["outcome"]
    assert [(row["id"], row["status"]) for row in from_database.criteria] == [
        (row["id"], row["status"]) for row in results[0]["criteria"]
    ]


@pytest.mark.requirement("URS-CAND-006")
@pytest.mark.django_db
def test_save_refuses_a_screening_number_that_cannot_be_part_of_a_url():
    code, results = run(json.dumps([eligible_record(screening_number="NLX/S/1")]), "--save")
    assert code == 1
    # revision 2: the engine itself refuses a number outside the pattern, so it is neither evaluated nor saved
    assert results[0]["error"].startswith("screening_number: 'NLX/S/1' must be 1–40 of")
    assert results[0]["screening_number"] is None
    assert Candidate.objects.count() == 0
