"""Rules on free text (spec section 4, r2) and the pulmonary primary
(spec section 3, r2): pure functions Django forms and the lab import reuse.
"""

from __future__ import annotations

import re
import unicodedata

from .messages import gettext_noop as _

SCREENING_NUMBER = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,39}")

# Latin letters of these blocks are allowed (Basic Latin letters are ASCII).
_LATIN_BLOCKS = ((0x00C0, 0x00FF), (0x0100, 0x017F), (0x0180, 0x024F), (0x1E00, 0x1EFF))
_HAN_NAMES = ("CJK UNIFIED IDEOGRAPH-", "CJK COMPATIBILITY IDEOGRAPH-")


def _allowed(char: str) -> bool:
    code = ord(char)
    if 0x20 <= code <= 0x7E:
        return True
    category = unicodedata.category(char)
    if category.startswith("P"):
        return True
    if category.startswith("L") and any(low <= code <= high for low, high in _LATIN_BLOCKS):
        return True
    return unicodedata.name(char, "").startswith(_HAN_NAMES)


def describe_character(char: str) -> str:
    """U+0261 LATIN SMALL LETTER SCRIPT G"""
    name = unicodedata.name(char, "")
    if 0xD800 <= ord(char) <= 0xDFFF:
        name = "lone surrogate (not valid Unicode)"
    elif not name:
        name = {"Cc": "control character", "Cf": "format character"}.get(unicodedata.category(char), "unnamed")
    return f"U+{ord(char):04X} {name}"


def free_text_fault(text: str) -> tuple[str, str] | None:
    """("invalid_unicode" or "not_allowed", the character as ``describe_character`` names it) for a
    free-text value, None when it is acceptable: after NFKC normalisation it may hold only printable
    ASCII, Unicode punctuation, Latin letters (Latin-1 Supplement, Extended-A/-B, Extended Additional)
    and Han ideographs."""
    for char in text:
        if 0xD800 <= ord(char) <= 0xDFFF:  # NFKC would fail on it
            return "invalid_unicode", describe_character(char)
    for char in unicodedata.normalize("NFKC", text):
        if not _allowed(char):
            return "not_allowed", describe_character(char)
    return None


def check_free_text(text: str) -> str | None:
    """The problem with a free-text value in English (None when it is acceptable; see ``free_text_fault``)."""
    fault = free_text_fault(text)
    if fault is None:
        return None
    kind, character = fault
    if kind == "invalid_unicode":
        return f"is not valid Unicode: contains {character}"
    return (
        f"contains {character}, which is not allowed in free text "
        "(letters, Han characters, digits, punctuation and spaces only; "
        "no control, invisible or look-alike characters)"
    )


def check_screening_number(text: str) -> str | None:
    if SCREENING_NUMBER.fullmatch(text):
        return None
    return _("must be 1–40 of A–Z a–z 0–9 . _ - starting with a letter or digit (no spaces, no other characters)")


# --- pulmonary primary ------------------------------------------------------

PULMONARY_WORDS = frozenset(
    {"lung", "lungs", "pulmonary", "bronchus", "bronchi", "bronchial", "bronchogenic", "bronchopulmonary",
     "sclc", "nsclc"}
)
_ALWAYS_PULMONARY = frozenset({"sclc", "nsclc"})  # "non-SCLC" is a lung cancer
_EXEMPTING_PREFIXES = ("extra-", "non-")
_WORD = re.compile(r"[a-z]+")
_ICD_O_LUNG = re.compile(r"(?<![a-z0-9])c34(?![a-z])")
_CHINESE_LUNG = ("肺", "支气管", "支氣管")
NOT_RECORDED_SITES = frozenset({"n/a", "na", "tbd", "not recorded", "待查"})


def _folded(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def primary_site_recorded(text: str | None) -> bool:
    """False for a primary site that is "not recorded": absent, blank, with no
    letter at all (``?``, ``-``, ``34``) or one of n/a, na, tbd, not recorded, 待查."""
    if text is None:
        return False
    folded = _folded(text).strip()
    if folded in NOT_RECORDED_SITES:
        return False
    return any(char.isalpha() for char in folded)


def pulmonary_match(text: str) -> str | None:
    """What in ``text`` names a pulmonary primary (a word, C34…, 肺, 支气管), or None."""
    folded = _folded(text)
    for match in _WORD.finditer(folded):
        word = match.group()
        if word not in PULMONARY_WORDS:
            continue
        before = folded[: match.start()]
        if word in _ALWAYS_PULMONARY or not before.endswith(_EXEMPTING_PREFIXES):
            return word
    found = _ICD_O_LUNG.search(folded)
    if found:
        return found.group().upper()
    remaining = folded.replace("肺外", "")
    for term in _CHINESE_LUNG:
        if term in remaining:
            return term
    return None
