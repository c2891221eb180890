"""Backup and restore, proven on PostgreSQL: pg_dump the database, restore it into a fresh database,
and check every evaluation's stored hash still matches its input and every signature still binds
to its evaluation (docs/production.md: pg_dump -Fc / pg_restore). The restored database is
dropped afterwards; its name is unique to this run."""

import os
import subprocess
import uuid

import psycopg2
import pytest
from django.db import connection

from screening.models import Evaluation, Signature
from screening.services import signoff
from screening.services.candidates import save_candidate, sha256_of
from tests.conftest import PASSWORD, eligible_record, with_lab

pytestmark = [
    pytest.mark.django_db(transaction=True),  # committed data: pg_dump sees it
    pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump needs PostgreSQL (CI runs it)"),
]


def client_args(config):
    return ["-h", config["HOST"] or "127.0.0.1", "-p", str(config["PORT"] or 5432), "-U", config["USER"] or "postgres"]


def run(*command):
    env = {**os.environ}
    if connection.settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = connection.settings_dict["PASSWORD"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, env=env)
    assert done.returncode == 0, done.stderr
    return done


@pytest.fixture
def study(users):
    """Three candidates, two signed (one signature superseded by a correction), all with history."""
    for number in ("NLX-S-001", "NLX-S-002", "NLX-S-003"):
        candidate = save_candidate(record=eligible_record(screening_number=number), user=users["coordinator"]).candidate
        if number != "NLX-S-003":
            signoff.sign(candidate=candidate, user=users["investigator"], password=PASSWORD,
                         evaluation_id=candidate.latest_evaluation_id)
    save_candidate(record=with_lab(eligible_record(screening_number="NLX-S-002"), "platelets", value="99"),
                   user=users["coordinator"], reason="lab re-run")
    assert Evaluation.objects.count() == 4 and Signature.objects.count() == 2


@pytest.mark.requirement("URS-OPS-004")
def test_a_restored_backup_keeps_every_hash_and_signature(study, tmp_path):
    config = connection.settings_dict
    dump = tmp_path / "backup.dump"
    restored = f"nlx_restore_{uuid.uuid4().hex[:12]}"
    run("pg_dump", *client_args(config), "-Fc", "-f", str(dump), config["NAME"])
    run("createdb", *client_args(config), restored)
    try:
        run("pg_restore", *client_args(config), "--no-owner", "-d", restored, str(dump))
        db = psycopg2.connect(dbname=restored, host=config["HOST"] or "127.0.0.1", port=config["PORT"] or 5432,
                              user=config["USER"] or "postgres", password=config.get("PASSWORD") or None)
        try:
            with db.cursor() as cursor:
                cursor.execute("SELECT * FROM screening_evaluation ORDER BY id")
                columns = [column.name for column in cursor.description]
                evaluations = {}
                for row in cursor.fetchall():
                    evaluation = Evaluation(**dict(zip(columns, row)))  # every column, as restored
                    evaluations[evaluation.pk] = evaluation
                cursor.execute("SELECT evaluation_id, evaluation_sha256 FROM screening_signature ORDER BY id")
                signatures = cursor.fetchall()
                cursor.execute("SELECT count(*) FROM screening_historicalcandidate")
                history_rows = cursor.fetchone()[0]
                cursor.execute("SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'pgtrigger_append_only%%'")
                triggers = cursor.fetchone()[0]
        finally:
            db.close()
    finally:
        run("dropdb", *client_args(config), "--if-exists", restored)
    assert sorted(evaluations) == sorted(Evaluation.objects.values_list("pk", flat=True))
    for evaluation in evaluations.values():
        assert sha256_of(evaluation.input) == evaluation.input_sha256
    assert len(signatures) == 2
    for evaluation_id, stored in signatures:
        assert signoff.evaluation_sha256(evaluations[evaluation_id]) == stored
    assert history_rows >= 4
    assert triggers > 0  # the restored database is append-only too
