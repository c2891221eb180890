"""The pytest plugin, run on small test suites with pytester: marker, unknown ids, recorded outcomes."""

import json

import pytest

pytestmark = pytest.mark.requirement("URS-VAL-001")

# The inner runs load only this plugin (Django and hypothesis would cost seconds per run).
ISOLATED = ("-p", "no:django", "-p", "no:hypothesispytest", "-p", "no:anyio", "-p", "no:cacheprovider")
CATALOGUE = """requirements:
- {id: URS-A-001, text: "A.", source: "s", risk: patient safety}
- {id: URS-A-002, text: "B.", source: "s", risk: usability}
"""


@pytest.fixture
def run(pytester):
    """run(test source, *args) -> (result, recorded run or None): pytest in-process with only this plugin."""
    catalogue = pytester.path / "requirements.yaml"
    catalogue.write_text(CATALOGUE)

    def run_(source, *args):
        pytester.makepyfile(test_suite=source)
        result = pytester.runpytest_inprocess(
            "-p", "tests.traceability.plugin", *ISOLATED, "--strict-markers",
            f"--requirements-file={catalogue}", "--requirements-runs=runs", "--requirements-engine=fake", *args)
        path = pytester.path / "runs" / "fake.json"
        return result, json.loads(path.read_text()) if path.exists() else None

    return run_


def test_marked_tests_run_under_strict_markers_and_their_requirements_are_recorded(run):
    result, recorded = run("""
import pytest
@pytest.mark.requirement("URS-A-001", "URS-A-002")
def test_one(): assert True
def test_unmarked(): assert True
""")
    result.assert_outcomes(passed=2)
    tests = {t["function"]: t for t in recorded["tests"]}
    assert tests["test_one"]["requirements"] == ["URS-A-001", "URS-A-002"]
    assert tests["test_one"]["outcome"] == "passed" and tests["test_one"]["file"] == "test_suite.py"
    assert tests["test_unmarked"]["requirements"] == []
    assert recorded["engine"] == "fake" and recorded["exit_status"] == 0 and recorded["counts"] == {"passed": 2}
    assert recorded["git"]["commit"] and recorded["python"]["version"]
    assert any(p["name"] == "Django" and p["installed"] for p in recorded["packages"])


def test_an_unknown_requirement_fails_collection_naming_the_test_and_the_id(run):
    result, recorded = run("""
import pytest
@pytest.mark.requirement("URS-A-001")
def test_known(): pass
@pytest.mark.requirement("URS-A-999")
def test_unknown(): pass
""")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*not in the catalogue*", "*test_suite.py::test_unknown: URS-A-999*"])
    assert "test_known" not in result.stderr.str()
    assert recorded is None  # nothing ran, nothing recorded


@pytest.mark.parametrize("marker", ["@pytest.mark.requirement", "@pytest.mark.requirement(id='URS-A-001', n=17)"])
def test_a_marker_without_text_ids_fails_collection(run, marker):
    result, _ = run(f"import pytest\n{marker}\ndef test_x(): pass\n")
    assert result.ret == pytest.ExitCode.USAGE_ERROR


def test_a_misspelt_marker_fails_under_strict_markers(run):
    result, _ = run('import pytest\n@pytest.mark.requirment("URS-A-001")\ndef test_x(): pass\n')
    assert result.ret != pytest.ExitCode.OK
    result.stdout.fnmatch_lines(["*'requirment' not found in `markers` configuration option*"])


def test_each_outcome_is_recorded_and_only_a_real_pass_counts_as_passed(run):
    result, recorded = run("""
import pytest
pytestmark = pytest.mark.requirement("URS-A-001")
@pytest.fixture
def broken(): raise RuntimeError("fixture")
@pytest.fixture
def broken_teardown():
    yield
    raise RuntimeError("teardown")
def test_pass(): pass
def test_fail(): assert False
@pytest.mark.skip(reason="x")
def test_skip(): pass
@pytest.mark.xfail(reason="x")
def test_xfail(): assert False
@pytest.mark.xfail(reason="x")
def test_xpass(): pass
def test_setup_error(broken): pass
def test_teardown_error(broken_teardown): pass
""")
    outcomes = {t["function"]: t["outcome"] for t in recorded["tests"]}
    assert outcomes == {"test_pass": "passed", "test_fail": "failed", "test_skip": "skipped",
                        "test_xfail": "xfailed", "test_xpass": "xpassed", "test_setup_error": "error",
                        "test_teardown_error": "error"}
    assert recorded["exit_status"] == 1
    assert all(t["requirements"] == ["URS-A-001"] for t in recorded["tests"])


def test_module_class_and_function_markers_combine_once_each(run):
    _, recorded = run("""
import pytest
pytestmark = pytest.mark.requirement("URS-A-001")
@pytest.mark.requirement("URS-A-002")
class TestGroup:
    @pytest.mark.requirement("URS-A-001")
    @pytest.mark.parametrize("n", [1, 2])
    def test_case(self, n): pass
""")
    assert [t["requirements"] for t in recorded["tests"]] == [["URS-A-001", "URS-A-002"]] * 2
    assert {t["function"] for t in recorded["tests"]} == {"TestGroup.test_case"}


def test_a_broken_catalogue_is_a_usage_error_naming_the_file(run, pytester):
    (pytester.path / "requirements.yaml").write_text("requirements:\n- {id: bad}\n")
    result, _ = run("def test_x(): pass\n")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*requirements catalogue*requirements.yaml*(bad).text: required text*"])


def test_without_the_runs_option_nothing_is_written(pytester):
    pytester.makepyfile(test_suite="def test_x(): pass\n")
    result = pytester.runpytest_inprocess("-p", "tests.traceability.plugin", *ISOLATED)
    result.assert_outcomes(passed=1)
    assert not (pytester.path / "runs").exists()
