"""Benchmark of the eligibility engine (a script, not a test).

    python bench/engine.py [--count 10000] [--seed 1] [--skip-command]

Generates ``--count`` varied candidate records (every criterion's pass /
fail / missing / not-applicable branches, all units, old and superseded
results, about 5 % invalid records) as one JSON array, then times

(a) the engine in-process: ``loads`` + ``evaluate_entry`` for each record
    (parse + validate + evaluate + ``as_dict``), best of three runs on one core;
(b) ``python manage.py evaluate_candidates -`` in a subprocess with the same
    JSON on standard input (includes Python and Django start-up, which is
    also measured alone with an empty array and reported);
(c) the command's peak memory (maximum resident set size of the
    subprocess) on files of 1,000 and 100,000 records (``--memory-counts``):
    streaming means the larger stays within 2x the smaller.

Targets: (a) >= 5,000 candidates/s; (c) peak(100,000) <= 2 x peak(1,000).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from screening.eligibility import PROTOCOL, evaluate_entry, loads  # noqa: E402

TARGET_PER_SECOND = 5_000
MEMORY_RATIO_TARGET = 2

UNITS = {
    "anc": [("10*9/L", 1), ("10*3/uL", 1), ("10*3/mm3", 1), ("/uL", 1000), ("/mm3", 1000)],
    "platelets": [("10*9/L", 1), ("10*3/uL", 1), ("/uL", 1000), ("/mm3", 1000)],
    "haemoglobin": [("g/dL", 1), ("g/L", 10), ("mmol/L", 0.6206)],
    "bilirubin": [("umol/L", 17.1), ("mg/dL", 1)],
    "alt": [("U/L", 1), ("IU/L", 1)],
    "ast": [("U/L", 1), ("IU/L", 1)],
    "creatinine": [("umol/L", 88.4), ("mg/dL", 1)],
}
# typical value (canonical-ish unit) ranges and ULN in the base unit
RANGES = {
    "anc": (0.8, 6.0, None),
    "platelets": (60, 400, None),
    "haemoglobin": (6.5, 15, None),
    "bilirubin": (0.2, 2.5, 1.2),
    "alt": (10, 250, 40),
    "ast": (10, 250, 40),
    "creatinine": (0.5, 2.6, 1.1),
}
# passing value ranges (same units as RANGES)
GOOD_RANGES = {
    "anc": (1.6, 6.0),
    "platelets": (110, 400),
    "haemoglobin": (8.5, 15),
    "bilirubin": (0.2, 1.7),
    "alt": (10, 95),
    "ast": (10, 95),
    "creatinine": (0.5, 1.6),
}


class Draw:
    """Random choices for one candidate, in one of three modes so that the
    outcomes are mixed: "clean" draws only passing values and leaves
    nothing out; "gaps" draws passing values but leaves some out; "any"
    draws from every value, failing ones included."""

    def __init__(self, rng: random.Random, mode: str):
        self.rng = rng
        self.clean = mode in ("clean", "gaps")
        self.gaps = mode != "clean"

    def maybe(self, value, missing: float = 0.04):
        return None if self.gaps and self.rng.random() < missing else value

    def pick(self, good: list, bad: list = ()):
        options = good if self.clean else good + list(bad)
        return self.rng.choice(options)

    def number(self, low: float, high: float, places: int = 1):
        """A short decimal as a JSON number (float repr round-trips it
        exactly) or, one time in five, as a numeric string."""
        text = f"{self.rng.uniform(low, high):.{places}f}"
        return text if self.rng.random() < 0.2 else float(text)


def lab_entry(draw: Draw, test: str, screening: date) -> dict:
    rng = draw.rng
    unit, factor = rng.choice(UNITS[test])
    low, high, uln = RANGES[test]
    if draw.clean:
        low, high = GOOD_RANGES[test]
    value = rng.uniform(low, high) * factor
    return {
        "test": test,
        "value": float(f"{value:.2f}"),
        "unit": unit,
        "uln": None if uln is None else float(f"{uln * factor:.1f}"),
        "collected": (screening - timedelta(days=draw.pick([0, 1, 3, 5, 7, 10, 14], [15, 30]))).isoformat(),
    }


def candidate(rng: random.Random, index: int) -> dict:
    draw = Draw(rng, rng.choices(["clean", "gaps", "any"], weights=[35, 25, 40])[0])
    maybe, pick = draw.maybe, draw.pick
    screening = date(2026, 1, 1) + timedelta(days=rng.randrange(300))
    offset = timezone(timedelta(hours=rng.choice([8, 0, -5, 5.5])))
    first_dose = datetime.combine(screening + timedelta(days=rng.randrange(3, 14)), datetime.min.time(), offset)
    first_dose += timedelta(hours=rng.randrange(7, 18))
    age_days = rng.randrange(19 * 365, 75 * 365) if draw.clean else rng.randrange(16 * 365, 80 * 365)
    record = {
        "screening_number": f"NLX-B-{index:05d}",
        "screening_date": screening.isoformat(),
        "planned_first_dose": maybe(first_dose.isoformat()),
        "date_of_birth": maybe((screening - timedelta(days=age_days)).isoformat()),
        "sex": maybe(rng.choice(["female", "male"])),
        "weight_kg": maybe(draw.number(38, 110)),
        "consent_signed_on": maybe((screening - timedelta(days=pick([0, 1, 2, 5], [-1]))).isoformat()),
        "diagnosis": maybe({
            "type": pick(["NEC", "NEC", "NET_G3", "MINEN"], ["OTHER"]),
            "confirmation": pick(["histological", "histological", "cytological"], ["clinical"]),
            "primary_site": pick(["pancreas", "stomach", "colon", "unknown", "oesophagus"], ["Lung"]),
            "metastatic": pick([True], [True] * 8 + [False]),
            "ne_component_percent": pick([45, 80], [None, 25, 30]),
        }),
        "prior_systemic_lines": maybe(pick([1], [1, 1, 0, 2])),
        "prior_line_failed": maybe(pick([True], [True] * 8 + [False])),
        "ecog": maybe(pick([0, 1], [1, 2])),
        "life_expectancy_months": maybe(pick([3, 6, 12, "4.5"], [2])),
        "liver_metastases": maybe(rng.random() < 0.5, 0.1),
        "lesions": maybe([
            {
                "kind": "non_nodal" if draw.clean and i == 0 else rng.choice(["non_nodal", "non_nodal", "nodal"]),
                "method": pick(["CT", "MRI"], ["CALIPER", "CHEST_XRAY"]),
                "size_mm": maybe(draw.number(20, 60) if draw.clean and i == 0 else draw.number(6, 60)),
                "slice_thickness_mm": rng.choice([1.25, 2.5, 5, 7.5]) if draw.clean else rng.choice([None, 1.25, 5, 7.5]),
                "imaged_on": maybe((first_dose.date() - timedelta(days=pick([0, 3, 10, 21, 28], [29, 40]))).isoformat()),
                "locally_treated": maybe(False if draw.clean and i == 0 else rng.random() < 0.2),
                "progressed_after_local_treatment": rng.choice([None, True, False]),
            }
            for i in range(rng.randrange(1 if draw.clean else 0, 4))
        ]),
        "transfusion_or_growth_factor": maybe(pick(
            [{"any": False}, {"any": True, "last_date": (first_dose.date() - timedelta(days=rng.randrange(15, 40))).isoformat()}],
            [{"any": True, "last_date": (screening - timedelta(days=rng.randrange(0, 30))).isoformat()}],
        )),
        "labs": [
            lab_entry(draw, test, screening)
            for test in RANGES
            for _ in range(pick([1, 1, 1, 2], [0]))
        ],
        "childbearing_potential": maybe(rng.random() < 0.5),
        "partner_childbearing_potential": maybe(rng.random() < 0.5),
        "contraception_agreed": maybe(pick([True], [True] * 8 + [False])),
        "pregnancy_tests": [
            {
                "specimen": pick(["serum"], ["serum", "urine"]),
                "result": pick(["negative"], ["negative", "negative", "positive"]),
                "collected": (first_dose - timedelta(hours=rng.randrange(1, 72 if draw.clean else 120))).isoformat(),
            }
            for _ in range(rng.randrange(1 if draw.clean else 0, 3))
        ],
    }
    if rng.random() < 0.05:
        spoil(rng, record)
    return record


def spoil(rng: random.Random, record: dict) -> None:
    """Make the record invalid in one of the ways of spec section 5."""
    damage = rng.randrange(9)
    if damage == 0:
        record["sex"] = "Female"
    elif damage == 1:
        record["labs"].append({"test": "anc", "value": 2600, "unit": "cells/uL", "uln": None,
                               "collected": record["screening_date"]})
    elif damage == 2:
        record["ecog"] = 1.5
    elif damage == 3:
        record["planned_first_dose"] = "2026-03-10T09:00:00"
    elif damage == 4:
        record["weight_kg"] = -1
    elif damage == 5:
        record["weight_kg"] = "71.4999999"  # more than 6 decimal places
    elif damage == 6:
        record["sex_"] = "female"  # unknown key
    elif damage == 7:
        record["labs"].append({"test": "haemoglobin", "value": 75, "unit": "g/dL", "uln": None,
                               "collected": record["screening_date"]})  # implausible in g/dL
    else:
        del record["screening_date"]


def generate(count: int, seed: int) -> str:
    rng = random.Random(seed)
    return json.dumps([candidate(rng, index) for index in range(count)])


def time_engine(text: str, runs: int = 3) -> tuple[float, float, list[dict]]:
    """Best wall-clock and best CPU seconds of ``runs`` runs, and the entries."""
    best_wall = best_cpu = float("inf")
    entries: list[dict] = []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        entries = [evaluate_entry(obj, PROTOCOL) for obj in loads(text)]
        best_wall = min(best_wall, time.perf_counter() - wall)
        best_cpu = min(best_cpu, time.process_time() - cpu)
    return best_wall, best_cpu, entries


def time_command(text: str) -> tuple[float, int, str]:
    started = time.perf_counter()
    completed = subprocess.run(
        [sys.executable, str(REPO / "manage.py"), "evaluate_candidates", "-"],
        input=text, capture_output=True, text=True, cwd=REPO,
    )
    return time.perf_counter() - started, completed.returncode, completed.stdout if completed.returncode in (0, 1) else completed.stderr


def write_batch(path: Path, count: int, seed: int) -> None:
    """``count`` records as one JSON array, written one record at a time."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as out:
        out.write("[")
        for index in range(count):
            out.write(("," if index else "") + json.dumps(candidate(rng, index)) + "\n")
        out.write("]")


def peak_memory_of_command(path: Path) -> tuple[float, int, float]:
    """(peak resident set size in MB, exit code, seconds) of evaluate_candidates on ``path``."""
    started = time.perf_counter()
    with open(os.devnull, "w") as sink:
        process = subprocess.Popen(
            [sys.executable, str(REPO / "manage.py"), "evaluate_candidates", str(path)],
            stdout=sink, stderr=subprocess.DEVNULL, cwd=REPO,
        )
        _, status, usage = os.wait4(process.pid, 0)
    return usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status), time.perf_counter() - started


def measure_memory(counts: list[int], seed: int) -> None:
    peaks = []
    with tempfile.TemporaryDirectory() as folder:
        for count in counts:
            path = Path(folder) / f"batch-{count}.json"
            write_batch(path, count, seed)
            peak, code, seconds = peak_memory_of_command(path)
            peaks.append(peak)
            print(f"(c) evaluate_candidates on {count:,} records ({path.stat().st_size / 1e6:.1f} MB): "
                  f"peak RSS {peak:.1f} MB, exit {code}, {seconds:.1f} s ({count / seconds:,.0f} candidates/s)")
            path.unlink()
    ratio = peaks[-1] / peaks[0]
    verdict = "meets" if ratio <= MEMORY_RATIO_TARGET else "ABOVE"
    print(f"(c) peak memory {counts[-1]:,} / {counts[0]:,} records: {ratio:.2f}x "
          f"({verdict} the {MEMORY_RATIO_TARGET}x target)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--skip-command", action="store_true", help="time only the in-process engine")
    parser.add_argument("--memory-counts", default="1000,100000",
                        help="record counts for the peak-memory runs of the command ('' to skip)")
    options = parser.parse_args()

    text = generate(options.count, options.seed)
    count = options.count
    print(f"{count} candidates, {len(text) / 1e6:.1f} MB of JSON")

    seconds, cpu_seconds, entries = time_engine(text)
    outcomes = Counter(entry.get("outcome", "error") for entry in entries)
    print("outcomes: " + ", ".join(f"{name} {n}" for name, n in sorted(outcomes.items())))
    # One core: judged on this process's CPU time, which other load on the
    # machine does not inflate the way it inflates wall-clock time.
    engine_rate = count / cpu_seconds
    verdict = "meets" if engine_rate >= TARGET_PER_SECOND else "BELOW"
    print(f"(a) engine in-process (loads + parse + evaluate + as_dict): CPU {cpu_seconds:.3f} s, "
          f"{engine_rate:,.0f} candidates/s on one core ({verdict} the {TARGET_PER_SECOND:,}/s target); "
          f"wall clock {seconds:.3f} s, {count / seconds:,.0f} candidates/s")

    if options.skip_command:
        return 0
    if not (REPO / "manage.py").exists():
        print("(b) manage.py not found: command not timed")
        return 0
    startup, code, _ = time_command("[]")
    if code != 0:
        print(f"(b) evaluate_candidates with an empty array exited {code}: command not timed")
        return 0
    seconds, code, output = time_command(text)
    if code not in (0, 1):
        print(f"(b) evaluate_candidates exited {code}:\n{output[-2000:]}")
        return 1
    same = json.loads(output) == json.loads(json.dumps(entries))
    print(f"(b) manage.py evaluate_candidates - : {seconds:.3f} s, {count / seconds:,.0f} candidates/s "
          f"(start-up alone {startup:.3f} s; {count / max(seconds - startup, 1e-9):,.0f} candidates/s after it); "
          f"output {'identical to' if same else 'DIFFERS from'} the in-process entries")
    if options.memory_counts:
        measure_memory([int(count) for count in options.memory_counts.split(",")], options.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
