"""What a test run ran on: interpreter, pinned packages, git commit, protocol definitions, database."""

import hashlib
import platform
import re
import subprocess  # nosec B404 - fixed argument lists, no shell
import sys
from importlib import metadata

from .catalogue import ROOT

PROTOCOLS = "screening/eligibility/protocols/*.toml"
PIN = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*==\s*([^\s;#]+)")


def _git(*args):
    try:
        result = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=30)  # nosec
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout.strip() if result.returncode == 0 else None


def git():
    """{"commit": hex or None, "dirty": bool} — dirty when tracked files differ from the commit."""
    status = _git("status", "--porcelain", "--untracked-files=no")
    return {"commit": _git("rev-parse", "HEAD"), "dirty": bool(status)}


def packages(requirements=ROOT / "requirements.txt"):
    """Each pinned package: its pin and the version installed (None when absent)."""
    rows = []
    for line in requirements.read_text(encoding="utf-8").splitlines():
        match = PIN.match(line)
        if not match:
            continue
        name, pinned = match.groups()
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            installed = None
        rows.append({"name": name, "pinned": pinned, "installed": installed})
    return rows


def protocols():
    """{relative path: SHA-256} of the protocol definition files (empty until they exist)."""
    return {
        path.relative_to(ROOT).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(ROOT.glob(PROTOCOLS))
    }


def database():
    """(vendor, server version or None) of Django's default database; ("none", None) without Django.

    Never opens a connection (pytest-django blocks database access outside tests): PostgreSQL's
    version is read from a connection some test left open, so callers poll it while tests run.
    """
    try:
        from django.conf import settings

        if not settings.configured:
            return "none", None
        from django.db import connection

        vendor = connection.vendor
    except Exception:  # noqa: BLE001 - no usable Django: the run is engine-free
        return "none", None
    if vendor == "sqlite":
        import sqlite3

        return vendor, sqlite3.sqlite_version
    raw = connection.connection
    number = getattr(raw, "server_version", None) if raw is not None else None
    if isinstance(number, int) and number >= 100000:  # PostgreSQL 10+: 160004 is 16.4
        return vendor, f"{number // 10000}.{number % 10000}"
    return vendor, None


def python():
    return {"version": platform.python_version(), "implementation": platform.python_implementation(),
            "executable": sys.executable, "platform": platform.platform()}
