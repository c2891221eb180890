"""JSON interchange (spec section 4) -> ``CandidateRecord``, validating the
whole record (spec section 5, rules revision 2) before anything is evaluated.

* Only the keys of the spec: any other key, at any level and whatever its
  value, is refused naming it (with the nearest known key as a hint); a key
  written twice in one object is refused, not resolved (``loads`` keeps
  count of them).
* Absent and ``null`` are the same: not yet known.
* Numbers: JSON numbers read by ``loads`` (exact ``Decimal``), ``int``,
  ``Decimal``, or numeric strings with the syntax of a JSON number. A
  Python ``float`` is refused (binary floating point may have changed the
  value). NaN, infinities, negatives, 10^9 or more, and more than 6 decimal
  places (trailing zeros do not count) are refused everywhere.
* Lab values and ULNs must lie within the plausibility limits
  (``units.PLAUSIBLE_VALUES`` / ``PLAUSIBLE_ULNS``); the weight within 20-300 kg.
* Free text (``primary_site``, a lesion's ``site``) passes ``check_free_text``;
  the screening number matches its pattern; initials are 1-5 ASCII letters.
* The planned first dose's date in the site's time zone may not be before
  the screening date.
"""

from __future__ import annotations

import difflib
import re
from datetime import date
from zoneinfo import ZoneInfo

from .display import number, plain
from .messages import gettext_noop as _
from .fields import (
    InvalidRecord,
    kind,
    loads,
    read_boolean,
    read_choice,
    read_date,
    read_datetime,
    read_free_text,
    read_number,
    read_positive,
    read_text,
    read_whole_number,
    required,
    shown,
)
from .text import check_screening_number
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
from .units import (
    LAB_TESTS,
    LAB_UNITS,
    ULN_REQUIRED,
    WEIGHT_KG,
    fitting_units,
    is_plausible,
    plausible_range,
    range_in_unit,
)

__all__ = ["InvalidRecord", "loads", "parse_candidate", "KEYS", "SITE_TIMEZONE"]

SITE_TIMEZONE = "Asia/Shanghai"
ECOG_MAX = 5
_INITIALS = re.compile(r"[A-Za-z]{1,5}")

# The only keys of each object (spec section 4).
KEYS = {
    "record": (
        "screening_number", "initials", "screening_date", "planned_first_dose", "date_of_birth", "sex",
        "weight_kg", "consent_signed_on", "diagnosis", "prior_systemic_lines", "prior_line_failed", "ecog",
        "life_expectancy_months", "liver_metastases", "lesions", "transfusion_or_growth_factor", "labs",
        "childbearing_potential", "partner_childbearing_potential", "contraception_agreed", "pregnancy_tests",
    ),
    "diagnosis": ("type", "confirmation", "primary_site", "metastatic", "ne_component_percent"),
    "lesion": (
        "kind", "method", "size_mm", "slice_thickness_mm", "imaged_on", "site", "locally_treated",
        "progressed_after_local_treatment",
    ),
    "transfusion_or_growth_factor": ("any", "last_date"),
    "lab": ("test", "value", "unit", "uln", "collected"),
    "pregnancy_test": ("specimen", "result", "collected"),
}
_KEY_SETS = {name: frozenset(keys) for name, keys in KEYS.items()}


def _object(value, field: str, keys: str, where: str) -> dict:
    """``value`` as an object holding only known keys, each once."""
    if not isinstance(value, dict):
        raise InvalidRecord(field, _("must be an object, not {kind}"), kind=kind(value))
    for key in getattr(value, "duplicates", ()):
        raise InvalidRecord(where + key, _("appears more than once in the same object; give it once"))
    known = _KEY_SETS[keys]
    if value.keys() <= known:
        return value
    for key in value:
        if key not in known:
            if not isinstance(key, str):
                raise InvalidRecord(field, _("has a key that is not text: {key}"), key=shown(key))
            close = difflib.get_close_matches(key, KEYS[keys], n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            name = key if key.isprintable() and key.isascii() else shown(key)
            raise InvalidRecord(where + name, _("unknown key{hint}"), hint=hint)
    return value


def _list(value, field: str) -> list | tuple:
    if isinstance(value, (list, tuple)):
        return value
    raise InvalidRecord(field, _("must be a list, not {kind}"), kind=kind(value))


def parse_diagnosis(value) -> Diagnosis | None:
    if value is None:
        return None
    where = "diagnosis."
    obj = _object(value, "diagnosis", "diagnosis", where)
    percent = read_number(obj, "ne_component_percent", where)
    if percent is not None and percent > 100:
        raise InvalidRecord(where + "ne_component_percent", _("must be from 0 to 100 (got {percent})"),
                            percent=shown(percent))
    return Diagnosis(
        type=read_choice(obj, "type", where, DIAGNOSIS_TYPES),
        confirmation=read_choice(obj, "confirmation", where, CONFIRMATIONS),
        primary_site=read_free_text(obj, "primary_site", where),
        metastatic=read_boolean(obj, "metastatic", where),
        ne_component_percent=percent,
    )


def parse_lesion(value, where: str) -> Lesion:
    obj = _object(value, where[:-1], "lesion", where)
    return Lesion(
        kind=read_choice(obj, "kind", where, LESION_KINDS, is_required=True),
        method=read_choice(obj, "method", where, LESION_METHODS, is_required=True),
        size_mm=read_positive(obj, "size_mm", where),
        slice_thickness_mm=read_positive(obj, "slice_thickness_mm", where),
        imaged_on=read_date(obj, "imaged_on", where),
        site=read_free_text(obj, "site", where),
        locally_treated=read_boolean(obj, "locally_treated", where),
        progressed_after_local_treatment=read_boolean(obj, "progressed_after_local_treatment", where),
    )


def parse_washout(value) -> Washout | None:
    if value is None:
        return None
    where = "transfusion_or_growth_factor."
    obj = _object(value, "transfusion_or_growth_factor", "transfusion_or_growth_factor", where)
    given = read_boolean(obj, "any", where)
    last_date = read_date(obj, "last_date", where)
    if given is False and last_date is not None:
        raise InvalidRecord(
            where + "last_date", _("is given while any is false (none given): one of the two is wrong")
        )
    return Washout(any=given, last_date=last_date)


def implausible(test: str, value, unit: str, *, uln: bool = False) -> list:
    """The message (``InvalidRecord`` parts) for a value outside its plausibility limits: the range in
    the unit given, and the units the number would fit."""
    limits = plausible_range(test, unit, uln=uln)
    low, high = range_in_unit(test, unit, uln=uln)
    values = {"value": number(value), "unit": unit, "test": test, "low": plain(low), "high": plain(high)}
    if limits.unit == unit:
        template = (_("{value} {unit} is outside the plausible {test} ULN range {low}–{high} {unit}: check the unit")
                    if uln else
                    _("{value} {unit} is outside the plausible {test} value range {low}–{high} {unit}: check the unit"))
    else:
        values |= {"site_low": plain(limits.low), "site_high": plain(limits.high), "canonical_unit": limits.unit}
        if test == "haemoglobin" and unit == "mmol/L":
            template = _("{value} {unit} is outside the plausible {test} value range about {low}–{high} {unit} "
                         "({site_low}–{site_high} {canonical_unit}): check the unit")
        elif uln:
            template = _("{value} {unit} is outside the plausible {test} ULN range {low}–{high} {unit} "
                         "({site_low}–{site_high} {canonical_unit}): check the unit")
        else:
            template = _("{value} {unit} is outside the plausible {test} value range {low}–{high} {unit} "
                         "({site_low}–{site_high} {canonical_unit}): check the unit")
    parts = [(template, values)]
    others = tuple(other for other in fitting_units(test, value, uln=uln) if other != unit)
    if others:
        parts.append((_("; {value} would fit {fitting_units}"), {"value": number(value), "fitting_units": others}))
    return parts


def parse_lab(value, where: str, screening_date: date) -> LabResult:
    obj = _object(value, where[:-1], "lab", where)
    test = required(obj, "test", where)
    if not isinstance(test, str) or test not in LAB_TESTS:
        raise InvalidRecord(
            where + "test",
            _("{value} is not a laboratory test of the protocol; accepted: {accepted}"),
            value=shown(test), accepted=", ".join(LAB_TESTS),
        )
    units = LAB_UNITS[test]
    unit = required(obj, "unit", where)
    if not isinstance(unit, str) or unit not in units:
        raise InvalidRecord(
            where + "unit", _("{value} is not an accepted unit for {code}; accepted: {accepted}"),
            value=shown(unit), code=test, accepted=", ".join(units),
        )
    result = read_number(obj, "value", where, is_required=True)
    if not is_plausible(test, result, unit):
        raise InvalidRecord(where + "value", implausible(test, result, unit))
    if test in ULN_REQUIRED:
        if obj.get("uln") is None:
            raise InvalidRecord(where + "uln", _("is required for {code} (upper limit of normal, in {code_unit})"),
                                code=test, code_unit=unit)
        uln = read_positive(obj, "uln", where)
        if not is_plausible(test, uln, unit, uln=True):
            raise InvalidRecord(where + "uln", implausible(test, uln, unit, uln=True))
    else:
        uln = read_number(obj, "uln", where)  # validated, not used
    collected = read_date(obj, "collected", where, is_required=True)
    if collected > screening_date:
        raise InvalidRecord(
            where + "collected", _("{day} is after the screening date {screening_date}"),
            day=collected.isoformat(), screening_date=screening_date.isoformat(),
        )
    return LabResult(test=test, value=result, unit=unit, collected=collected, uln=uln)


def parse_pregnancy_test(value, where: str) -> PregnancyTest:
    obj = _object(value, where[:-1], "pregnancy_test", where)
    return PregnancyTest(
        specimen=read_choice(obj, "specimen", where, SPECIMENS, is_required=True),
        result=read_choice(obj, "result", where, PREGNANCY_RESULTS, is_required=True),
        collected=read_datetime(obj, "collected", where, is_required=True),
    )


def _check_initials(obj: dict) -> None:
    initials = read_text(obj, "initials")
    if initials and not _INITIALS.fullmatch(initials):
        raise InvalidRecord("initials", _("must be 1 to 5 letters A–Z (no names, digits or spaces)"))


def parse_candidate(obj, *, site_timezone: str = SITE_TIMEZONE) -> CandidateRecord:
    """Validate a whole interchange record; raise ``InvalidRecord`` naming
    the first field found wrong. ``site_timezone`` (the protocol's) gives
    the first dose's calendar date."""
    obj = _object(obj, "record", "record", "")

    screening_number = read_text(obj, "screening_number", is_required=True)
    problem = check_screening_number(screening_number)
    if problem:
        raise InvalidRecord("screening_number", [("{value} ", {"value": shown(screening_number)}), (problem, {})])
    _check_initials(obj)
    screening_date = read_date(obj, "screening_date", is_required=True)

    planned_first_dose = read_datetime(obj, "planned_first_dose")
    if planned_first_dose is not None:
        first_dose_date = planned_first_dose.astimezone(ZoneInfo(site_timezone)).date()
        if first_dose_date < screening_date:
            raise InvalidRecord(
                "planned_first_dose",
                _("is on {day} ({site_timezone}), before the screening date {screening_date}"),
                day=first_dose_date.isoformat(), site_timezone=site_timezone, screening_date=screening_date.isoformat(),
            )

    date_of_birth = read_date(obj, "date_of_birth")
    if date_of_birth is not None and date_of_birth > screening_date:
        raise InvalidRecord(
            "date_of_birth",
            _("{day} is after the screening date {screening_date}"),
            day=date_of_birth.isoformat(), screening_date=screening_date.isoformat(),
        )

    weight = read_number(obj, "weight_kg")
    if weight is not None and not WEIGHT_KG.low <= weight <= WEIGHT_KG.high:
        raise InvalidRecord(
            "weight_kg",
            _("{weight} kg is outside the plausible range {low}–{high} kg: check the unit (kilograms)"),
            weight=number(weight), low=number(WEIGHT_KG.low), high=number(WEIGHT_KG.high),
        )

    ecog = read_whole_number(obj, "ecog")
    if ecog is not None and ecog > ECOG_MAX:
        raise InvalidRecord("ecog", _("must be a whole number from 0 to {max} (got {ecog})"), max=ECOG_MAX, ecog=ecog)

    lesions = obj.get("lesions")
    if lesions is not None:
        lesions = tuple(
            parse_lesion(lesion, f"lesions[{index}].") for index, lesion in enumerate(_list(lesions, "lesions"))
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
        planned_first_dose=planned_first_dose,
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
