"""Streamed screening-log CSV export: peak memory and speed at 1,000 and 100,000 screening attempts.

    .venv/bin/python bench/exports.py [--rows 100000] [--small 1000] [--repeat 3]

Runs in a throwaway test database of the configured backend (SQLite by
default; DATABASE_URL=postgres://... for PostgreSQL). Bulk-creates ``--rows``
screening attempts with their latest evaluation (a mix of outcomes, states,
sign-offs), then runs the real export view (POST /exports/, de-identified
CSV, as an admin) and reads the whole streamed response:

- peak memory: tracemalloc's peak of Python allocations during the request
  and the read, above what was allocated before it;
- speed: rows per second, timed without tracemalloc (best of ``--repeat``).

The small run exports the first ``--small`` attempts (a screening-date
filter), the large one all of them. Targets: the large export's peak < 2x
the small one's, and >= 20,000 rows/s.
"""

import argparse
import os
import sys
import time
import tracemalloc
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PER_DAY = 100  # attempts per screening day, so a date range selects an exact number of rows
TARGET_MEMORY_RATIO = 2
TARGET_ROWS_PER_SECOND = 20_000
FIRST_DAY = date(2020, 1, 1)


def create_attempts(count):
    from django.contrib.auth.models import User
    from django.db.models import OuterRef, Subquery

    from screening.models import Candidate, Evaluation, Signature

    signer = User.objects.create(username="bench-investigator")
    kinds = [  # (outcome, failing, missing, state)
        ("eligible", "", "", "enrolled"),
        ("ineligible", ",anc,platelets,", "", "screen_failure"),
        ("incomplete", "", ",pregnancy_test,", "screening"),
        ("eligible", "", "", "declined"),
        ("ineligible", ",ecog,", ",anc,", "screening"),
    ]
    batch = 5000
    for start in range(0, count, batch):
        numbers = range(start, min(count, start + batch))
        candidates = Candidate.objects.bulk_create([
            Candidate(
                screening_number=f"NLX-S-{n:06d}", initials="AB", sex=("female", "male")[n % 2],
                screening_date=FIRST_DAY + timedelta(days=n // PER_DAY),
                date_of_birth=date(1950 + n % 40, 1 + n % 12, 1 + n % 28),
                state=kinds[n % 5][3],
                subject_number=f"NLX-{n:06d}" if kinds[n % 5][3] == "enrolled" else None,
                enrolment_date=FIRST_DAY + timedelta(days=n // PER_DAY + 7) if kinds[n % 5][3] == "enrolled" else None,
            )
            for n in numbers
        ])
        evaluations = Evaluation.objects.bulk_create([
            Evaluation(candidate=candidate, protocol_version="1.0", outcome=kinds[n % 5][0], criteria=[],
                       input={}, input_sha256="0" * 64, failing=kinds[n % 5][1], missing=kinds[n % 5][2])
            for n, candidate in zip(numbers, candidates)
        ])
        Signature.objects.bulk_create([
            Signature(evaluation=evaluation, signed_by=signer, meaning="bench", eligible=True,
                      evaluation_sha256="0" * 64)
            for evaluation in evaluations[::3]
        ])
    # One statement instead of a bulk_update per batch: each attempt's (only) evaluation is its latest.
    Candidate.objects.update(
        latest_evaluation=Subquery(Evaluation.objects.filter(candidate=OuterRef("pk")).values("pk")[:1])
    )


def export(user, rows):
    """Run the export view for the first ``rows`` attempts; returns (rows read, bytes read)."""
    from django.test import RequestFactory

    from screening.views.exports import export_page

    last_day = FIRST_DAY + timedelta(days=(rows - 1) // PER_DAY)
    request = RequestFactory().post("/exports/", {
        "dataset": "screening_log", "format": "csv", "identification": "deidentified", "dates": "shift",
        "date_from": FIRST_DAY.isoformat(), "date_to": last_day.isoformat(),
    })
    request.user = user
    response = export_page(request)
    assert response.status_code == 200 and response.streaming, response.status_code
    lines = size = 0
    for chunk in response.streaming_content:
        lines += chunk.count(b"\n")
        size += len(chunk)
    response.close()
    return lines - 1, size


def peak_memory(user, rows):
    tracemalloc.start()
    before, _ = tracemalloc.get_traced_memory()
    tracemalloc.reset_peak()
    read, _ = export(user, rows)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert read == rows, (read, rows)
    return peak - before


def rows_per_second(user, rows, repeat):
    best = None
    for _ in range(repeat):
        start = time.perf_counter()
        read, size = export(user, rows)
        elapsed = time.perf_counter() - start
        assert read == rows, (read, rows)
        best = elapsed if best is None else min(best, elapsed)
    return rows / best, best, size


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    assert options.small % PER_DAY == 0 and options.rows % PER_DAY == 0, f"use multiples of {PER_DAY}"

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nalirifox_screen.settings")
    os.environ.setdefault("DEBUG", "1")  # settings fail closed; the benchmark's own setup is development
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.db import connection

    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        started = time.perf_counter()
        create_attempts(options.rows)
        print(f"backend {connection.vendor}: created {options.rows:,} screening attempts "
              f"in {time.perf_counter() - started:.1f} s")
        admin = User.objects.create(username="bench-admin", is_superuser=True)
        export(admin, options.small)  # warm-up: imports, query compilation
        results = {}
        for rows in (options.small, options.rows):
            peak = peak_memory(admin, rows)
            speed, seconds, size = rows_per_second(admin, rows, options.repeat)
            results[rows] = (peak, speed)
            print(f"{rows:>9,} rows: peak {peak / 1024:9.1f} KiB   {seconds:7.3f} s   {speed:10,.0f} rows/s   "
                  f"{size / 1024 / 1024:6.1f} MiB of CSV")
        ratio = results[options.rows][0] / results[options.small][0]
        speed = results[options.rows][1]
        print(f"memory ratio {options.rows:,} / {options.small:,} rows: {ratio:.2f} (target < {TARGET_MEMORY_RATIO}): "
              f"{'OK' if ratio < TARGET_MEMORY_RATIO else 'ABOVE TARGET'}")
        print(f"speed at {options.rows:,} rows: {speed:,.0f} rows/s (target >= {TARGET_ROWS_PER_SECOND:,}): "
              f"{'OK' if speed >= TARGET_ROWS_PER_SECOND else 'BELOW TARGET'}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
