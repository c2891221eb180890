"""deploy/audit.py (`make audit`): real findings fail; an unreachable vulnerability service is reported, not passed."""

import pytest
import importlib.util
import json
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("audit_script", ROOT / "deploy" / "audit.py")
audit = importlib.util.module_from_spec(spec)
spec.loader.exec_module(audit)


def fake_run(outputs):
    """outputs: {service or 'bandit': (returncode, stdout, stderr)}."""
    calls = []

    def run(args):
        tool = "bandit" if args[0].endswith("bandit") else args[args.index("--vulnerability-service") + 1]
        calls.append(tool)
        code, stdout, stderr = outputs[tool]
        return subprocess.CompletedProcess(args, code, stdout, stderr)

    return run, calls


def report(*dependencies):
    return json.dumps({"dependencies": list(dependencies), "fixes": []})


@pytest.mark.requirement("URS-SEC-006")
def test_a_known_vulnerability_fails(monkeypatch, capsys):
    run, _ = fake_run({"pypi": (1, report(
        {"name": "django", "version": "5.2.0", "vulns": [{"id": "PYSEC-2025-1", "fix_versions": ["5.2.1"]}]},
        {"name": "pytest", "version": "9.2.0", "vulns": []},
    ), "")})
    monkeypatch.setattr(audit, "run", run)
    assert audit.pip_audit() is False
    assert "PYSEC-2025-1" in capsys.readouterr().out


@pytest.mark.requirement("URS-SEC-006")
def test_clean_audit_passes(monkeypatch):
    run, _ = fake_run({"pypi": (0, report({"name": "django", "version": "5.2.19", "vulns": []}), "")})
    monkeypatch.setattr(audit, "run", run)
    assert audit.pip_audit() is True


@pytest.mark.requirement("URS-SEC-006")
def test_unreachable_services_are_reported_as_not_checked_and_do_not_fail(monkeypatch, capsys):
    run, calls = fake_run({
        "pypi": (0, report({"name": "django", "skip_reason": "Dependency not found on PyPI"}), ""),
        "osv": (1, "", "requests.exceptions.ConnectionError: Failed to resolve"),
    })
    monkeypatch.setattr(audit, "run", run)
    assert audit.pip_audit() is True
    assert calls == ["pypi", "osv"]
    assert "NOT CHECKED" in capsys.readouterr().out


@pytest.mark.requirement("URS-SEC-006")
def test_a_finding_from_the_fallback_service_fails(monkeypatch):
    run, _ = fake_run({
        "pypi": (0, report({"name": "django", "skip_reason": "Dependency not found on PyPI"}), ""),
        "osv": (1, report({"name": "django", "version": "5.2.0", "vulns": [{"id": "GHSA-x"}]}), ""),
    })
    monkeypatch.setattr(audit, "run", run)
    assert audit.pip_audit() is False


@pytest.mark.requirement("URS-SEC-006")
def test_high_severity_bandit_finding_fails(monkeypatch):
    run, _ = fake_run({"bandit": (1, ">> Issue: [B602] subprocess call with shell=True\n", "")})
    monkeypatch.setattr(audit, "run", run)
    assert audit.bandit() is False


@pytest.mark.requirement("URS-SEC-006")
def test_bandit_finds_no_high_severity_issue_in_the_code():
    assert audit.bandit() is True
