"""SDV under concurrency on PostgreSQL: two monitors at once; a coordinator saving while a monitor verifies."""

import threading

import pytest
from django.db import connection, transaction

from screening.models import Candidate, Verification
from screening.services import sdv
from screening.services.candidates import save_candidate
from screening.services.signoff import Refused
from screening.source_items import items_of
from tests.conftest import eligible_record
from tests.services.test_signoff_concurrency import run_together

pytestmark = [
    pytest.mark.requirement("URS-SDV-001", "URS-SDV-002"),
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL (CI runs it)"),
]


def shown(candidate):
    return {item.key: item.fingerprint for item in items_of(candidate)}


def test_two_monitors_verifying_at_once_both_succeed_and_each_item_is_marked_once(make_candidate, users):
    candidate = make_candidate()
    second = users["admin"]
    seen = shown(candidate)
    results = run_together([
        lambda: sdv.verify(candidate=candidate, user=users["monitor"], shown=seen),
        lambda: sdv.verify(candidate=candidate, user=second, shown=seen),
    ])
    assert all(isinstance(result, list) for result in results), results
    assert sorted(len(result) for result in results) == [0, len(seen)]  # the later one finds them all done
    assert Verification.objects.count() == len(seen)


def test_a_coordinator_saving_while_a_monitor_verifies_never_marks_the_new_value(make_candidate, users):
    candidate = make_candidate()
    seen = shown(candidate)
    saving, verified = threading.Event(), []

    def save_slowly():
        with transaction.atomic():
            Candidate.objects.select_for_update().get(pk=candidate.pk)  # the save holds the row lock ...
            saving.set()
            threading.Event().wait(0.5)  # ... while the monitor's verification starts and waits for it
            save_candidate(record=eligible_record(ecog=0), user=users["coordinator"])

    def verify_meanwhile():
        saving.wait(5)
        try:
            verified.append(sdv.verify(candidate=candidate, user=users["monitor"], shown=seen))
        except Refused as refusal:
            verified.append(refusal)

    results = run_together([save_slowly, verify_meanwhile])
    assert not any(isinstance(result, Exception) for result in results), results
    assert isinstance(verified[0], Refused) and "ECOG" in verified[0].message
    assert not Verification.objects.exists()
