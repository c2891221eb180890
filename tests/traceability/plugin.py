"""pytest plugin: `@pytest.mark.requirement("URS-ELIG-017", ...)` ties a test to the user requirements it proves.

- Registers the marker (so `--strict-markers` passes).
- At collection, a marker naming an id that is not in the catalogue (docs/validation/requirements.yaml,
  or `--requirements-file`) fails the run (exit 4) with every offending test named.
- With `--requirements-runs DIR`, writes DIR/<engine>.json at the end of the session: every collected
  test, the requirements it names, its outcome, and what the run ran on (see environment.py). The
  engine is Django's database vendor (`sqlite`, `postgresql`), or `--requirements-engine NAME`.
  The matrix generator (`python -m tests.traceability.matrix`) reads these files.
"""

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from . import catalogue, environment

MARKER = "requirement"


def pytest_addoption(parser):
    group = parser.getgroup("requirements", "validation evidence (tests/traceability)")
    group.addoption("--requirements-file", default=None, metavar="PATH",
                    help=f"the requirements catalogue (default {catalogue.DEFAULT_PATH.relative_to(catalogue.ROOT)})")
    group.addoption("--requirements-runs", default=None, metavar="DIR",
                    help="write this run's results to DIR/<engine>.json for the traceability matrix")
    group.addoption("--requirements-engine", default=None, metavar="NAME",
                    help="name the run by NAME instead of Django's database vendor")


def pytest_configure(config):
    config.addinivalue_line(
        "markers", f"{MARKER}(*ids): the user requirements (docs/validation/requirements.yaml) this test proves")
    config.pluginmanager.register(Recorder(config), "requirements-recorder")


def requirement_ids(item) -> list[str]:
    """The ids named by the item's requirement markers (function, class and module), in order, once each."""
    ids = []
    for mark in item.iter_markers(MARKER):
        if not mark.args or mark.kwargs:
            raise pytest.UsageError(f"{item.nodeid}: @pytest.mark.{MARKER} takes one or more ids, nothing else")
        for value in mark.args:
            if not isinstance(value, str):
                raise pytest.UsageError(f"{item.nodeid}: requirement id {value!r} is not text")
            if value not in ids:
                ids.append(value)
    return ids


class Recorder:
    def __init__(self, config):
        self.config = config
        self.tests = {}  # nodeid -> row
        self.started = None
        self.engine_version = None

    def _catalogue(self):
        path = self.config.getoption("requirements_file") or catalogue.DEFAULT_PATH
        try:
            return catalogue.load(path)
        except (OSError, catalogue.CatalogueError) as error:
            raise pytest.UsageError(f"requirements catalogue {path}: {error}") from None

    def pytest_sessionstart(self, session):
        self.started = datetime.now(UTC)

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, session, config, items):
        known = self._catalogue()
        unknown, rows = [], {}
        for item in items:
            ids = requirement_ids(item)
            unknown += [f"{item.nodeid}: {id_}" for id_ in ids if id_ not in known]
            path, line, _ = item.location
            rows[item.nodeid] = {
                "nodeid": item.nodeid, "file": path, "line": (line or 0) + 1,
                "function": getattr(getattr(item, "function", None), "__qualname__", item.name),
                "requirements": ids, "outcome": "not run", "duration": 0.0,
            }
        if unknown:
            raise pytest.UsageError(
                "tests name requirements that are not in the catalogue:\n  " + "\n  ".join(unknown))
        self.tests = rows

    def pytest_runtest_logreport(self, report):
        row = self.tests.get(report.nodeid)
        if row is None:
            return
        row["duration"] = round(row["duration"] + report.duration, 4)
        if report.when == "call":
            if hasattr(report, "wasxfail"):
                row["outcome"] = "xfailed" if report.skipped else "xpassed"
            else:
                row["outcome"] = report.outcome
        elif report.failed:
            row["outcome"] = "error"  # a failing fixture (setup or teardown) never counts as a pass
        elif report.when == "setup" and report.skipped:
            row["outcome"] = "skipped"
        if self.engine_version is None:
            self.engine_version = environment.database()[1]

    def pytest_sessionfinish(self, session, exitstatus):
        directory = self.config.getoption("requirements_runs")
        if not directory or not self.tests:
            return
        vendor, version = environment.database()
        engine = self.config.getoption("requirements_engine") or vendor
        counts = {}
        for row in self.tests.values():
            counts[row["outcome"]] = counts.get(row["outcome"], 0) + 1
        run = {
            "engine": engine,
            "engine_version": version or self.engine_version,
            "started": self.started.isoformat(timespec="seconds"),
            "finished": datetime.now(UTC).isoformat(timespec="seconds"),
            "exit_status": int(exitstatus),
            "arguments": list(self.config.invocation_params.args),
            "git": environment.git(),
            "python": environment.python(),
            "packages": environment.packages(),
            "protocols": environment.protocols(),
            "counts": counts,
            "tests": list(self.tests.values()),
        }
        path = Path(directory)
        if not path.is_absolute():
            path = Path(self.config.invocation_params.dir) / path
        path.mkdir(parents=True, exist_ok=True)
        target = path / f"{engine}.json"
        target.write_text(json.dumps(run, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        terminal = self.config.pluginmanager.get_plugin("terminalreporter")
        if terminal is not None:
            terminal.write_line(f"requirements: results of this run written to {target}")
