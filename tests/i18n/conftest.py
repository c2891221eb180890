"""Fixtures for the language tests: a compiled catalogue and a Chinese reader.

The rest of the suite reads English (tests/conftest.py); these tests ask for Chinese explicitly.
"""

import shutil
import subprocess

import pytest
from django.conf import settings
from django.utils import translation

PO = settings.BASE_DIR / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


@pytest.fixture(scope="session", autouse=True)
def compiled_catalogue():
    """The .mo as `make install` builds it, rebuilt when the .po is newer (pytest run without make)."""
    if not MO.exists() or MO.stat().st_mtime < PO.stat().st_mtime:
        assert shutil.which("msgfmt"), "msgfmt is missing: run `make install` (it installs gettext)"
        subprocess.run(["msgfmt", "--check", f"--output-file={MO}", str(PO)], check=True)
        translation.trans_real._translations = {}  # forget catalogues loaded before the rebuild
        translation.trans_real._default = None
    return MO


@pytest.fixture
def chinese(settings):
    """The site's own default: a request without any language preference reads Simplified Chinese."""
    settings.LANGUAGE_CODE = "zh-hans"
    with translation.override("zh-hans"):
        yield
