"""Written units -> the UCUM codes the engine accepts (lab-import.md, "Units").

Superscript digits become an explicit power (``×10⁹/L`` -> ``×10^9/L``) *before* Unicode compatibility
normalisation, which would otherwise read ``×10⁹`` as ``×109``. Then NFKC, ``μ``/``µ`` -> ``u``, and the
multiplication sign and power marker around the power of ten are dropped (``×10^9/L``, ``10E9/L``,
``10*9/L`` all read ``10*9/L``). Lookups are case-sensitive: ``G/L`` (giga per litre) is a count,
``g/L`` (grams per litre) a mass concentration.
"""

from __future__ import annotations

import re
import unicodedata

SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_SUPERSCRIPT_RUN = re.compile("[⁰¹²³⁴⁵⁶⁷⁸⁹]+")
_POWER_OF_TEN = re.compile(r"^(?:[×xX*]\s*)?10\s*(?:\^|\*|E|e)\s*([0-9]+)\s*(/.*)$")

# normalised written form -> UCUM code (the table of lab-import.md).
UNITS = {
    "10*9/L": "10*9/L",
    "G/L": "10*9/L",
    "10*3/uL": "10*3/uL",
    "K/uL": "10*3/uL",
    "/uL": "/uL",
    "cells/uL": "/uL",
    "g/L": "g/L",
    "g/dL": "g/dL",
    "mmol/L": "mmol/L",
    "umol/L": "umol/L",
    "mg/dL": "mg/dL",
    "U/L": "U/L",
    "IU/L": "IU/L",
    "[IU]/L": "IU/L",
}


def compatible(text: str) -> str:
    """NFKC, but superscript digits first become an explicit power: ``×10⁹`` -> ``×10^9``, never ``×109``."""
    text = _SUPERSCRIPT_RUN.sub(lambda run: "^" + run.group().translate(SUPERSCRIPTS), text)
    return unicodedata.normalize("NFKC", text)


def normalise(written: str) -> str:
    """The written unit in the form the table is keyed by (not yet looked up)."""
    text = compatible(written).replace("μ", "u").replace("µ", "u")
    text = re.sub(r"\s+", "", text)
    power = _POWER_OF_TEN.match(text)
    if power:
        text = f"10*{power.group(1)}{power.group(2)}"
    return text


def to_ucum(written: str) -> str | None:
    """The UCUM code for a written unit, or None when the unit is not in the table."""
    return UNITS.get(normalise(written))


def is_percentage(written: str) -> bool:
    return normalise(written) == "%"
