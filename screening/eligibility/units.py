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

from dataclasses import dataclass
from decimal import (
    ROUND_CEILING,
    ROUND_FLOOR,
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


# --- plausibility limits (spec section 3, r2) --------------------------------


@dataclass(frozen=True, slots=True)
class PlausibleRange:
    """Inclusive limits of a real result, stated in ``unit``; a value in
    another unit of the test is converted into ``unit`` first (counts to
    10*9/L, haemoglobin to g/dL)."""

    low: Decimal
    high: Decimal
    unit: str


def _range(low: str, high: str, unit: str) -> PlausibleRange:
    return PlausibleRange(Decimal(low), Decimal(high), unit)


# test -> unit of the result -> range of its value / of its ULN (None: no limit)
PLAUSIBLE_VALUES: dict[str, dict[str, PlausibleRange]] = {
    "anc": dict.fromkeys(_CELL_COUNT, _range("0", "100", "10*9/L")),
    "platelets": dict.fromkeys(_CELL_COUNT, _range("0", "3000", "10*9/L")),
    "haemoglobin": dict.fromkeys(("g/dL", "g/L", "mmol/L"), _range("2", "25", "g/dL")),
    "bilirubin": {"umol/L": _range("0", "1000", "umol/L"), "mg/dL": _range("0", "60", "mg/dL")},
    "alt": {"U/L": _range("0", "10000", "U/L"), "IU/L": _range("0", "10000", "IU/L")},
    "ast": {"U/L": _range("0", "10000", "U/L"), "IU/L": _range("0", "10000", "IU/L")},
    "creatinine": {"umol/L": _range("10", "2000", "umol/L"), "mg/dL": _range("0.1", "25", "mg/dL")},
}
PLAUSIBLE_ULNS: dict[str, dict[str, PlausibleRange]] = {
    "bilirubin": {"umol/L": _range("5", "50", "umol/L"), "mg/dL": _range("0.3", "3", "mg/dL")},
    "alt": {"U/L": _range("10", "200", "U/L"), "IU/L": _range("10", "200", "IU/L")},
    "ast": {"U/L": _range("10", "200", "U/L"), "IU/L": _range("10", "200", "IU/L")},
    "creatinine": {"umol/L": _range("40", "200", "umol/L"), "mg/dL": _range("0.4", "2.5", "mg/dL")},
}
WEIGHT_KG = _range("20", "300", "kg")


def _in_range_unit(test: str, value: Decimal, unit: str, limits: PlausibleRange) -> Decimal:
    if unit == limits.unit:
        return value
    return product(value, _FACTORS[test][unit])  # into the canonical unit the range is stated in


def is_plausible(test: str, value: Decimal, unit: str, *, uln: bool = False) -> bool:
    """Whether ``value`` (a result, or with ``uln=True`` its ULN) in ``unit``
    lies within the plausibility limits, exactly and inclusively."""
    limits = (PLAUSIBLE_ULNS if uln else PLAUSIBLE_VALUES).get(test, {}).get(unit)
    if limits is None:
        return True
    return limits.low <= _in_range_unit(test, value, unit, limits) <= limits.high


def plausible_range(test: str, unit: str, *, uln: bool = False) -> PlausibleRange | None:
    """The limits as stated by the spec (in the canonical unit for counts
    and haemoglobin), or None when there are none."""
    return (PLAUSIBLE_ULNS if uln else PLAUSIBLE_VALUES).get(test, {}).get(unit)


def range_in_unit(test: str, unit: str, *, uln: bool = False) -> tuple[Decimal, Decimal] | None:
    """The limits expressed in ``unit`` itself (for a form's hint); exact
    except for mmol/L haemoglobin, rounded inward to 2 decimal places."""
    limits = plausible_range(test, unit, uln=uln)
    if limits is None:
        return None
    if unit == limits.unit:
        return limits.low, limits.high
    factor = _FACTORS[test][unit]
    low = (limits.low / factor).quantize(Decimal("0.01"), rounding=ROUND_CEILING)
    high = (limits.high / factor).quantize(Decimal("0.01"), rounding=ROUND_FLOOR)
    return low.normalize() if low == low.to_integral() else low, high.normalize() if high == high.to_integral() else high


def fitting_units(test: str, value: Decimal, *, uln: bool = False) -> tuple[str, ...]:
    """The units of ``test`` in which ``value`` would be plausible."""
    return tuple(unit for unit in LAB_UNITS[test] if is_plausible(test, value, unit, uln=uln))
