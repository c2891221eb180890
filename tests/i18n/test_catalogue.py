"""The Chinese catalogue is complete, exact and up to date with the sources."""

import re
import shutil
import subprocess
import sys

import polib
import pytest
from django.conf import settings

from tests.i18n.conftest import PO

pytestmark = pytest.mark.requirement("URS-I18N-001")

PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{(\w+)\}")
GLOSSARY = settings.BASE_DIR / "docs" / "glossary.md"


@pytest.fixture(scope="module")
def catalogue():
    return polib.pofile(str(PO))


def live(entries):
    return [entry for entry in entries if not entry.obsolete]


def key(entry):
    return (entry.msgctxt or "", entry.msgid, entry.msgid_plural or "")


def translations(entry):
    return list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]


def test_every_entry_is_translated_and_none_is_fuzzy(catalogue):
    untranslated = [entry.msgid for entry in live(catalogue) if not all(text.strip() for text in translations(entry))]
    fuzzy = [entry.msgid for entry in live(catalogue) if "fuzzy" in entry.flags]
    assert not untranslated, f"{len(untranslated)} untranslated entries (see README, 'Translation'): {untranslated[:20]}"
    assert not fuzzy, f"fuzzy entries (check and remove the flag): {fuzzy[:20]}"
    assert not catalogue.metadata_is_fuzzy
    assert catalogue.metadata["Plural-Forms"] == "nplurals=1; plural=0;"


def test_no_obsolete_entries(catalogue):
    assert not catalogue.obsolete_entries(), "obsolete entries: run `make messages` (it drops them)"


def test_translations_keep_every_placeholder(catalogue):
    wrong = []
    for entry in live(catalogue):
        for source in filter(None, (entry.msgid, entry.msgid_plural)):
            wanted = sorted(PLACEHOLDER.findall(source))
            for text in translations(entry):
                if sorted(PLACEHOLDER.findall(text)) != wanted:
                    wrong.append((entry.msgid, text))
    assert not wrong, wrong


def test_translations_keep_the_markup(catalogue):
    tags = re.compile(r"</?\w+")
    wrong = [(entry.msgid, text) for entry in live(catalogue) for text in translations(entry)
             if sorted(tags.findall(text)) != sorted(tags.findall(entry.msgid))]
    assert not wrong, wrong


def test_the_mo_compiles_cleanly():
    assert shutil.which("msgfmt"), "gettext is missing: run `make install`"
    result = subprocess.run(["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(PO)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, result.stderr


def glossary_terms():
    """(English, Chinese) rows of docs/glossary.md's table."""
    rows = []
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) >= 2 and line.startswith("|") and not set(cells[0]) <= set("-: ") and cells[0] != "English":
            rows.append((cells[0].strip("`"), cells[1].strip("`")))
    return rows


def test_glossary_exists_with_the_guides_words():
    terms = dict(glossary_terms())
    for english, chinese in (("candidate", "候选者"), ("screening number", "筛选号"), ("subject number", "受试者编号"),
                             ("screen failure", "筛选失败"), ("criterion", "入选标准")):
        assert chinese in terms.get(english, ""), (english, terms.get(english))


def test_catalogue_uses_the_glossary_terms(catalogue):
    """Where a glossary term is itself a message, its translation contains the fixed Chinese term."""
    by_id = {entry.msgid.lower(): entry for entry in live(catalogue) if not entry.msgctxt}
    checked = 0
    for english, chinese in glossary_terms():
        entry = by_id.get(english.lower())
        fixed = chinese.split("/")[0].split("（")[0].strip()
        if entry is not None:
            checked += 1
            assert fixed in entry.msgstr, (english, fixed, entry.msgstr)
    assert checked >= 10


def test_catalogue_is_up_to_date_with_the_sources(tmp_path):
    """makemessages on a copy of the sources finds exactly the catalogue's msgids (no missing, no stale)."""
    source = settings.BASE_DIR
    copy = tmp_path / "src"
    ignore = shutil.ignore_patterns(".*", "__pycache__", "locale", "staticfiles", "tests", "bench", "deploy",
                                    "*.sqlite3", "node_modules")
    shutil.copytree(source, copy, ignore=ignore)
    (copy / "locale").mkdir()
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--locale", "zh_Hans", "--no-location", "--no-obsolete"],
        cwd=copy, capture_output=True, text=True, env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE":
                                                       "nalirifox_screen.settings"},
    )
    assert result.returncode == 0, result.stderr
    extracted = {key(entry) for entry in live(polib.pofile(str(copy / "locale/zh_Hans/LC_MESSAGES/django.po")))}
    committed = {key(entry) for entry in live(polib.pofile(str(PO)))}
    missing, stale = sorted(extracted - committed), sorted(committed - extracted)
    assert not missing and not stale, (
        f"run `make messages` and translate: {len(missing)} new strings {missing[:15]}; "
        f"{len(stale)} no longer in the sources {stale[:15]}"
    )
