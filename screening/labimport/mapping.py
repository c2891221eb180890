"""One source row -> one interchange entry (a lab result or a pregnancy test), or the reason it is rejected.

This is the only place that knows how an LIS row or a FHIR Observation becomes an entry of the engine's
record (eligibility.md section 4). It checks what the source says (test, unit, flag, range, status,
dates); everything the engine checks (accepted units per test, plausibility limits, dates after
screening) is left to ``parse_candidate`` so that imported and typed values obey the same rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Callable

from ..eligibility import TEST_LABELS, UNIT_LABELS
from . import units
from .loinc import LOINC, LOINC_SYSTEM, Target
from .readers import SourceRow
from .problems import _
from .values import Rejected, clean, collected_at, flagged_value, pregnancy_result, reference_range, shown

UCUM_SYSTEM = "http://unitsofmeasure.org"
SNOMED_SYSTEM = "http://snomed.info/sct"
SNOMED_RESULTS = {"10828004": "positive", "260385009": "negative"}
INTERPRETATIONS = {"POS": "positive", "A": "positive", "NEG": "negative", "N": "negative"}
IMPORTED_STATUSES = ("final", "amended", "corrected")
URINE_WORDS = ("尿", "urine")
BLOOD_WORDS = ("血", "serum", "plasma", "blood")

Lookup = Callable[[str], "Target | None"]  # the mapping table: an LIS code or name -> what it is


@dataclass
class MappedRow:
    source: str
    source_test: str | None = None   # what the source calls the test: LIS code/name, LOINC code
    kind: str | None = None          # "lab" or "pregnancy_test" once known
    test: str | None = None
    value: object = None             # Decimal, or the text read when it is not a number
    unit: str | None = None          # UCUM once normalised, else as written
    uln: Decimal | None = None
    collected: date | None = None
    instant: datetime | None = None  # pregnancy tests: the exact collection time
    specimen: str | None = None
    result: str | None = None
    flag: str | None = None          # the LIS's H/L flag, kept for the preview
    reason: str | None = None        # set when rejected (English)
    reason_fact: tuple | None = None  # ... and as (template, values), for the reader's language
    action: str = "rejected"         # "add", "duplicate" or "rejected" (decided against the candidate's data)

    @property
    def test_label(self) -> str | None:
        return TEST_LABELS.get(self.test, self.test)

    @property
    def unit_label(self) -> str | None:
        return UNIT_LABELS.get(self.unit, self.unit)

    def reject(self, rejection: Rejected) -> None:
        self.reason, self.reason_fact = rejection.reason, rejection.fact

    def entry(self) -> dict:
        """The interchange entry (spec section 4) the engine validates and the service stores."""
        if self.kind == "pregnancy_test":
            return {"specimen": self.specimen, "result": self.result, "collected": self.instant.isoformat()}
        return {"test": self.test, "value": self.value, "unit": self.unit, "uln": self.uln,
                "collected": self.collected.isoformat()}

    def same_as(self) -> tuple:
        """What makes two results the same (a duplicate): test, date (instant), value, unit."""
        if self.kind == "pregnancy_test":
            return ("pregnancy_test", self.specimen, self.result, self.instant)
        return ("lab", self.test, self.collected, self.value, self.unit)


def map_row(row: SourceRow, *, lookup: Lookup, site_zone: str) -> MappedRow:
    mapped = MappedRow(source=row.locator)
    try:
        if row.resource is not None:
            _map_observation(mapped, row.resource, site_zone)
        else:
            _map_lis(mapped, row, lookup, site_zone)
    except Rejected as rejection:
        mapped.reject(rejection)
    return mapped


# --- LIS rows -------------------------------------------------------------------

def _text(cell) -> str:
    if cell is None:
        return ""
    return clean(str(cell))


def resolve_test(code: str, name: str, lookup: Lookup) -> Target:
    """The code is preferred; a name is used when the code is blank or not in the table; a code and a
    name that map to different things are refused rather than resolved."""
    if not code and not name:
        raise Rejected(_("no test code or name"))
    by_code = lookup(code) if code else None
    by_name = lookup(name) if name else None
    if by_code and by_name and by_code != by_name:
        raise Rejected(_("code {code} and name {name} map to different tests"), code=shown(code), name=shown(name))
    target = by_code or by_name
    if target is None:
        if code and name:
            raise Rejected(_("no mapping for {code} ({name})"), code=shown(code), name=shown(name))
        raise Rejected(_("no mapping for {code}"), code=shown(code or name))
    if target.kind == "percentage":
        raise Rejected(_("{code} is a percentage, not an absolute count: not imported"), code=shown(code or name))
    return target


def _specimen_word(text: str) -> str | None:
    word = text.casefold()
    if any(mark in word for mark in URINE_WORDS):
        return "urine"
    if any(mark in word for mark in BLOOD_WORDS):
        return "serum"
    return None


def _map_lis(mapped: MappedRow, row: SourceRow, lookup: Lookup, site_zone: str) -> None:
    cells = row.cells
    if row.formulas:
        role = sorted(row.formulas)[0]
        raise Rejected(_("the {role} cell holds a formula ({formula}): export values, not formulas"), role=role, formula=shown(cells[role], 20))
    code, name = _text(cells.get("code")), _text(cells.get("name"))
    mapped.source_test = " ".join(part for part in (code, name) if part) or None
    mapped.value, mapped.unit = _text(cells.get("value")) or None, _text(cells.get("unit")) or None
    target = resolve_test(code, name, lookup)
    mapped.kind = target.kind
    unit_text = _text(cells.get("unit"))
    if unit_text and units.is_percentage(unit_text):
        raise Rejected(_("unit {unit} is a percentage, not an absolute count: not imported"), unit=shown(unit_text))
    specimen_text = _text(cells.get("specimen"))
    specimen = _specimen_word(specimen_text) if specimen_text else None
    when = cells.get("collected") if "collected" in cells else cells.get("reported")
    if when is None or (isinstance(when, str) and not when.strip()):
        raise Rejected(_("no collection time"))
    value = cells.get("value")
    if value is None or (isinstance(value, str) and not value.strip()):
        raise Rejected(_("no value"))
    if target.kind == "pregnancy_test":
        mapped.specimen = target.specimen
        if specimen_text and specimen != target.specimen:
            raise Rejected(_("specimen {specimen} does not match a {expected} pregnancy test"), specimen=shown(specimen_text), expected=target.specimen)
        mapped.value = _text(value)
        if isinstance(value, Decimal):
            raise Rejected(_("pregnancy result {value} is a number: the LIS must say positive or negative"), value=value)
        mapped.result = pregnancy_result(value)
        mapped.collected, mapped.instant = collected_at(when, site_zone)
        if mapped.instant is None:
            raise Rejected(_("collection time {when} has no time of day: a pregnancy test needs the exact time"), when=shown(when))
        return
    mapped.test = target.test
    if specimen == "urine":
        raise Rejected(_("specimen {specimen}: a urine result is not the blood test the protocol uses"), specimen=shown(specimen_text))
    mapped.value = value if isinstance(value, Decimal) else _text(value)
    if not isinstance(value, Decimal):
        mapped.value, mapped.flag = flagged_value(value)
    mapped.unit = unit_text or None
    if not unit_text:
        raise Rejected(_("no unit"))
    mapped.unit = _ucum(unit_text)
    limits = reference_range(_text(cells.get("range")))
    if limits is not None:
        if limits.unit is not None and _ucum(limits.unit) != mapped.unit:
            raise Rejected(_("reference range unit {range_unit} differs from the result's unit {unit}"), range_unit=shown(limits.unit), unit=shown(unit_text))
        mapped.uln = limits.high
    mapped.collected, mapped.instant = collected_at(when, site_zone)


def _ucum(written: str) -> str:
    code = units.to_ucum(written)
    if code is None:
        raise Rejected(_("unit {unit} is not a unit the import knows"), unit=shown(written))
    return code


# --- FHIR Observations ----------------------------------------------------------

def validate_observation(resource: dict) -> None:
    """fhir.resources' R4B model checks the structure (types, required elements, no unknown elements);
    the values themselves are read from our own exact parse, never from the model."""
    from fhir.resources.R4B.observation import Observation
    from pydantic import ValidationError

    try:
        Observation.model_validate(resource)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first.get("loc", ())) or "Observation"
        raise Rejected(_("not a valid FHIR Observation: {where}: {problem}"), where=where, problem=first.get('msg', 'invalid')) from None
    except (ValueError, TypeError, RecursionError) as error:
        raise Rejected(_("not a valid FHIR Observation ({kind})"), kind=type(error).__name__) from None


def _codings(concept) -> list[dict]:
    codings = concept.get("coding") if isinstance(concept, dict) else None
    return [coding for coding in codings or () if isinstance(coding, dict)]


def loinc_target(code: dict) -> Target:
    codes = [coding.get("code") for coding in _codings(code) if coding.get("system") == LOINC_SYSTEM]
    targets = {LOINC[c] for c in codes if c in LOINC}
    if not targets:
        shown_codes = ", ".join(str(c) for c in codes) if codes else "none"
        raise Rejected(_("no known LOINC code (LOINC codes: {codes})"), codes=shown_codes)
    if len(targets) > 1:
        raise Rejected(_("LOINC codes {codes} name different tests"), codes=', '.join(codes))
    target = targets.pop()
    if target.kind == "percentage":
        raise Rejected(_("neutrophils in percent (LOINC 770-8 / 23761-0), not an absolute count: not imported"))
    return target


def _quantity_unit(quantity: dict) -> str | None:
    if quantity.get("system") == UCUM_SYSTEM and quantity.get("code"):
        return str(quantity["code"])
    if quantity.get("unit"):
        return str(quantity["unit"])
    return None


def _fhir_when(resource: dict):
    period = resource.get("effectivePeriod") or {}
    return resource.get("effectiveDateTime") or period.get("start") or resource.get("issued")


def _pregnancy_result(resource: dict, target: Target) -> str:
    found = set()
    if not target.quantitative:
        for coding in _codings(resource.get("valueCodeableConcept")):
            if coding.get("system") == SNOMED_SYSTEM and coding.get("code") in SNOMED_RESULTS:
                found.add(SNOMED_RESULTS[coding["code"]])
    for concept in resource.get("interpretation") or ():
        for coding in _codings(concept):
            if coding.get("code") in INTERPRETATIONS:
                found.add(INTERPRETATIONS[coding["code"]])
    if len(found) > 1:
        raise Rejected(_("the pregnancy test says both positive and negative"))
    if not found:
        if target.quantitative:
            raise Rejected(_("quantitative hCG without a POS/NEG interpretation: not imported"))
        raise Rejected(_("no positive/negative result (SNOMED 10828004 / 260385009 or interpretation POS/NEG)"))
    return found.pop()


def _map_observation(mapped: MappedRow, resource: dict, site_zone: str) -> None:
    codes = [str(coding.get("code")) for coding in _codings(resource.get("code"))
             if coding.get("system") == LOINC_SYSTEM and coding.get("code")]
    text = resource.get("code", {}).get("text") if isinstance(resource.get("code"), dict) else None
    mapped.source_test = " ".join([f"LOINC {', '.join(codes)}" if codes else "", str(text or "")]).strip() or None
    quantity = resource.get("valueQuantity")
    if isinstance(quantity, dict) and quantity.get("value") is not None:
        mapped.value, mapped.unit = quantity.get("value"), _quantity_unit(quantity)
    validate_observation(resource)
    status = resource.get("status")
    if status not in IMPORTED_STATUSES:
        raise Rejected(_("status {status}: only final, amended or corrected results are imported"), status=shown(status))
    target = loinc_target(resource.get("code"))
    mapped.kind = target.kind
    when = _fhir_when(resource)
    if when is None:
        raise Rejected(_("no effectiveDateTime, effectivePeriod.start or issued"))
    if target.kind == "pregnancy_test":
        mapped.specimen = target.specimen
        mapped.result = _pregnancy_result(resource, target)
        mapped.collected, mapped.instant = collected_at(str(when), site_zone)
        if mapped.instant is None:
            raise Rejected(_("collection time {when} has no time of day: a pregnancy test needs the exact time"), when=shown(when))
        return
    mapped.test = target.test
    quantity = resource.get("valueQuantity")
    if not isinstance(quantity, dict) or quantity.get("value") is None:
        raise Rejected(_("no value (valueQuantity.value)"))
    if quantity.get("comparator"):
        raise Rejected(_("value {comparator}{value} is not an exact result"), comparator=quantity['comparator'], value=quantity['value'])
    mapped.value = quantity["value"]
    written = _quantity_unit(quantity)
    if written is None:
        raise Rejected(_("no unit (valueQuantity.code or .unit)"))
    mapped.unit = written
    mapped.unit = _ucum(written)
    ranges = resource.get("referenceRange") or ()
    high = ranges[0].get("high") if ranges and isinstance(ranges[0], dict) else None
    if isinstance(high, dict) and high.get("value") is not None:
        high_unit = _quantity_unit(high)
        if high_unit is not None and units.to_ucum(high_unit) != mapped.unit:
            raise Rejected(_("reference range unit {range_unit} differs from the result's unit {unit}"), range_unit=shown(high_unit), unit=shown(written))
        mapped.uln = high["value"]
    mapped.collected, mapped.instant = collected_at(str(when), site_zone)
