"""How numbers, units, dates and datetimes read in a criterion's detail.

Rounding happens here only, for display; statuses are decided on the
exact values.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_EVEN, Context, Decimal

from .units import UNIT_LABELS

_DISPLAY = Context(prec=40, rounding=ROUND_HALF_EVEN)


def number(value: Decimal | int) -> str:
    """A value as written, without exponent notation (1E+3 reads 1000)."""
    if isinstance(value, int):
        return str(value)
    return format(value, "f")


def plain(value: Decimal) -> str:
    """An exact value without exponent notation or trailing zeros."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def approx(value: Decimal, places: int = 2) -> str:
    """A computed value rounded for display, trailing zeros dropped."""
    rounded = value.quantize(Decimal(1).scaleb(-places), context=_DISPLAY)
    text = format(rounded, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def rounded(value: Decimal, places: int = 2) -> Decimal:
    """A computed value rounded for display (half-even), trailing zeros dropped."""
    result = value.quantize(Decimal(1).scaleb(-places), context=_DISPLAY)
    return Decimal(approx(result, places))


def ratio(numerator: Decimal, denominator: Decimal, places: int = 2) -> str:
    return approx(_DISPLAY.divide(numerator, denominator), places)


def quantity(value: Decimal, unit: str) -> str:
    return f"{number(value)} {UNIT_LABELS.get(unit, unit)}"


def day(value: date) -> str:
    return value.isoformat()


def moment(value: datetime) -> str:
    """2026-03-10 09:00 +08:00 (seconds shown only when not zero)."""
    text = value.strftime("%Y-%m-%d %H:%M")
    if value.second or value.microsecond:
        text += value.strftime(":%S")
        if value.microsecond:
            text += f".{value.microsecond:06d}".rstrip("0")
    return f"{text} {offset(value.utcoffset())}"


def offset(delta: timedelta | None) -> str:
    if delta is None:
        return ""
    minutes = int(delta.total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    hours, minutes = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}:{minutes:02d}"


def days(count: int) -> str:
    return f"{count} day" if abs(count) == 1 else f"{count} days"
