"""Laboratory tests, their accepted UCUM units and exact conversions.

Every conversion the protocol needs is a multiplication by an exact
decimal factor into the test's canonical unit (the first one listed), so
comparisons never divide and never round:

* ``anc``, ``platelets``: canonical 10*9/L; 1 × 10⁹/L = 1 × 10³/µL = 1000 /µL.
* ``haemoglobin``: canonical g/dL; g/L × 0.1; mmol/L × 1.6114 (Hb monomer).
* ``creatinine``: canonical µmol/L; mg/dL × 88.4 (µmol/L ÷ 88.4 = mg/dL
  would not be a finite decimal, the other direction is).
* ``bilirubin``, ``alt``, ``ast``: never converted; the protocol compares
  them with their own ULN given in the same unit.
"""

from __future__ import annotations

from decimal import (
    Clamped,
    Context,
    Decimal,
    DivisionByZero,
    Inexact,
    InvalidOperation,
    Overflow,
    Rounded,
    Underflow,
)

LAB_TESTS = ("anc", "platelets", "haemoglobin", "bilirubin", "alt", "ast", "creatinine")

ULN_REQUIRED = frozenset({"bilirubin", "alt", "ast", "creatinine"})

_CELL_COUNT = {
    "10*9/L": Decimal(1),
    "10*3/uL": Decimal(1),
    "10*3/mm3": Decimal(1),
    "/uL": Decimal("0.001"),
    "/mm3": Decimal("0.001"),
}

# test -> unit -> factor into the canonical unit (None: never converted).
_FACTORS: dict[str, dict[str, Decimal | None]] = {
    "anc": _CELL_COUNT,
    "platelets": _CELL_COUNT,
    "haemoglobin": {"g/dL": Decimal(1), "g/L": Decimal("0.1"), "mmol/L": Decimal("1.6114")},
    "bilirubin": {"umol/L": None, "mg/dL": None},
    "alt": {"U/L": None, "IU/L": None},
    "ast": {"U/L": None, "IU/L": None},
    "creatinine": {"umol/L": Decimal(1), "mg/dL": Decimal("88.4")},
}

LAB_UNITS: dict[str, tuple[str, ...]] = {test: tuple(_FACTORS[test]) for test in LAB_TESTS}

CREATININE_UMOL_PER_MG = Decimal("88.4")

# How a unit reads in a sentence (UCUM codes are for machines).
UNIT_LABELS = {
    "10*9/L": "×10⁹/L",
    "10*3/uL": "×10³/µL",
    "10*3/mm3": "×10³/mm³",
    "/uL": "/µL",
    "/mm3": "/mm³",
    "g/dL": "g/dL",
    "g/L": "g/L",
    "mmol/L": "mmol/L",
    "umol/L": "µmol/L",
    "mg/dL": "mg/dL",
    "U/L": "U/L",
    "IU/L": "IU/L",
}

TEST_LABELS = {
    "anc": "ANC",
    "platelets": "Platelets",
    "haemoglobin": "Haemoglobin",
    "bilirubin": "Bilirubin",
    "alt": "ALT",
    "ast": "AST",
    "creatinine": "Creatinine",
}

# Products of validated inputs (at most 21 significant digits each, see
# parsing.py) fit easily in 100 digits; should one ever not, the trap
# raises instead of silently rounding.
_EXACT = Context(
    prec=100,
    traps=[Inexact, Rounded, Overflow, Underflow, Clamped, InvalidOperation, DivisionByZero],
)


def product(*factors: Decimal | int) -> Decimal:
    """The exact product of decimals (never rounded)."""
    result = Decimal(factors[0])
    for factor in factors[1:]:
        result = _EXACT.multiply(result, factor)
    return result


def to_canonical(test: str, value: Decimal, unit: str) -> Decimal:
    """``value`` in ``unit`` expressed exactly in the test's canonical unit."""
    factor = _FACTORS[test][unit]
    if factor is None:
        raise ValueError(f"{test} is compared with its ULN and has no conversion")
    return product(value, factor)


def canonical_unit(test: str) -> str:
    return LAB_UNITS[test][0]
