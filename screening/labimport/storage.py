"""Source files on disk, outside the web root (``settings.LAB_IMPORT_DIR``), named by their SHA-256.

An upload is *staged* until the user applies or cancels the import; applying *keeps* it (content
addressed, so the same file applied twice is stored once); cancelling deletes the staged copy.
"""

import hashlib
import os
import re
import tempfile
import time
from pathlib import Path

from django.conf import settings

SHA256 = re.compile(r"^[0-9a-f]{64}$")
STAGING_HOURS = 24


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _root() -> Path:
    return Path(settings.LAB_IMPORT_DIR)


def _path(area: str, sha256: str) -> Path:
    if not SHA256.match(sha256 or ""):
        raise ValueError("not a SHA-256")
    if area == "kept":
        return _root() / "kept" / sha256[:2] / sha256
    return _root() / "staging" / sha256


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as handle:
        handle.write(data)
    os.replace(handle.name, path)


def stage(data: bytes) -> str:
    sha256 = sha256_hex(data)
    _write(_path("staging", sha256), data)
    _sweep_staging()
    return sha256


def read(sha256: str) -> bytes | None:
    """The file's bytes (kept or staged) if present and intact, else None."""
    for area in ("kept", "staging"):
        try:
            path = _path(area, sha256)
        except ValueError:
            return None
        if path.is_file():
            data = path.read_bytes()
            if sha256_hex(data) == sha256:
                return data
    return None


def keep(data: bytes) -> str:
    sha256 = sha256_hex(data)
    path = _path("kept", sha256)
    if not path.is_file():
        _write(path, data)
    discard(sha256)
    return sha256


def discard(sha256: str) -> None:
    try:
        _path("staging", sha256).unlink(missing_ok=True)
    except ValueError:
        pass


def _sweep_staging() -> None:
    """Drop staged uploads nobody applied or cancelled within a day."""
    cutoff = time.time() - STAGING_HOURS * 3600
    for path in (_root() / "staging").glob("*"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
        except OSError:
            pass
