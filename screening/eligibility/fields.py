"""Reading one value of a JSON interchange record (spec sections 4-5):
exact numbers, dates, datetimes, choices, yes/no, text; and ``loads``, the
strict JSON reader (exact numbers, duplicate keys kept for refusal).

Every reader takes the containing object, the key and the path prefix
("" or "labs[2].") and returns the value, or None when absent or null; a
value that cannot be trusted raises ``InvalidRecord`` naming the field.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from .messages import gettext_noop as _
from .messages import render_text
from .text import check_free_text

NUMBER_LIMIT = Decimal(10) ** 9
MAX_DECIMAL_PLACES = 6
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2199, 12, 31)

# A JSON number, exactly (numeric strings must have the same syntax).
_NUMERIC_TEXT = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
_DATE_TEXT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DATETIME_TEXT = re.compile(
    r"([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,6})?)?)"
    r"(Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])?"
)
DATETIME_EXAMPLE = "e.g. 2026-03-10T09:00:00+08:00"


class InvalidRecord(ValueError):
    """A record that cannot be trusted; ``field`` is its dotted path."""

    def __init__(self, field: str, message, /, **values):
        """``message``: English text, or a template with ``values`` (marked with ``_`` for the catalogue),
        or a list of (template, values) parts; ``parts`` keeps them for rendering in another language."""
        self.parts = message if isinstance(message, list) else [(message, values)]
        self.field = field
        self.message = "".join(render_text(template, part_values) for template, part_values in self.parts)
        super().__init__(f"{field}: {self.message}")


# --- strict JSON -------------------------------------------------------------

class StrictObject(dict):
    """A JSON object ``loads`` read with a key written more than once;
    ``duplicates`` names those keys (the record is then refused, not
    resolved). Objects without duplicates are plain dicts."""

    __slots__ = ("duplicates",)


def _object_pairs(pairs: list) -> dict:
    obj = dict(pairs)
    if len(obj) == len(pairs):
        return obj
    strict = StrictObject(pairs)
    strict.duplicates = _repeated(pairs)
    return strict


def _repeated(pairs: list) -> tuple[str, ...]:
    seen: set[str] = set()
    repeated = []
    for key, _value in pairs:
        if key in seen and key not in repeated:
            repeated.append(key)
        seen.add(key)
    return tuple(repeated)


def _json_number(text: str) -> Decimal:
    try:
        return Decimal(text)
    except InvalidOperation:  # an exponent beyond Decimal's range: 1e99999999999999999999
        return Decimal("-Infinity" if text.startswith("-") else "Infinity")


DECODER = json.JSONDecoder(
    parse_float=_json_number, parse_int=_json_number, parse_constant=Decimal, object_pairs_hook=_object_pairs
)


def loads(text: str | bytes):
    """``json.loads`` keeping every number exact (``Decimal``, ints too, so
    that a 5000-digit integer is a field error rather than a parse crash);
    NaN / Infinity tokens become Decimal NaN / Infinity, refused by
    ``parse_candidate`` naming the field; objects remember duplicated keys.
    A UTF-8 byte order mark at the start is skipped."""
    if isinstance(text, (bytes, bytearray)):
        text = bytes(text).decode("utf-8")
    if text.startswith("\ufeff"):
        text = text[1:]
    return DECODER.decode(text)


# --- how a wrong value is shown in a message -------------------------------

def shown(value) -> str:
    if value is None:
        return "null"
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, str):
        text = value if len(value) <= 40 else value[:40] + "…"
        return ascii(text) if _has_surrogate(text) else repr(text)
    if isinstance(value, (int, Decimal)):
        text = str(value)
        return text if len(text) <= 40 else text[:40] + "…"
    return kind(value)


def _has_surrogate(text: str) -> bool:
    return any(0xD800 <= ord(char) <= 0xDFFF for char in text)


def kind(value) -> str:
    if value is True or value is False:
        return "true/false"
    if isinstance(value, str):
        return "text"
    if isinstance(value, (int, float, Decimal)):
        return "a number"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


# --- scalar fields -------------------------------------------------------

def required(obj: dict, key: str, where: str):
    value = obj.get(key)
    if value is None:
        raise InvalidRecord(where + key, _("is required"))
    return value


def read_text(obj: dict, key: str, where: str = "", is_required: bool = False) -> str | None:
    value = required(obj, key, where) if is_required else obj.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidRecord(where + key, _("must be text, not {kind}"), kind=kind(value))
    if _has_surrogate(value):
        raise InvalidRecord(where + key, _("is not valid Unicode (contains a lone surrogate)"))
    return value


def read_free_text(obj: dict, key: str, where: str = "") -> str | None:
    value = read_text(obj, key, where)
    if value is not None:
        problem = check_free_text(value)
        if problem:
            raise InvalidRecord(where + key, problem)
    return value


def read_choice(obj: dict, key: str, where: str, allowed: tuple[str, ...], is_required: bool = False) -> str | None:
    value = required(obj, key, where) if is_required else obj.get(key)
    if value is None or (isinstance(value, str) and value in allowed):
        return value
    raise InvalidRecord(where + key, _("{value} is not one of: {allowed}"), value=shown(value), allowed=', '.join(allowed))


def read_boolean(obj: dict, key: str, where: str = "") -> bool | None:
    value = obj.get(key)
    if value is None or value is True or value is False:
        return value
    raise InvalidRecord(where + key, _("must be true or false, not {value}"), value=shown(value))


def decimal_places(number: Decimal) -> int:
    """Digits after the decimal point once trailing zeros are dropped
    (``3.000`` has 0, ``1.5e-7`` has 8), computed exactly."""
    _, digits, exponent = number.as_tuple()
    if exponent >= 0:
        return 0
    trailing = len(digits) - len("".join(map(str, digits)).rstrip("0"))
    if trailing == len(digits):  # zero
        return 0
    return max(0, -(exponent + trailing))


def to_decimal(value, field: str) -> Decimal:
    """Validate one number: exact, finite, not negative, below 10^9, at most 6 decimal places."""
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, bool):
        raise InvalidRecord(field, _("must be a number, not {value}"), value=shown(value))
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, str):
        if not _NUMERIC_TEXT.fullmatch(value):
            raise InvalidRecord(field, _("{value} is not a number"), value=shown(value))
        number = _json_number(value)
    elif isinstance(value, float):
        raise InvalidRecord(
            field,
            _("is a binary floating-point number; give an exact decimal "
              "(a JSON number read with loads(), a Decimal, an int or a numeric string)"),
        )
    else:
        raise InvalidRecord(field, _("must be a number, not {kind}"), kind=kind(value))

    if not number.is_finite():
        raise InvalidRecord(field, _("must be a finite number, not {number}"), number=str(number))
    if number < 0:
        raise InvalidRecord(field, _("must not be negative (got {number})"), number=shown(number))
    if number >= NUMBER_LIMIT:
        raise InvalidRecord(field, _("{number} is implausibly large (limit: below 1000000000)"), number=shown(number))
    if number.as_tuple().exponent < -MAX_DECIMAL_PLACES and decimal_places(number) > MAX_DECIMAL_PLACES:
        raise InvalidRecord(
            field,
            _("{number} has more than {places} decimal places; "
              "give the value as the laboratory or the measurement reported it"),
            number=shown(number), places=MAX_DECIMAL_PLACES,
        )
    if number.is_zero():
        return Decimal(0)  # not -0, not 0E-3
    return number


def read_number(obj: dict, key: str, where: str = "", is_required: bool = False) -> Decimal | None:
    value = required(obj, key, where) if is_required else obj.get(key)
    if value is None:
        return None
    return to_decimal(value, where + key)


def read_positive(obj: dict, key: str, where: str = "", is_required: bool = False) -> Decimal | None:
    number = read_number(obj, key, where, is_required)
    if number is not None and number == 0:
        raise InvalidRecord(where + key, _("must be greater than 0"))
    return number


def read_whole_number(obj: dict, key: str, where: str = "") -> int | None:
    number = read_number(obj, key, where)
    if number is None:
        return None
    if number != number.to_integral_value():
        raise InvalidRecord(where + key, _("must be a whole number (got {number})"), number=shown(number))
    return int(number)


def _check_range(value: date, field: str, text: str) -> None:
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise InvalidRecord(field, _("{text} is outside the years {first}–{last}"), text=shown(text),
                            first=EARLIEST_DATE.year, last=LATEST_DATE.year)


def read_date(obj: dict, key: str, where: str = "", is_required: bool = False) -> date | None:
    value = required(obj, key, where) if is_required else obj.get(key)
    if value is None:
        return None
    field = where + key
    if not isinstance(value, str) or not _DATE_TEXT.fullmatch(value):
        raise InvalidRecord(field, _("{value} is not a date written YYYY-MM-DD"), value=shown(value))
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        raise InvalidRecord(field, _("{value} is not a valid calendar date"), value=shown(value)) from None
    _check_range(parsed, field, value)
    return parsed


def read_datetime(obj: dict, key: str, where: str = "", is_required: bool = False) -> datetime | None:
    value = required(obj, key, where) if is_required else obj.get(key)
    if value is None:
        return None
    field = where + key
    match = _DATETIME_TEXT.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        raise InvalidRecord(
            field, _("{value} is not an ISO 8601 date-time with a UTC offset (e.g. 2026-03-10T09:00:00+08:00)"),
            value=shown(value),
        )
    if match.group(2) is None:
        raise InvalidRecord(field, _("{value} has no UTC offset (e.g. 2026-03-10T09:00:00+08:00, or Z for UTC)"),
                            value=shown(value))
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidRecord(field, _("{value} is not a valid date-time"), value=shown(value)) from None
    _check_range(parsed.date(), field, value)
    return parsed
