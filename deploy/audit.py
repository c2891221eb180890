"""`make audit`: bandit (high-severity findings) and pip-audit (known vulnerabilities in requirements.txt).

Exit status 1 on any high-severity bandit finding or any known vulnerability.
pip-audit needs a vulnerability service (PyPI's per-release JSON API, or
OSV). When neither answers from this machine, every package is skipped: that
is reported loudly as NOT CHECKED and does not fail the run, since it says
nothing about the packages. A real finding always fails.
"""

import json
import subprocess  # nosec B404 - fixed argument lists, no shell
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
BANDIT_TARGETS = ["screening", "nalirifox_screen", "deploy", "bench"]
SERVICES = ["pypi", "osv"]


def run(args):
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=600)  # nosec B603


def bandit():
    print("== bandit (high severity)", flush=True)
    result = run([str(BIN / "bandit"), "-r", *BANDIT_TARGETS, "--severity-level", "high", "-q", "-f", "txt"])
    output = "\n".join(
        line for line in (result.stdout + result.stderr).splitlines() if "WARNING" not in line or ">>" in line
    ).strip()
    if result.returncode != 0:
        print(output)
        print("bandit: FAILED: high-severity findings above")
        return False
    print("bandit: no high-severity findings")
    return True


def pip_audit_with(service):
    """(vulnerable [(name, version, ids)], audited count, skipped count) or None when the service failed."""
    result = run([
        str(BIN / "pip-audit"), "-r", "requirements.txt", "--no-deps", "--progress-spinner", "off",
        "--format", "json", "--vulnerability-service", service, "--timeout", "15",
    ])
    try:
        report = json.loads(result.stdout)
    except ValueError:
        last = (result.stderr.strip().splitlines() or ["no output"])[-1]
        print(f"pip-audit ({service}): service unreachable or failed: {last[:300]}")
        return None
    vulnerable, audited, skipped = [], 0, 0
    for dependency in report.get("dependencies", []):
        if dependency.get("skip_reason"):
            skipped += 1
            continue
        audited += 1
        ids = [vuln["id"] for vuln in dependency.get("vulns", [])]
        if ids:
            vulnerable.append((dependency["name"], dependency.get("version"), ids))
    return vulnerable, audited, skipped


def pip_audit():
    print("== pip-audit (requirements.txt)", flush=True)
    for service in SERVICES:
        outcome = pip_audit_with(service)
        if outcome is None:
            continue
        vulnerable, audited, skipped = outcome
        if vulnerable:
            for name, version, ids in vulnerable:
                print(f"  {name} {version}: {', '.join(ids)}")
            print(f"pip-audit ({service}): FAILED: {len(vulnerable)} package(s) with known vulnerabilities")
            return False
        if audited == 0:
            print(f"pip-audit ({service}): could not check any of {skipped} packages (service unreachable)")
            continue
        note = f", {skipped} could not be checked" if skipped else ""
        print(f"pip-audit ({service}): no known vulnerabilities in {audited} packages{note}")
        return True
    print(
        "pip-audit: NOT CHECKED: no vulnerability service (PyPI JSON API, OSV) answered from this machine.\n"
        "           This is not a pass: run `make audit` where one of them is reachable."
    )
    return True


def main():
    ok = bandit()
    ok = pip_audit() and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
