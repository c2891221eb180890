"""On PostgreSQL the evidence is append-only in the database itself (django-pgtrigger triggers):
an UPDATE or DELETE of an evaluation, a signature, an audit event or a history row is refused,
also from ``manage.py dbshell``; the application's own writes (INSERTs) go on working."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import DatabaseError, connection, transaction

from screening.append_only import append_only_models
from screening.models import AuditEvent, Candidate, Evaluation, Signature
from screening.services import signoff
from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="triggers need PostgreSQL (CI runs it)")


@pytest.fixture
def signed(users, make_candidate):
    candidate = make_candidate(user=users["coordinator"])
    signoff.sign(candidate=candidate, user=users["investigator"], password=PASSWORD,
                 evaluation_id=candidate.latest_evaluation_id)
    return candidate


def refused(sql, params=()):
    with pytest.raises(DatabaseError, match="Cannot update rows|Cannot delete rows|append_only|protect"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)


@pytest.mark.requirement("URS-IMM-005")
@pytest.mark.django_db
def test_every_evidence_table_has_the_trigger():
    tables = {model._meta.db_table for model in append_only_models()}
    assert {"screening_evaluation", "screening_signature", "screening_auditevent", "screening_historicalcandidate",
            "screening_historicallabresult", "screening_historicaluser"} <= tables
    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT tgrelid::regclass::text FROM pg_trigger WHERE tgname LIKE 'pgtrigger_append_only%%'")
        installed = {row[0] for row in cursor.fetchall()}
    assert tables <= installed


@pytest.mark.requirement("URS-IMM-005")
@pytest.mark.django_db
def test_sql_updates_and_deletes_of_evidence_are_refused(signed):
    evaluation = signed.latest_evaluation
    refused("UPDATE screening_evaluation SET outcome = 'ineligible' WHERE id = %s", [evaluation.pk])
    refused("DELETE FROM screening_evaluation WHERE id = %s", [evaluation.pk])
    refused("UPDATE screening_signature SET eligible = false")
    refused("DELETE FROM screening_signature")
    refused("UPDATE screening_auditevent SET action = 'nothing'")
    refused("DELETE FROM screening_auditevent")
    refused("UPDATE screening_historicalcandidate SET ecog = 3")
    refused("DELETE FROM screening_historicallabresult")
    assert Evaluation.objects.get(pk=evaluation.pk).outcome == "eligible"
    assert Signature.objects.count() == 1 and AuditEvent.objects.filter(action="sign").count() == 1


@pytest.mark.requirement("URS-IMM-005", "URS-CAND-001")
@pytest.mark.django_db
def test_legitimate_writes_still_work(signed, users):
    signoff.enrol(candidate=signed, user=users["coordinator"])  # candidate update + history insert + audit insert
    signed.refresh_from_db()
    assert signed.subject_number == "NLX-001"
    assert signed.history.count() >= 2


@pytest.mark.requirement("URS-IMM-005")
@pytest.mark.django_db(transaction=True)
def test_dbshell_cannot_rewrite_an_evaluation(signed):
    evaluation = signed.latest_evaluation
    config = connection.settings_dict
    url = f"postgres://{config['USER'] or 'postgres'}@{config['HOST'] or '127.0.0.1'}:{config['PORT'] or 5432}/{config['NAME']}"
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}, "DATABASE_URL": url, "DEBUG": "1"}
    done = subprocess.run(
        [sys.executable, "manage.py", "dbshell", "--", "-v", "ON_ERROR_STOP=1", "-c",
         f"UPDATE screening_evaluation SET outcome = 'ineligible' WHERE id = {evaluation.pk}"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )
    assert done.returncode != 0
    assert "Cannot update rows" in done.stderr or "append_only" in done.stderr, done.stderr
    assert Evaluation.objects.get(pk=evaluation.pk).outcome == "eligible"
    assert Candidate.objects.get(pk=signed.pk).latest_evaluation_id == evaluation.pk
