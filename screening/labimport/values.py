"""Small parsers for what an LIS writes in a cell: flagged values, reference ranges, dates, pregnancy results.

Each returns the exact reading or raises ``Rejected`` with a reason a coordinator understands; none
guesses (``<0.5``, ``1,5`` or ``男 0-40; 女 0-35`` are refused, not interpreted).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from .problems import Problem, _
from .units import compatible


class Rejected(Problem):
    """A source row that cannot be imported; ``reason`` (English) and ``fact`` are shown to the coordinator."""

    @property
    def reason(self) -> str:
        return str(self)


def shown(text: object, limit: int = 40) -> str:
    """A cell's text quoted for a message, shortened."""
    text = str(text)
    return repr(text if len(text) <= limit else text[:limit] + "…")


def clean(text: str) -> str:
    """NFKC (full-width ``４５`` reads ``45``, ``～`` reads ``~``; superscripts as powers) and trimmed."""
    return compatible(text).strip()


_NUMBER = r"[0-9]+(?:\.[0-9]+)?"
_FLAGGED = re.compile(rf"^(?P<pre>[↑↓])?\s*(?P<number>{_NUMBER})\s*(?P<post>[↑↓]|[HhLl])?$")


def flagged_value(text: str) -> tuple[Decimal, str | None]:
    """``45↑``, ``↓1.2``, ``45 H``, ``1.2 L`` -> (the exact number, the flag ``H``/``L`` or None)."""
    match = _FLAGGED.match(clean(text))
    if not match:
        raise Rejected(_("value {text} is not a number (with an optional ↑/↓/H/L flag)"), text=shown(text))
    if match["pre"] and match["post"]:
        raise Rejected(_("value {text} carries two flags"), text=shown(text))
    flag = match["pre"] or match["post"]
    flag = None if flag is None else ("H" if flag in "↑Hh" else "L")
    return Decimal(match["number"]), flag


@dataclass(frozen=True)
class ReferenceRange:
    low: Decimal | None
    high: Decimal | None
    unit: str | None  # as written after the numbers, if any


_DASHES = "-–—~〜"
_RANGE = re.compile(rf"^(?P<low>{_NUMBER})\s*[{_DASHES}]\s*(?P<high>{_NUMBER})\s*(?P<unit>\S.*)?$")
_BELOW = re.compile(rf"^(?:<=|≤|<)\s*(?P<high>{_NUMBER})\s*(?P<unit>\S.*)?$")


def reference_range(text: str) -> ReferenceRange | None:
    """``3.5-9.5``, ``3.5～9.5``, ``0-40``, ``<40``, ``≤40``, ``<=40`` (optionally followed by a unit);
    None when blank. The upper number is the ULN."""
    text = clean(text)
    if not text:
        return None
    match = _RANGE.match(text)
    if match:
        low, high = Decimal(match["low"]), Decimal(match["high"])
        if low > high:
            raise Rejected(_("reference range {text}: the lower limit is above the upper"), text=shown(text))
        return ReferenceRange(low, high, match["unit"])
    match = _BELOW.match(text)
    if match:
        return ReferenceRange(None, Decimal(match["high"]), match["unit"])
    raise Rejected(_("reference range {text} is not understood (expected e.g. 3.5-9.5 or <40)"), text=shown(text))


POSITIVE = frozenset({"阳性", "positive", "+", "pos"})
NEGATIVE = frozenset({"阴性", "negative", "-", "neg"})


def pregnancy_result(text: str) -> str:
    """``阴性``/``negative``/``-`` -> negative; ``阳性``/``positive``/``+`` -> positive."""
    word = clean(text).casefold()
    if word in POSITIVE:
        return "positive"
    if word in NEGATIVE:
        return "negative"
    raise Rejected(_("pregnancy result {text} is neither positive (阳性, +) nor negative (阴性, -)"), text=shown(text))


_DATETIME = re.compile(
    r"^(?P<y>[0-9]{4})[-/](?P<m>[0-9]{1,2})[-/](?P<d>[0-9]{1,2})"
    r"(?:[ T](?P<H>[0-9]{1,2}):(?P<M>[0-9]{2})(?::(?P<S>[0-9]{2})(?:\.[0-9]{1,6})?)?"
    r"(?P<offset>Z|[+-][0-9]{2}:[0-9]{2})?)?$"
)


def collected_at(value: object, site_zone: str) -> tuple[date, datetime | None]:
    """A collection date or time: ``2026-03-01 08:30``, ``2026/03/01 08:30:00``, ``2026-03-01``, an ISO
    datetime with offset, or an Excel date cell. Returns (the date in the site's time zone, the aware
    instant or None when only a date was written). A time without an offset is site time."""
    zone = ZoneInfo(site_zone)
    if isinstance(value, datetime):
        instant = value if value.tzinfo else value.replace(tzinfo=zone)
        return instant.astimezone(zone).date(), instant
    if isinstance(value, date):
        return value, None
    if not isinstance(value, str):
        raise Rejected(_("collection time {value} is not a date"), value=shown(value))
    match = _DATETIME.match(clean(value))
    try:
        if not match:
            raise ValueError
        day = date(int(match["y"]), int(match["m"]), int(match["d"]))
        if match["H"] is None:
            return day, None
        clock = time(int(match["H"]), int(match["M"]), int(match["S"] or 0))
        instant = datetime.combine(day, clock)
        offset = match["offset"]
        if offset:
            instant = datetime.fromisoformat(f"{instant.isoformat()}{'+00:00' if offset == 'Z' else offset}")
        else:
            instant = instant.replace(tzinfo=zone)
    except ValueError:
        raise Rejected(_("collection time {value} is not a date (expected e.g. 2026-03-01 08:30)"), value=shown(value)) from None
    return instant.astimezone(zone).date(), instant
