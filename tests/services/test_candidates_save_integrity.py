"""Saving candidates: a NUL byte, a trailing newline, a case-variant duplicate, a double click.

The assessment: `evaluate_candidates --save` with a NUL byte aborted the whole batch with a traceback;
a double click on Save for a new candidate gave a 500 (8 of 10 tries); "NLX-S-014\\n" got in and broke
its PDF; nlx-s-001 and NLX-S-001 coexisted.
"""

import json
import threading

import pytest
from django.db import IntegrityError, connection, connections, transaction

from screening.eligibility import InvalidRecord
from screening.models import Candidate
from screening.services.candidates import save_candidate
from tests.conftest import eligible_record, run_evaluate_candidates
from tests.test_forms import form_data

pytestmark = pytest.mark.django_db


def with_lesion_site(record, site):
    record["lesions"][0]["site"] = site
    return record


@pytest.mark.requirement("URS-BATCH-001", "URS-INPUT-007")
def test_a_nul_byte_is_one_bad_entry_not_a_crashed_batch(db):
    batch = [
        with_lesion_site(eligible_record(screening_number="NLX-S-001"), "liver\x00segment 4"),
        eligible_record(screening_number="NLX-S-002", initials="AB"),
    ]
    code, output = run_evaluate_candidates(json.dumps(batch), "--save")
    assert code == 1
    first, second = json.loads(output)
    assert first["screening_number"] == "NLX-S-001" and "lesions[0].site" in first["error"]
    assert "NUL" in first["error"] or "U+0000" in first["error"]
    assert "error" not in second
    assert list(Candidate.objects.values_list("screening_number", flat=True)) == ["NLX-S-002"]


@pytest.mark.requirement("URS-INPUT-009")
@pytest.mark.parametrize("path", ["initials", "diagnosis.primary_site"])
def test_a_nul_byte_anywhere_is_refused_naming_the_field(db, path):
    record = eligible_record()
    if path == "initials":
        record["initials"] = "AB\x00"
    else:
        record["diagnosis"] = {**record["diagnosis"], "primary_site": "pan\x00creas"}
    with pytest.raises(InvalidRecord) as refused:
        save_candidate(record=record)
    assert refused.value.field == path
    assert not Candidate.objects.exists()


@pytest.mark.requirement("URS-CAND-006", "URS-INPUT-007")
@pytest.mark.parametrize("number", ["NLX-S-014\n", "NLX-S-014\r\n", "\nNLX-S-014"])
def test_a_screening_number_with_a_newline_is_refused(db, number):
    with pytest.raises(InvalidRecord) as refused:
        save_candidate(record=eligible_record(screening_number=number))
    assert refused.value.field == "screening_number"
    code, output = run_evaluate_candidates(json.dumps([eligible_record(screening_number=number)]), "--save")
    assert code == 1 and "error" in json.loads(output)[0]
    assert not Candidate.objects.exists()


@pytest.mark.requirement("URS-CAND-011")
def test_screening_numbers_are_unique_ignoring_case(db):
    save_candidate(record=eligible_record(screening_number="NLX-S-001"))
    with pytest.raises(InvalidRecord) as refused:
        save_candidate(record=eligible_record(screening_number="nlx-s-001"))
    assert refused.value.field == "screening_number" and "NLX-S-001" in refused.value.message
    assert Candidate.objects.count() == 1


@pytest.mark.requirement("URS-CAND-011")
def test_the_database_refuses_a_case_variant_duplicate(db):
    Candidate.objects.create(screening_number="NLX-S-001", screening_date="2026-03-02")
    with pytest.raises(IntegrityError), transaction.atomic():
        Candidate.objects.create(screening_number="nlx-S-001", screening_date="2026-03-02")


@pytest.mark.requirement("URS-CAND-011")
def test_the_second_click_on_save_gets_a_clear_message(client_for, users):
    client = client_for("coordinator")
    data = form_data(eligible_record(screening_number="NLX-S-031"))
    first = client.post("/candidates/new/", data)
    assert first.status_code == 302
    second = client.post("/candidates/new/", data)
    assert second.status_code == 200
    assert "NLX-S-031 already exists" in second.content.decode()
    assert Candidate.objects.filter(screening_number="NLX-S-031").count() == 1


@pytest.mark.requirement("URS-CAND-011")
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="simultaneous inserts need PostgreSQL (CI runs it)")
def test_two_simultaneous_saves_of_a_new_candidate_one_wins_the_other_is_told(db):
    barrier = threading.Barrier(2)
    results = [None, None]

    def run(index):
        try:
            barrier.wait()
            results[index] = save_candidate(record=eligible_record(screening_number="NLX-S-040"))
        except Exception as error:  # noqa: BLE001 - the test inspects it
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    refusals = [result for result in results if isinstance(result, Exception)]
    assert len(refusals) <= 1
    for refusal in refusals:
        assert isinstance(refusal, InvalidRecord) and refusal.field == "screening_number"
    assert Candidate.objects.filter(screening_number="NLX-S-040").count() == 1
