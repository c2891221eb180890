"""Simultaneous enrolments on PostgreSQL: real threads, real row locks, each subject number once."""

import threading

import pytest
from django.db import connection, connections

from screening.models import AuditEvent, Candidate, SubjectNumberCounter
from screening.services import signoff
from tests.conftest import PASSWORD

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL (CI runs it)"),
]


def run_together(actions):
    """Start every action at the same moment in its own thread (own connection); return results/errors."""
    barrier = threading.Barrier(len(actions))
    results = [None] * len(actions)

    def run(index, action):
        try:
            barrier.wait()
            results[index] = action()
        except Exception as error:  # noqa: BLE001 - the test inspects it
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(index, action)) for index, action in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def signed_candidates(make_candidate, users, count):
    candidates = []
    for number in range(1, count + 1):
        candidate = make_candidate(screening_number=f"NLX-S-{number:03d}")
        signoff.sign(candidate=candidate, user=users["investigator"], password=PASSWORD,
                     evaluation_id=candidate.latest_evaluation_id)
        candidates.append(candidate)
    return candidates


@pytest.mark.requirement("URS-ENROL-002")
def test_simultaneous_enrolments_get_distinct_sequential_numbers(make_candidate, users):
    candidates = signed_candidates(make_candidate, users, 8)
    assert not SubjectNumberCounter.objects.exists()  # the first enrolments also race to create the row
    results = run_together([
        lambda candidate=candidate: signoff.enrol(candidate=candidate, user=users["coordinator"])
        for candidate in candidates
    ])
    assert all(isinstance(result, Candidate) for result in results), results
    numbers = sorted(Candidate.objects.values_list("subject_number", flat=True))
    assert numbers == [f"NLX-{n:03d}" for n in range(1, 9)]
    assert SubjectNumberCounter.objects.get().last_number == 8


@pytest.mark.requirement("URS-ENROL-001", "URS-ENROL-002")
def test_two_simultaneous_enrolments_of_one_candidate_enrol_it_once(make_candidate, users):
    [candidate] = signed_candidates(make_candidate, users, 1)
    results = run_together([
        lambda: signoff.enrol(candidate=candidate, user=users["coordinator"]),
        lambda: signoff.enrol(candidate=candidate, user=users["admin"]),
    ])
    refused = [result for result in results if isinstance(result, signoff.Refused)]
    assert len(refused) == 1 and "already enrolled as NLX-001" in refused[0].message, results
    candidate.refresh_from_db()
    assert candidate.subject_number == "NLX-001"
    assert SubjectNumberCounter.objects.get().last_number == 1
    assert AuditEvent.objects.filter(action="enrol").count() == 1
