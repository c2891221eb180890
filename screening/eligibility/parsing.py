"""JSON interchange (spec section 4) -> ``CandidateRecord``, validating the
whole record (spec section 5) before anything is evaluated.

Decisions (also in the README):

* Keys the spec does not name are ignored, at the top level and inside
  nested objects, so exports may carry extra columns. A misspelt optional
  key therefore reads as "not recorded", which can only make a criterion
  ``missing``, never ``pass``. Enumerated values, lab tests and units that
  are not in the spec are errors.
* Absent and ``null`` are the same: not yet known.
* Numbers: JSON numbers parsed by ``loads`` (exact ``Decimal``), ``int``,
  ``Decimal``, or numeric strings (``"1.5"``, surrounding spaces allowed).
  A Python ``float`` is refused: it means the text went through binary
  floating point somewhere, so the value may no longer be the one written.
  NaN, infinities and negatives are refused everywhere. To keep every
  product exact, a number must be below 10^9 and have at most 12 decimal
  places (trailing zeros do not count).
* Whole-number fields (``ecog``, ``prior_systemic_lines``) accept 1, 1.0
  and "1", not 1.5; yes/no fields accept only JSON true/false.
* Dates are exactly YYYY-MM-DD; datetimes are YYYY-MM-DDTHH:MM[:SS[.ffffff]]
  followed by ``Z`` or ``+HH:MM``/``-HH:MM`` (an offset is required). Dates
  and datetimes must fall in the years 1900-2199.
* ``slice_thickness_mm``, like a lesion's size, must be greater than 0.
* A blank ``primary_site`` (only spaces) counts as not recorded.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from decimal import Context, Decimal, InvalidOperation

from .types import (
    CONFIRMATIONS,
    DIAGNOSIS_TYPES,
    LESION_KINDS,
    LESION_METHODS,
    PREGNANCY_RESULTS,
    SEXES,
    SPECIMENS,
    CandidateRecord,
    Diagnosis,
    LabResult,
    Lesion,
    PregnancyTest,
    Washout,
)
from .units import LAB_TESTS, LAB_UNITS, ULN_REQUIRED

NUMBER_LIMIT = Decimal(10) ** 9
MAX_DECIMAL_PLACES = 12
_SMALLEST_PLACE = Decimal(1).scaleb(-MAX_DECIMAL_PLACES)
_PLACES_CHECK = Context(prec=60)  # < 10^9 with 12 places fits: quantize is exact or rounds
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2199, 12, 31)
WEIGHT_MAX_KG = Decimal(400)
ECOG_MAX = 5

_NUMERIC_TEXT = re.compile(r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_DATE_TEXT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DATETIME_TEXT = re.compile(
    r"([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,6})?)?)"
    r"(Z|[+-][0-9]{2}:[0-9]{2})?"
)


class InvalidRecord(ValueError):
    """A record that cannot be trusted; ``field`` is its dotted path."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def _json_number(text: str) -> Decimal:
    try:
        return Decimal(text)
    except InvalidOperation:  # an exponent beyond Decimal's range: 1e99999999999999999999
        return Decimal("-Infinity" if text.startswith("-") else "Infinity")


def loads(text: str | bytes):
    """``json.loads`` keeping every number exact (``Decimal``, ints too, so
    that a 5000-digit integer is a field error rather than a parse crash);
    NaN / Infinity literals become Decimal NaN / Infinity, which
    ``parse_candidate`` then refuses naming the field."""
    return json.loads(text, parse_float=_json_number, parse_int=_json_number, parse_constant=Decimal)


# --- how a wrong value is shown in a message -------------------------------

def _shown(value) -> str:
    if value is None:
        return "null"
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, str):
        text = value if len(value) <= 40 else value[:40] + "…"
        return repr(text)
    if isinstance(value, (int, Decimal)):
        text = str(value)
        return text if len(text) <= 40 else text[:40] + "…"
    return _kind(value)


def _kind(value) -> str:
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
# Each reader takes the containing object, the key and the path prefix
# ("" or "labs[2].") and returns the value, or None when absent or null.

def _required(obj: dict, key: str, where: str):
    value = obj.get(key)
    if value is None:
        raise InvalidRecord(where + key, "is required")
    return value


def read_text(obj: dict, key: str, where: str = "", required: bool = False) -> str | None:
    value = _required(obj, key, where) if required else obj.get(key)
    if value is None or isinstance(value, str):
        return value
    raise InvalidRecord(where + key, f"must be text, not {_kind(value)}")


def read_choice(obj: dict, key: str, where: str, allowed: tuple[str, ...], required: bool = False) -> str | None:
    value = _required(obj, key, where) if required else obj.get(key)
    if value is None or (isinstance(value, str) and value in allowed):
        return value
    raise InvalidRecord(where + key, f"{_shown(value)} is not one of: {', '.join(allowed)}")


def read_boolean(obj: dict, key: str, where: str = "") -> bool | None:
    value = obj.get(key)
    if value is None or value is True or value is False:
        return value
    raise InvalidRecord(where + key, f"must be true or false, not {_shown(value)}")


def to_decimal(value, field: str) -> Decimal:
    """Validate one number: exact, finite, not negative, bounded."""
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, bool):
        raise InvalidRecord(field, f"must be a number, not {_shown(value)}")
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, str):
        text = value.strip()
        if not _NUMERIC_TEXT.fullmatch(text):
            raise InvalidRecord(field, f"{_shown(value)} is not a number")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise InvalidRecord(field, f"{_shown(value)} is out of range") from None
    elif isinstance(value, float):
        raise InvalidRecord(
            field,
            "is a binary floating-point number; give an exact decimal "
            "(a JSON number read with loads(), a Decimal, an int or a numeric string)",
        )
    else:
        raise InvalidRecord(field, f"must be a number, not {_kind(value)}")

    if not number.is_finite():
        raise InvalidRecord(field, f"must be a finite number within range, not {number}")
    if number < 0:
        raise InvalidRecord(field, f"must not be negative (got {_shown(number)})")
    if number >= NUMBER_LIMIT:
        raise InvalidRecord(field, f"{_shown(number)} is implausibly large (limit {NUMBER_LIMIT:f})")
    if number.as_tuple().exponent < -MAX_DECIMAL_PLACES:
        if number.quantize(_SMALLEST_PLACE, context=_PLACES_CHECK) != number:
            raise InvalidRecord(field, f"has more than {MAX_DECIMAL_PLACES} decimal places")
    if number.is_zero():
        return Decimal(0)  # not -0
    return number


def read_number(obj: dict, key: str, where: str = "", required: bool = False) -> Decimal | None:
    value = _required(obj, key, where) if required else obj.get(key)
    if value is None:
        return None
    return to_decimal(value, where + key)


def read_positive(obj: dict, key: str, where: str = "", required: bool = False) -> Decimal | None:
    number = read_number(obj, key, where, required)
    if number is not None and number == 0:
        raise InvalidRecord(where + key, "must be greater than 0")
    return number


def read_whole_number(obj: dict, key: str, where: str = "") -> int | None:
    number = read_number(obj, key, where)
    if number is None:
        return None
    if number != number.to_integral_value():
        raise InvalidRecord(where + key, f"must be a whole number (got {_shown(number)})")
    return int(number)


def _check_range(value: date, field: str, text: str) -> None:
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise InvalidRecord(field, f"{_shown(text)} is outside the years {EARLIEST_DATE.year}–{LATEST_DATE.year}")


def read_date(obj: dict, key: str, where: str = "", required: bool = False) -> date | None:
    value = _required(obj, key, where) if required else obj.get(key)
    if value is None:
        return None
    field = where + key
    if not isinstance(value, str) or not _DATE_TEXT.fullmatch(value):
        raise InvalidRecord(field, f"{_shown(value)} is not a date written YYYY-MM-DD")
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        raise InvalidRecord(field, f"{_shown(value)} is not a valid calendar date") from None
    _check_range(parsed, field, value)
    return parsed


def read_datetime(obj: dict, key: str, where: str = "", required: bool = False) -> datetime | None:
    value = _required(obj, key, where) if required else obj.get(key)
    if value is None:
        return None
    field = where + key
    example = "e.g. 2026-03-10T09:00:00+08:00"
    match = _DATETIME_TEXT.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        raise InvalidRecord(field, f"{_shown(value)} is not an ISO 8601 date-time with a UTC offset ({example})")
    if match.group(2) is None:
        raise InvalidRecord(field, f"{_shown(value)} has no UTC offset ({example}, or Z for UTC)")
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidRecord(field, f"{_shown(value)} is not a valid date-time") from None
    _check_range(parsed.date(), field, value)
    return parsed


# --- nested objects and lists ----------------------------------------------

def _object(value, field: str) -> dict:
    if isinstance(value, dict):
        return value
    raise InvalidRecord(field, f"must be an object, not {_kind(value)}")


def _list(value, field: str) -> list | tuple:
    if isinstance(value, (list, tuple)):
        return value
    raise InvalidRecord(field, f"must be a list, not {_kind(value)}")


def parse_diagnosis(value) -> Diagnosis | None:
    if value is None:
        return None
    obj = _object(value, "diagnosis")
    where = "diagnosis."
    percent = read_number(obj, "ne_component_percent", where)
    if percent is not None and percent > 100:
        raise InvalidRecord(where + "ne_component_percent", f"must be from 0 to 100 (got {_shown(percent)})")
    site = read_text(obj, "primary_site", where)
    return Diagnosis(
        type=read_choice(obj, "type", where, DIAGNOSIS_TYPES),
        confirmation=read_choice(obj, "confirmation", where, CONFIRMATIONS),
        primary_site=site if site is None or site.strip() else None,
        metastatic=read_boolean(obj, "metastatic", where),
        ne_component_percent=percent,
    )


def parse_lesion(value, where: str) -> Lesion:
    obj = _object(value, where[:-1])
    return Lesion(
        kind=read_choice(obj, "kind", where, LESION_KINDS, required=True),
        method=read_choice(obj, "method", where, LESION_METHODS, required=True),
        size_mm=read_positive(obj, "size_mm", where),
        slice_thickness_mm=read_positive(obj, "slice_thickness_mm", where),
        locally_treated=read_boolean(obj, "locally_treated", where),
        progressed_after_local_treatment=read_boolean(obj, "progressed_after_local_treatment", where),
    )


def parse_washout(value) -> Washout | None:
    if value is None:
        return None
    obj = _object(value, "transfusion_or_growth_factor")
    where = "transfusion_or_growth_factor."
    return Washout(any=read_boolean(obj, "any", where), last_date=read_date(obj, "last_date", where))


def parse_lab(value, where: str, screening_date: date) -> LabResult:
    obj = _object(value, where[:-1])
    test = _required(obj, "test", where)
    if not isinstance(test, str) or test not in LAB_TESTS:
        raise InvalidRecord(
            where + "test",
            f"{_shown(test)} is not a laboratory test of the protocol; accepted: {', '.join(LAB_TESTS)}",
        )
    units = LAB_UNITS[test]
    unit = _required(obj, "unit", where)
    if not isinstance(unit, str) or unit not in units:
        raise InvalidRecord(
            where + "unit", f"{_shown(unit)} is not an accepted unit for {test}; accepted: {', '.join(units)}"
        )
    value_ = read_number(obj, "value", where, required=True)
    if test in ULN_REQUIRED:
        if obj.get("uln") is None:
            raise InvalidRecord(where + "uln", f"is required for {test} (upper limit of normal, in {unit})")
        uln = read_positive(obj, "uln", where)
    else:
        uln = read_number(obj, "uln", where)  # validated, not used
    collected = read_date(obj, "collected", where, required=True)
    if collected > screening_date:
        raise InvalidRecord(
            where + "collected", f"{collected.isoformat()} is after the screening date {screening_date.isoformat()}"
        )
    return LabResult(test=test, value=value_, unit=unit, collected=collected, uln=uln)


def parse_pregnancy_test(value, where: str) -> PregnancyTest:
    obj = _object(value, where[:-1])
    return PregnancyTest(
        specimen=read_choice(obj, "specimen", where, SPECIMENS, required=True),
        result=read_choice(obj, "result", where, PREGNANCY_RESULTS, required=True),
        collected=read_datetime(obj, "collected", where, required=True),
    )


def parse_candidate(obj) -> CandidateRecord:
    """Validate a whole interchange record; raise ``InvalidRecord`` naming
    the first field found wrong."""
    if not isinstance(obj, dict):
        raise InvalidRecord("record", f"must be an object, not {_kind(obj)}")

    screening_number = read_text(obj, "screening_number", required=True)
    if not screening_number.strip():
        raise InvalidRecord("screening_number", "must not be blank")
    screening_date = read_date(obj, "screening_date", required=True)

    date_of_birth = read_date(obj, "date_of_birth")
    if date_of_birth is not None and date_of_birth > screening_date:
        raise InvalidRecord(
            "date_of_birth",
            f"{date_of_birth.isoformat()} is after the screening date {screening_date.isoformat()}",
        )

    weight = read_number(obj, "weight_kg")
    if weight is not None and not 0 < weight <= WEIGHT_MAX_KG:
        raise InvalidRecord("weight_kg", f"must be more than 0 and at most {WEIGHT_MAX_KG} kg (got {_shown(weight)})")

    ecog = read_whole_number(obj, "ecog")
    if ecog is not None and ecog > ECOG_MAX:
        raise InvalidRecord("ecog", f"must be a whole number from 0 to {ECOG_MAX} (got {ecog})")

    lesions = obj.get("lesions")
    if lesions is not None:
        lesions = tuple(
            parse_lesion(lesion, f"lesions[{index}].")
            for index, lesion in enumerate(_list(lesions, "lesions"))
        )

    labs = obj.get("labs")
    labs = () if labs is None else tuple(
        parse_lab(lab, f"labs[{index}].", screening_date) for index, lab in enumerate(_list(labs, "labs"))
    )

    tests = obj.get("pregnancy_tests")
    tests = () if tests is None else tuple(
        parse_pregnancy_test(test, f"pregnancy_tests[{index}].")
        for index, test in enumerate(_list(tests, "pregnancy_tests"))
    )

    return CandidateRecord(
        screening_number=screening_number,
        screening_date=screening_date,
        planned_first_dose=read_datetime(obj, "planned_first_dose"),
        date_of_birth=date_of_birth,
        sex=read_choice(obj, "sex", "", SEXES),
        weight_kg=weight,
        consent_signed_on=read_date(obj, "consent_signed_on"),
        diagnosis=parse_diagnosis(obj.get("diagnosis")),
        prior_systemic_lines=read_whole_number(obj, "prior_systemic_lines"),
        prior_line_failed=read_boolean(obj, "prior_line_failed"),
        ecog=ecog,
        life_expectancy_months=read_number(obj, "life_expectancy_months"),
        liver_metastases=read_boolean(obj, "liver_metastases"),
        lesions=lesions,
        transfusion_or_growth_factor=parse_washout(obj.get("transfusion_or_growth_factor")),
        labs=labs,
        childbearing_potential=read_boolean(obj, "childbearing_potential"),
        partner_childbearing_potential=read_boolean(obj, "partner_childbearing_potential"),
        contraception_agreed=read_boolean(obj, "contraception_agreed"),
        pregnancy_tests=tests,
    )
