"""Lab import: a 5,000-row LIS CSV and a 5,000-Observation FHIR bundle through preview and apply.

    .venv/bin/python bench/imports.py [--rows 5000] [--small 50]

Runs in a throwaway test database of the configured backend (SQLite by default; DATABASE_URL=postgres://...
for PostgreSQL). For each format it times, for one candidate with no results yet:

- read: bytes -> source rows only (the baseline);
- preview: ``build_plan`` (read, map, validate every row with the engine, duplicates, checklist before/after);
- apply: ``apply_import`` (the preview again under the lock, then ``save_candidate`` and provenance).

It prints rows/s and the peak of Python allocations (tracemalloc) for each, for ``--small`` rows and for
``--rows`` rows, and the ratios large/small of time per row and of peak memory. Figures, not assertions.
"""

import argparse
import json
import os
import sys
import time
import tracemalloc
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCREENING = date(2026, 3, 2)
TESTS = [  # (LIS name, LOINC, value base, unit, ULN)
    ("NEUT#", "751-8", Decimal("2.0"), "10^9/L", None),
    ("PLT", "777-3", Decimal("150"), "10^9/L", None),
    ("HGB", "718-7", Decimal("110"), "g/L", None),
    ("TBIL", "14631-6", Decimal("10"), "μmol/L", Decimal("21")),
    ("ALT", "1742-6", Decimal("30"), "U/L", Decimal("40")),
    ("AST", "1920-8", Decimal("28"), "U/L", Decimal("35")),
    ("CREA", "14682-9", Decimal("70"), "μmol/L", Decimal("81")),
]


def results(count):
    """``count`` distinct results within the 14 days before screening (values differ, so none is a duplicate)."""
    for n in range(count):
        name, loinc, base, unit, uln = TESTS[n % len(TESTS)]
        day = SCREENING - timedelta(days=n % 14)
        yield n, name, loinc, base + Decimal(n) / 1000, unit, uln, day


def csv_file(count):
    lines = ["项目代码,结果,单位,参考范围,采集时间"]
    for _, name, _, value, unit, uln, day in results(count):
        lines.append(f"{name},{value},{unit},{'0-' + str(uln) if uln else ''},{day} 08:30")
    return ("\r\n".join(lines) + "\r\n").encode("gb18030")


def fhir_file(count):
    entries = []
    for n, _, loinc, value, unit, uln, day in results(count):
        resource = {"resourceType": "Observation", "id": f"o{n}", "status": "final",
                    "code": {"coding": [{"system": "http://loinc.org", "code": loinc}]},
                    "effectiveDateTime": f"{day}T08:30:00+08:00",
                    "valueQuantity": {"value": f"@{value}", "unit": unit}}
        if uln:
            resource["referenceRange"] = [{"high": {"value": f"@{uln}", "unit": unit}}]
        entries.append({"resource": resource})
    text = json.dumps({"resourceType": "Bundle", "type": "collection", "entry": entries}, ensure_ascii=False)
    return text.replace('"@', "").replace('", "unit"', ', "unit"').encode()


def measure(action):
    started = time.perf_counter()
    result = action()
    elapsed = time.perf_counter() - started
    tracemalloc.start()
    action()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return result, elapsed, peak


def run(label, data, count):
    from screening.labimport import readers
    from screening.models import Candidate
    from screening.services.candidates import save_candidate
    from screening.services.labimport import apply_import, build_plan
    from tests.conftest import eligible_record

    number = f"BENCH-{label}-{count}"
    save_candidate(record=eligible_record(screening_number=number, labs=[], pregnancy_tests=[]))
    candidate = Candidate.objects.get(screening_number=number)
    figures = {}
    _, figures["read"], peak_read = measure(lambda: readers.read(data))
    plan, figures["preview"], peak_preview = measure(
        lambda: build_plan(candidate=candidate, data=data, file_name="bench"))
    assert len(plan.adds) == count, [row.reason for row in plan.rows if row.reason][:3]
    started = time.perf_counter()
    apply_import(candidate=candidate, data=data, file_name="bench", user=None)
    figures["apply"] = time.perf_counter() - started
    print(f"{label:5} {count:6,} rows  {len(data) / 1024:8.0f} kB  "
          + "  ".join(f"{name} {count / seconds:8,.0f} rows/s" for name, seconds in figures.items())
          + f"  peak read {peak_read / 2**20:6.1f} MB  preview {peak_preview / 2**20:6.1f} MB")
    return figures, peak_preview


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--small", type=int, default=50)
    options = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nalirifox_screen.settings")
    import tempfile

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    settings.LAB_IMPORT_DIR = Path(tempfile.mkdtemp(prefix="bench-imports-"))
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        for label, make in (("csv", csv_file), ("fhir", fhir_file)):
            small, small_peak = run(label, make(options.small), options.small)
            large, large_peak = run(label, make(options.rows), options.rows)
            per_row = {name: (large[name] / options.rows) / (small[name] / options.small) for name in large}
            print(f"      time per row, {options.rows:,} vs {options.small:,} rows: "
                  + ", ".join(f"{name} ×{ratio:.2f}" for name, ratio in per_row.items())
                  + f"; preview peak memory ×{large_peak / small_peak:.1f} for ×{options.rows / options.small:.0f} rows;"
                  + f" preview/read time ×{large['preview'] / large['read']:.1f}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
