"""The files of validation/: matrix (HTML, CSV), test report (HTML, JSON), untested list, requirements."""

import ast
import csv
import json
from datetime import UTC, datetime
from html import escape
from pathlib import Path

from . import catalogue

STYLE = """body{font:14px/1.4 system-ui,sans-serif;margin:1.5rem;color:#222}table{border-collapse:collapse;width:100%}
th,td{border:1px solid #ccc;padding:.3rem .5rem;vertical-align:top;text-align:left}th{background:#f3f3f3}
.passed{background:#e6f4ea}.failed,.no-test{background:#fde7e9}.not-passed{background:#fff4ce}
.not-applicable{color:#777}
pre{background:#f8f8f8;padding:.5rem;overflow:auto;font-size:12px}code{font-size:12px}
.planned{color:#555;font-style:italic}summary{cursor:pointer}"""


def _page(title, body):
    return (f"<!doctype html><html lang=en><head><meta charset=utf-8><title>{escape(title)}</title>"
            f"<style>{STYLE}</style></head><body><h1>{escape(title)}</h1>{body}</body></html>\n")


def _css(verdict):
    return verdict.replace(" ", "-")


def function_source(root: Path, test) -> str:
    """The source of a test function (decorators included) as it is in the checkout, or '' if not found."""
    path = root / test.file
    try:
        text = path.read_text(encoding="utf-8")
        tree = ast.parse(text)
    except (OSError, SyntaxError, ValueError):
        return ""
    nodes, names = tree.body, test.function.split(".")
    for index, name in enumerate(names):
        found = next((n for n in nodes if getattr(n, "name", None) == name), None)
        if found is None:
            return ""
        if index == len(names) - 1:
            lines = text.splitlines()
            start = min([found.lineno] + [d.lineno for d in getattr(found, "decorator_list", [])])
            return "\n".join(lines[start - 1:found.end_lineno])
        nodes = getattr(found, "body", [])
    return ""


def _header(evidence):
    head = evidence.head
    verdict = "FAILED" if evidence.problems else "PASSED"
    items = "".join(f"<li>{escape(p)}</li>" for p in evidence.problems)
    return (f"<p>Commit <code>{escape(str(head.get('commit')))}</code>{' (modified tree)' if head.get('dirty') else ''}"
            f"; engines: {escape(', '.join(evidence.engines) or 'none')}; generated "
            f"{datetime.now(UTC).isoformat(timespec='seconds')}. Evidence: <strong>{verdict}</strong>. "
            "See <a href=report.html>the test report</a>.</p>" + (f"<ul>{items}</ul>" if items else ""))


def matrix_html(evidence, root: Path) -> str:
    engines = evidence.engines
    head = "".join(f"<th>{escape(e)}</th>" for e in engines)
    rows = []
    for row in evidence.rows:
        req = row.requirement
        cells = "".join(f"<td class={_css(row.verdict(e))}>{row.verdict(e)}</td>" for e in engines)
        tests = []
        for test in row.tests:
            results = ", ".join(f"{e}: {test.verdict(e)} ({_cases(test.outcomes.get(e, {}))})" for e in engines)
            source = function_source(root, test)
            tests.append(f"<details><summary><code>{escape(test.file)}:{test.line}</code> "
                         f"<code>{escape(test.function)}</code> — {escape(results)}</summary>"
                         f"<pre>{escape(source) or '(source not found in this checkout)'}</pre></details>")
        planned = f"<div class=planned>planned: issue {req.planned}</div>" if req.planned else ""
        if req.engines:
            planned += f"<div class=planned>proven on {escape(', '.join(req.engines))} only</div>"
        rows.append(f"<tr id={escape(req.id)}><td><a href=#{escape(req.id)}>{escape(req.id)}</a></td>"
                    f"<td>{escape(req.text)}{planned}<div><small>Source: {escape(req.source)}</small></div></td>"
                    f"<td>{escape(req.risk)}</td>{cells}<td>{''.join(tests) or '—'}</td></tr>")
    table = (f"<table><tr><th>Requirement</th><th>Text and source</th><th>Risk</th>{head}<th>Tests</th></tr>"
             + "".join(rows) + "</table>")
    return _page("NALIRIFOX Screen — traceability matrix", _header(evidence) + table)


def _cases(outcomes):
    return ", ".join(f"{n} {o}" for o, n in sorted(outcomes.items())) or "not in this run"


def write_matrix_csv(evidence, path: Path):
    engines = evidence.engines
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["requirement", "risk", "planned_issue", "engines", "requirement_verdict", "text", "source",
                         "test_file", "test_line", "test_function"] + [f"result_{e}" for e in engines])
        for row in evidence.rows:
            req = row.requirement
            start = [req.id, req.risk, req.planned or "", " ".join(req.engines or ()), row.overall, req.text,
                     req.source]
            for test in row.tests or [None]:
                results = [row.verdict(e) if test is None or not row.applies(e) else test.verdict(e) for e in engines]
                writer.writerow(start + ([test.file, test.line, test.function] if test else ["", "", ""]) + results)


def write_untested(evidence, path: Path):
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["requirement", "risk", "planned_issue", "verdict", "gated", "text"])
        for row in evidence.rows:
            if row.overall != "passed":
                req = row.requirement
                writer.writerow([req.id, req.risk, req.planned or "", row.overall, req.gated, req.text])


def report_data(evidence):
    runs = []
    for engine in evidence.engines:
        run = evidence.runs[engine]
        runs.append({key: run[key] for key in ("engine", "engine_version", "started", "finished", "exit_status",
                                               "arguments", "git", "python", "counts")}
                    | {"tests": len(run["tests"]),
                       "marked_tests": sum(bool(t["requirements"]) for t in run["tests"])})
    first = evidence.runs[evidence.engines[0]] if evidence.engines else {}
    return {
        "generated": datetime.now(UTC).isoformat(timespec="seconds"),
        "git": evidence.head,
        "evidence": "failed" if evidence.problems else "passed",
        "problems": evidence.problems,
        "requirements": evidence.counts(),
        "runs": runs,
        "python": first.get("python"),
        "packages": first.get("packages", []),
        "packages_differ_between_runs": len({json.dumps(r["packages"]) for r in evidence.runs.values()}) > 1,
        "protocols": first.get("protocols", {}),
    }


def report_html(data) -> str:
    runs = "".join(
        f"<tr><td>{escape(r['engine'])}</td><td>{escape(str(r['engine_version']))}</td><td>{r['started']}</td>"
        f"<td>{r['finished']}</td><td>{r['tests']} ({r['marked_tests']} marked)</td>"
        f"<td>{escape(', '.join(f'{n} {o}' for o, n in sorted(r['counts'].items())))}</td>"
        f"<td>{r['exit_status']}</td><td><code>{escape(str(r['git']['commit']))}</code></td></tr>"
        for r in data["runs"])
    packages = "".join(
        f"<tr><td>{escape(p['name'])}</td><td>{escape(p['pinned'])}</td>"
        f"<td class={'passed' if p['installed'] == p['pinned'] else 'failed'}>{escape(str(p['installed']))}</td></tr>"
        for p in data["packages"])
    protocols = "".join(f"<tr><td><code>{escape(k)}</code></td><td><code>{v}</code></td></tr>"
                        for k, v in data["protocols"].items()) \
        or "<tr><td colspan=2>No protocol definition files (screening/eligibility/protocols/*.toml) in this version.</td></tr>"
    counts = "".join(f"<tr><td>{escape(k)}</td><td>{v['passed']} / {v['total']}</td><td>{v['planned']}</td></tr>"
                     for k, v in data["requirements"].items())
    python = data["python"] or {}
    problems = "".join(f"<li>{escape(p)}</li>" for p in data["problems"])
    body = (
        f"<p>Commit <code>{escape(str(data['git'].get('commit')))}</code>"
        f"{' (modified tree)' if data['git'].get('dirty') else ''}. Generated {data['generated']}. "
        f"Evidence: <strong>{data['evidence'].upper()}</strong>. <a href=matrix.html>Traceability matrix</a>.</p>"
        + (f"<ul>{problems}</ul>" if problems else "")
        + "<h2>Requirements</h2><table><tr><th>Risk class</th><th>Passed on every engine</th><th>Planned</th></tr>"
        + counts + "</table>"
        + "<h2>Test runs</h2><table><tr><th>Engine</th><th>Server</th><th>Started (UTC)</th><th>Finished (UTC)</th>"
        "<th>Tests</th><th>Outcomes</th><th>Exit</th><th>Commit</th></tr>" + runs + "</table>"
        + f"<h2>Python</h2><p>{escape(python.get('implementation', ''))} {escape(python.get('version', ''))} "
        f"on {escape(python.get('platform', ''))}</p>"
        + "<h2>Protocol definitions (SHA-256)</h2><table>" + protocols + "</table>"
        + "<h2>Pinned packages (requirements.txt)</h2>"
        + ("<p><strong>The runs used different package versions.</strong></p>" if data["packages_differ_between_runs"] else "")
        + "<table><tr><th>Package</th><th>Pinned</th><th>Installed</th></tr>" + packages + "</table>")
    return _page("NALIRIFOX Screen — test report", body)


def requirements_md(requirements) -> str:
    lines = ["# User requirements", "",
             "Generated from `docs/validation/requirements.yaml` (edit that file, not this one).", "",
             "| id | requirement | source | risk |", "|---|---|---|---|"]
    for req in requirements.values():
        planned = f" *(planned: issue {req.planned})*" if req.planned else ""
        lines.append(f"| {req.id} | {req.text}{planned} | {req.source} | {req.risk} |".replace("\n", " "))
    return "\n".join(lines) + "\n"


def write_all(evidence, out: Path, root: Path = catalogue.ROOT):
    out.mkdir(parents=True, exist_ok=True)
    (out / "matrix.html").write_text(matrix_html(evidence, root), encoding="utf-8")
    write_matrix_csv(evidence, out / "matrix.csv")
    write_untested(evidence, out / "untested.csv")
    data = report_data(evidence)
    (out / "report.json").write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    (out / "report.html").write_text(report_html(data), encoding="utf-8")
    (out / "requirements.md").write_text(requirements_md(evidence.catalogue), encoding="utf-8")
