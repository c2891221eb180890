"""`make validation`: the traceability matrix and test report from the runs `make test` recorded.

    python -m tests.traceability.matrix [--runs validation/runs] [--out validation]
                                        [--engines sqlite,postgresql] [--requirements PATH]

Reads the catalogue and every validation/runs/<engine>.json (written by the plugin, one per database
engine), writes validation/: matrix.html, matrix.csv, report.html, report.json, untested.csv and
requirements.md. Exit 1, naming each reason, when the evidence does not hold: no run, a required
engine not run, a run that failed, runs of another commit than the checkout, a test naming an unknown
requirement, or a patient-safety or data-integrity requirement without a passing test on every engine.
"""

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

from . import catalogue, environment, render

PASSING = "passed"
FAILING = {"failed", "error", "xpassed"}


@dataclass
class TracedTest:
    """One test function (its parametrised cases together) and its outcomes on each engine."""
    file: str
    line: int
    function: str
    requirements: list[str]
    outcomes: dict[str, dict[str, int]] = field(default_factory=dict)  # engine -> outcome -> cases

    @property
    def key(self):
        return f"{self.file}::{self.function}"

    def verdict(self, engine) -> str:
        return verdict(self.outcomes.get(engine, {}))


def verdict(outcomes: dict[str, int]) -> str:
    """passed: some case passed and none failed; failed: a case failed; else not passed (skipped, not run)."""
    if any(outcomes.get(name) for name in FAILING):
        return "failed"
    if outcomes.get(PASSING):
        return "passed"
    return "no test" if not outcomes else "not passed"


@dataclass
class Row:
    """One requirement of the matrix."""
    requirement: catalogue.Requirement
    tests: list[TracedTest]
    engines: list[str]

    def applies(self, engine) -> bool:
        return self.requirement.engines is None or engine in self.requirement.engines

    def verdict(self, engine) -> str:
        if not self.applies(engine):
            return "not applicable"
        total = {}
        for test in self.tests:
            for outcome, count in test.outcomes.get(engine, {}).items():
                total[outcome] = total.get(outcome, 0) + count
        return verdict(total) if self.tests else "no test"

    @property
    def overall(self) -> str:
        verdicts = {self.verdict(engine) for engine in self.engines if self.applies(engine)} or {"no test"}
        for word in ("failed", "no test", "not passed"):
            if word in verdicts:
                return word
        return PASSING


@dataclass
class Evidence:
    catalogue: dict
    runs: dict  # engine -> run
    rows: list[Row]
    problems: list[str]
    head: dict

    @property
    def engines(self):
        return sorted(self.runs)

    def counts(self):
        by_risk = {}
        for row in self.rows:
            risk = by_risk.setdefault(row.requirement.risk, {"total": 0, "passed": 0, "planned": 0})
            risk["total"] += 1
            risk["passed"] += row.overall == PASSING
            risk["planned"] += row.requirement.planned is not None
        return by_risk


def load_runs(directory: Path) -> dict:
    runs = {}
    for path in sorted(directory.glob("*.json")):
        run = json.loads(path.read_text(encoding="utf-8"))
        runs[run["engine"]] = run
    return runs


def traced_tests(runs) -> list[TracedTest]:
    """Every test function seen in any run, with each engine's outcome counts."""
    functions = {}
    for engine, run in runs.items():
        for case in run["tests"]:
            key = f"{case['file']}::{case['function']}"
            test = functions.get(key)
            if test is None:
                test = functions[key] = TracedTest(case["file"], case["line"], case["function"], [])
            test.line = min(test.line, case["line"])
            for id_ in case["requirements"]:
                if id_ not in test.requirements:
                    test.requirements.append(id_)
            counts = test.outcomes.setdefault(engine, {})
            counts[case["outcome"]] = counts.get(case["outcome"], 0) + 1
    return sorted(functions.values(), key=lambda test: (test.file, test.line))


def build(requirements, runs, *, required_engines=(), head=None) -> Evidence:
    head = head if head is not None else environment.git()
    problems = []
    if not runs:
        problems.append("no test run recorded: run `make test` (on each database) first")
    for engine in required_engines:
        if engine not in runs:
            problems.append(f"no run on {engine}: run `make test` with that database first")
    for engine, run in sorted(runs.items()):
        if run["exit_status"] != 0:
            problems.append(f"the {engine} run failed (pytest exit status {run['exit_status']})")
        commit = run["git"]["commit"]
        if head.get("commit") and commit != head["commit"]:
            problems.append(f"the {engine} run is of commit {commit}, not the checkout's {head['commit']}: "
                            "run `make test` again")
    tests = traced_tests(runs)
    for test in tests:
        for id_ in test.requirements:
            if id_ not in requirements:
                problems.append(f"{test.key} names an unknown requirement {id_}")
    engines = sorted(runs)
    rows = [Row(requirement, [t for t in tests if requirement.id in t.requirements], engines)
            for requirement in requirements.values()]
    for row in rows:
        if row.requirement.gated and row.overall != PASSING:
            engines = ", ".join(row.requirement.engines) if row.requirement.engines else "every engine"
            problems.append(f"{row.requirement.id} ({row.requirement.risk}) has no passing test "
                            f"on {engines}: {row.overall}")
    return Evidence(requirements, runs, rows, problems, head)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requirements", default=str(catalogue.DEFAULT_PATH))
    parser.add_argument("--runs", default="validation/runs")
    parser.add_argument("--out", default="validation")
    parser.add_argument("--engines", default="", help="comma-separated engines that must have run")
    args = parser.parse_args(argv)
    try:
        requirements = catalogue.load(args.requirements)
    except (OSError, catalogue.CatalogueError) as error:
        print(f"validation: requirements catalogue {args.requirements}: {error}", file=sys.stderr)
        return 1
    runs = load_runs(Path(args.runs))
    evidence = build(requirements, runs, required_engines=[e for e in args.engines.split(",") if e])
    out = Path(args.out)
    render.write_all(evidence, out)
    for risk, count in evidence.counts().items():
        print(f"validation: {risk}: {count['passed']}/{count['total']} requirements passed"
              + (f" ({count['planned']} planned)" if count["planned"] else ""))
    print(f"validation: engines {', '.join(evidence.engines) or 'none'}; matrix in {out / 'matrix.html'}")
    for problem in evidence.problems:
        print(f"validation: FAIL: {problem}", file=sys.stderr)
    return 1 if evidence.problems else 0


if __name__ == "__main__":
    sys.exit(main())
