"""The matrix generator: verdicts per requirement and engine, the CI gate, and the files it writes."""

import csv
import json

import pytest

from tests.traceability import catalogue, matrix

pytestmark = pytest.mark.requirement("URS-VAL-002")

HEAD = {"commit": "c0ffee", "dirty": False}
REQUIREMENTS = catalogue.parse("""requirements:
- {id: URS-A-001, text: "Safe.", source: "s", risk: patient safety}
- {id: URS-A-002, text: "Intact.", source: "s", risk: data integrity}
- {id: URS-A-003, text: "Nice.", source: "s", risk: usability}
- {id: URS-A-004, text: "Later.", source: "s", risk: patient safety, planned: 15}
""")


def case(function, requirements, outcome="passed", file="tests/test_x.py", line=1):
    return {"nodeid": f"{file}::{function}", "file": file, "line": line, "function": function,
            "requirements": requirements, "outcome": outcome, "duration": 0.01}


def run(engine, *tests, exit_status=0, commit="c0ffee"):
    return {"engine": engine, "engine_version": "1", "started": "2026-12-01T20:00:00+00:00",
            "finished": "2026-12-01T20:05:00+00:00", "exit_status": exit_status, "arguments": [],
            "git": {"commit": commit, "dirty": False}, "python": {"version": "3.11"},
            "packages": [{"name": "Django", "pinned": "5.2.19", "installed": "5.2.19"}],
            "protocols": {}, "counts": {"passed": len(tests)}, "tests": list(tests)}


COVERED = [case("test_safe", ["URS-A-001"]), case("test_intact", ["URS-A-002", "URS-A-001"])]


def build(*runs, engines=("sqlite", "postgresql")):
    return matrix.build(REQUIREMENTS, {r["engine"]: r for r in runs}, required_engines=engines, head=HEAD)


def test_every_gated_requirement_passing_on_every_engine_is_evidence():
    evidence = build(run("sqlite", *COVERED), run("postgresql", *COVERED))
    assert evidence.problems == []
    verdicts = {row.requirement.id: row.overall for row in evidence.rows}
    # usability and planned requirements without a test are listed, not gated
    assert verdicts == {"URS-A-001": "passed", "URS-A-002": "passed", "URS-A-003": "no test", "URS-A-004": "no test"}


def test_a_safety_requirement_without_a_test_fails_the_gate():
    tests = [case("test_intact", ["URS-A-002"])]
    evidence = build(run("sqlite", *tests), run("postgresql", *tests))
    assert evidence.problems == ["URS-A-001 (patient safety) has no passing test on every engine: no test"]


def test_a_requirement_passing_on_one_engine_only_fails_the_gate():
    failing = [COVERED[0], case("test_intact", ["URS-A-002"], outcome="failed")]
    evidence = build(run("sqlite", *COVERED), run("postgresql", *failing, exit_status=1))
    assert "the postgresql run failed (pytest exit status 1)" in evidence.problems
    assert "URS-A-002 (data integrity) has no passing test on every engine: failed" in evidence.problems
    row = next(row for row in evidence.rows if row.requirement.id == "URS-A-002")
    assert (row.verdict("sqlite"), row.verdict("postgresql")) == ("passed", "failed")


@pytest.mark.parametrize("outcome", ["skipped", "xfailed", "not run"])
def test_a_requirement_whose_tests_did_not_pass_is_not_passed(outcome):
    tests = [case("test_safe", ["URS-A-001"], outcome=outcome), COVERED[1]]
    evidence = build(run("sqlite", *tests), run("postgresql", *COVERED))
    row = next(row for row in evidence.rows if row.requirement.id == "URS-A-001")
    assert row.verdict("sqlite") == "passed"  # test_intact also proves URS-A-001
    tests = [case("test_safe", ["URS-A-001"], outcome=outcome), case("test_intact", ["URS-A-002"])]
    evidence = build(run("sqlite", *tests), run("postgresql", case("test_safe", ["URS-A-001"]), tests[1]))
    row = next(row for row in evidence.rows if row.requirement.id == "URS-A-001")
    assert (row.verdict("sqlite"), row.verdict("postgresql")) == ("not passed", "passed")
    assert "URS-A-001 (patient safety) has no passing test on every engine: not passed" in evidence.problems


def test_a_requirement_limited_to_one_engine_is_judged_on_that_engine_only():
    requirements = catalogue.parse("""requirements:
- {id: URS-A-001, text: "Triggers.", source: "s", risk: data integrity, engines: [postgresql]}
""")
    tests = [case("test_trigger", ["URS-A-001"], outcome="skipped")]
    passing = [case("test_trigger", ["URS-A-001"])]
    evidence = matrix.build(requirements, {"sqlite": run("sqlite", *tests), "postgresql": run("postgresql", *passing)},
                            head=HEAD)
    (row,) = evidence.rows
    assert (row.verdict("sqlite"), row.verdict("postgresql"), row.overall) == ("not applicable", "passed", "passed")
    assert evidence.problems == []
    evidence = matrix.build(requirements, {"sqlite": run("sqlite", *passing)}, head=HEAD)
    assert evidence.problems == ["URS-A-001 (data integrity) has no passing test on postgresql: no test"]


def test_one_failing_case_of_a_parametrised_test_fails_its_requirement():
    tests = [case("test_safe", ["URS-A-001"]), case("test_safe", ["URS-A-001"], outcome="failed"), COVERED[1]]
    evidence = build(run("sqlite", *tests), run("postgresql", *COVERED))
    (test,) = [t for t in matrix.traced_tests(evidence.runs) if t.function == "test_safe"]
    assert test.outcomes["sqlite"] == {"passed": 1, "failed": 1} and test.verdict("sqlite") == "failed"


def test_missing_runs_unknown_ids_and_stale_runs_fail():
    assert build().problems[:3] == [
        "no test run recorded: run `make test` (on each database) first",
        "no run on sqlite: run `make test` with that database first",
        "no run on postgresql: run `make test` with that database first",
    ]
    unknown = [*COVERED, case("test_other", ["URS-Z-009"])]
    evidence = build(run("sqlite", *unknown), run("postgresql", *COVERED, commit="0ld"))
    assert "tests/test_x.py::test_other names an unknown requirement URS-Z-009" in evidence.problems
    assert any(p.startswith("the postgresql run is of commit 0ld, not the checkout's c0ffee") for p in evidence.problems)


def test_the_files_trace_each_requirement_to_its_tests_results_and_source(tmp_path):
    source = tmp_path / "tests" / "test_x.py"
    source.parent.mkdir()
    source.write_text('import pytest\n\n\n@pytest.mark.requirement("URS-A-001")\ndef test_safe():\n    assert 1 + 1 == 2\n')
    tests = [case("test_safe", ["URS-A-001"], line=4), case("test_intact", ["URS-A-002"], line=9)]
    evidence = build(run("sqlite", *tests), run("postgresql", *tests))
    out = tmp_path / "validation"
    matrix.render.write_all(evidence, out, root=tmp_path)

    with (out / "matrix.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    safe = next(r for r in rows if r["requirement"] == "URS-A-001")
    assert (safe["test_file"], safe["test_line"], safe["test_function"]) == ("tests/test_x.py", "4", "test_safe")
    assert (safe["result_sqlite"], safe["result_postgresql"], safe["requirement_verdict"]) == ("passed",) * 3
    assert next(r for r in rows if r["requirement"] == "URS-A-003")["result_sqlite"] == "no test"

    html = (out / "matrix.html").read_text(encoding="utf-8")
    assert 'id=URS-A-001' in html and "assert 1 + 1 == 2" in html and "@pytest.mark.requirement(&quot;URS-A-001&quot;)" in html
    assert "(source not found in this checkout)" in html  # test_intact is not in the file

    with (out / "untested.csv").open(encoding="utf-8") as handle:
        untested = {r["requirement"]: r for r in csv.DictReader(handle)}
    assert set(untested) == {"URS-A-003", "URS-A-004"} and untested["URS-A-004"]["planned_issue"] == "15"

    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert [r["engine"] for r in report["runs"]] == ["postgresql", "sqlite"]
    assert report["packages"][0] == {"name": "Django", "pinned": "5.2.19", "installed": "5.2.19"}
    assert report["evidence"] == "passed" and report["requirements"]["patient safety"] == {
        "total": 2, "passed": 1, "planned": 1}
    assert "No protocol definition files" in (out / "report.html").read_text(encoding="utf-8")
    assert "| URS-A-004 | Later. *(planned: issue 15)* | s | patient safety |" in (
        out / "requirements.md").read_text(encoding="utf-8")


def test_make_validation_fails_when_a_requirement_has_no_passing_test(pytester, tmp_path, capsys):
    """End to end: pytest with the plugin records a run; the generator refuses it, then accepts it."""
    requirements = pytester.path / "requirements.yaml"
    requirements.write_text("requirements:\n- {id: URS-A-001, text: 'Safe.', source: s, risk: patient safety}\n"
                            "- {id: URS-A-002, text: 'Intact.', source: s, risk: data integrity}\n")
    pytester.makepyfile(test_suite='import pytest\n@pytest.mark.requirement("URS-A-001")\ndef test_a(): pass\n')
    arguments = ("-p", "tests.traceability.plugin", "-p", "no:django", "-p", "no:hypothesispytest",
                 "-p", "no:cacheprovider", f"--requirements-file={requirements}", "--requirements-runs=runs",
                 "--requirements-engine=fake")
    pytester.runpytest_inprocess(*arguments).assert_outcomes(passed=1)
    command = [f"--requirements={requirements}", f"--runs={pytester.path / 'runs'}", f"--out={tmp_path / 'v'}",
               "--engines=fake"]
    assert matrix.main(command) == 1
    assert "FAIL: URS-A-002 (data integrity) has no passing test on every engine: no test" in capsys.readouterr().err

    pytester.makepyfile(test_suite='import pytest\n@pytest.mark.requirement("URS-A-001", "URS-A-002")\n'
                                   'def test_a(): pass\n')
    pytester.runpytest_inprocess(*arguments).assert_outcomes(passed=1)
    assert matrix.main(command) == 0
    assert "patient safety: 1/1 requirements passed" in capsys.readouterr().out
    assert (tmp_path / "v" / "matrix.html").exists()
