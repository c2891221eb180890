"""anc, platelets, haemoglobin, bilirubin, alt, ast, renal_function.

Each test uses the most recent result collected on or within the lab
window (14 days) before the screening date; of several on that date the
last one listed wins. All comparisons are exact decimal products
(``units.product``): nothing is divided, nothing is rounded except for
display.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from ..display import day, days, number, plain, quantity, ratio
from ..types import CandidateRecord, LabResult, Status, Verdict
from ..units import (
    CREATININE_UMOL_PER_MG,
    TEST_LABELS,
    UNIT_LABELS,
    canonical_unit,
    product,
    to_canonical,
)
from .demographics import completed_years

if TYPE_CHECKING:
    from ..protocol import Protocol


def select_result(
    record: CandidateRecord, test: str, protocol: Protocol
) -> tuple[LabResult | None, tuple[str, ...]]:
    """The result that decides ``test``, and notes on the ones ignored."""
    window = protocol.lab_window_days
    screened = record.screening_date
    results = [result for result in record.labs if result.test == test]
    chosen = None
    for result in results:
        if 0 <= (screened - result.collected).days <= window:
            if chosen is None or result.collected >= chosen.collected:
                chosen = result
    if len(results) < 2 and chosen is not None:
        return chosen, ()

    name = TEST_LABELS[test]
    notes = []
    for result in results:
        if result is chosen:
            continue
        when = day(result.collected)
        age = (screened - result.collected).days
        if age > window:
            notes.append(
                f"{name} of {when} ignored: {days(age)} before screening, window is {window} days"
            )
        elif age < 0:
            notes.append(f"{name} of {when} ignored: after the screening date {day(screened)}")
        elif result.collected == chosen.collected:
            notes.append(
                f"{name} {quantity(result.value, result.unit)} of {when} not used: "
                "a later entry of the same date decides"
            )
        else:
            notes.append(
                f"{name} {quantity(result.value, result.unit)} of {when} not used: "
                f"the result of {day(chosen.collected)} is more recent"
            )
    return chosen, tuple(notes)


def _no_result(record: CandidateRecord, test: str, protocol: Protocol, notes: tuple[str, ...]) -> Verdict:
    name = TEST_LABELS[test]
    detail = (
        f"No {name if name.isupper() else name.lower()} result collected in the "
        f"{protocol.lab_window_days} days up to screening ({day(record.screening_date)})"
    )
    return Verdict(Status.MISSING, "; ".join((detail, *notes)), notes)


def _at_least(record: CandidateRecord, protocol: Protocol, test: str, minimum: Decimal) -> Verdict:
    result, notes = select_result(record, test, protocol)
    if result is None:
        return _no_result(record, test, protocol, notes)
    unit = canonical_unit(test)
    value = to_canonical(test, result.value, result.unit)
    shown = quantity(result.value, result.unit)
    if result.unit != unit:
        shown += f" = {plain(value)} {UNIT_LABELS[unit]}"
    passes = value >= minimum
    sign = "≥" if passes else "<"
    detail = f"{TEST_LABELS[test]} {shown} {sign} {number(minimum)} (collected {day(result.collected)})"
    return Verdict(Status.PASS if passes else Status.FAIL, detail, notes)


def anc(record: CandidateRecord, protocol: Protocol) -> Verdict:
    return _at_least(record, protocol, "anc", protocol.anc_min)


def platelets(record: CandidateRecord, protocol: Protocol) -> Verdict:
    return _at_least(record, protocol, "platelets", protocol.platelets_min)


def haemoglobin(record: CandidateRecord, protocol: Protocol) -> Verdict:
    return _at_least(record, protocol, "haemoglobin", protocol.haemoglobin_min)


def _uln_multiple(result: LabResult) -> str:
    """ALT 130 U/L = 3.25 × ULN 40"""
    return (
        f"{TEST_LABELS[result.test]} {quantity(result.value, result.unit)} = "
        f"{ratio(result.value, result.uln)} × ULN {number(result.uln)}"
    )


def _select_with_uln(
    record: CandidateRecord, test: str, protocol: Protocol
) -> tuple[LabResult | None, tuple[str, ...]]:
    result, notes = select_result(record, test, protocol)
    if result is not None and result.uln is None:  # parse_candidate never lets this through
        return None, notes + (f"{TEST_LABELS[test]} of {day(result.collected)} has no ULN",)
    return result, notes


def bilirubin(record: CandidateRecord, protocol: Protocol) -> Verdict:
    result, notes = _select_with_uln(record, "bilirubin", protocol)
    if result is None:
        return _no_result(record, "bilirubin", protocol, notes)
    multiple = protocol.bilirubin_max_uln
    limit = product(multiple, result.uln)
    passes = result.value <= limit
    detail = (
        f"{_uln_multiple(result)}; {'≤' if passes else '>'} {number(multiple)} × ULN "
        f"({plain(limit)}) (collected {day(result.collected)})"
    )
    return Verdict(Status.PASS if passes else Status.FAIL, detail, notes)


def _transaminase(record: CandidateRecord, protocol: Protocol, test: str) -> Verdict:
    result, notes = _select_with_uln(record, test, protocol)
    if result is None:
        return _no_result(record, test, protocol, notes)
    low = protocol.transaminase_max_uln
    high = protocol.transaminase_max_uln_liver_metastases
    low_limit = product(low, result.uln)
    high_limit = product(high, result.uln)
    stated = f"{_uln_multiple(result)}"
    collected = f"(collected {day(result.collected)})"
    if result.value <= low_limit:
        return Verdict(
            Status.PASS, f"{stated}; ≤ {number(low)} × ULN ({plain(low_limit)}) {collected}", notes
        )
    if result.value > high_limit:
        return Verdict(
            Status.FAIL, f"{stated}; > {number(high)} × ULN ({plain(high_limit)}) {collected}", notes
        )
    between = (
        f"{stated}; above {number(low)} × ULN ({plain(low_limit)}), "
        f"≤ {number(high)} × ULN ({plain(high_limit)}) allowed with liver metastases"
    )
    liver = record.liver_metastases
    if liver is None:
        return Verdict(Status.MISSING, f"{between}, which are not recorded {collected}", notes)
    if liver:
        return Verdict(Status.PASS, f"{between} {collected}", notes)
    return Verdict(Status.FAIL, f"{between}; none present {collected}", notes)


def alt(record: CandidateRecord, protocol: Protocol) -> Verdict:
    return _transaminase(record, protocol, "alt")


def ast(record: CandidateRecord, protocol: Protocol) -> Verdict:
    return _transaminase(record, protocol, "ast")


def renal_function(record: CandidateRecord, protocol: Protocol) -> Verdict:
    """Creatinine <= 1.5 x ULN, else Cockcroft-Gault clearance > 60 mL/min.

    CrCl = (140 - age) x weight / (72 x Scr mg/dL) [x 0.85 female], and
    Scr mg/dL = Scr umol/L / 88.4, so CrCl > 60 exactly when
    (140 - age) x weight x [0.85] x 88.4 > 60 x 72 x Scr umol/L:
    both sides are exact products.
    """
    result, notes = _select_with_uln(record, "creatinine", protocol)
    if result is None:
        return _no_result(record, "creatinine", protocol, notes)
    multiple = protocol.creatinine_max_uln
    limit = product(multiple, result.uln)
    collected = f"(collected {day(result.collected)})"
    if result.value <= limit:
        return Verdict(
            Status.PASS,
            f"{_uln_multiple(result)}; ≤ {number(multiple)} × ULN ({plain(limit)}) {collected}",
            notes,
        )
    above = f"{_uln_multiple(result)} > {number(multiple)} × ULN ({plain(limit)})"
    lacking = [
        name
        for name, value in (
            ("weight", record.weight_kg),
            ("sex", record.sex),
            ("date of birth", record.date_of_birth),
        )
        if value is None
    ]
    if lacking:
        return Verdict(
            Status.MISSING,
            f"{above}; Cockcroft–Gault clearance needs {', '.join(lacking)} {collected}",
            notes,
        )

    years = completed_years(record.date_of_birth, record.screening_date)
    female = record.sex == "female"
    sex_factor = protocol.cockcroft_gault_female_factor if female else Decimal(1)
    creatinine_umol = to_canonical("creatinine", result.value, result.unit)
    age_term = protocol.cockcroft_gault_age_from - years
    numerator = product(age_term, record.weight_kg, sex_factor, CREATININE_UMOL_PER_MG)
    denominator = product(protocol.cockcroft_gault_divisor, creatinine_umol)
    threshold = protocol.creatinine_clearance_above
    passes = numerator > product(threshold, denominator)

    clearance = _clearance_text(numerator, denominator, threshold)
    if result.unit == "mg/dL":
        creatinine = quantity(result.value, result.unit)
    else:
        creatinine = f"{quantity(result.value, result.unit)} ÷ {number(CREATININE_UMOL_PER_MG)}"
    formula = (
        f"({protocol.cockcroft_gault_age_from} − {years}) × {number(record.weight_kg)} kg / "
        f"({protocol.cockcroft_gault_divisor} × {creatinine})"
    )
    if female:
        formula += f" × {number(sex_factor)}"
    detail = (
        f"{above}; CrCl {clearance} mL/min = {formula} {'>' if passes else '≤'} "
        f"{number(threshold)} {collected}"
    )
    return Verdict(Status.PASS if passes else Status.FAIL, detail, notes)


def _clearance_text(numerator: Decimal, denominator: Decimal, threshold: Decimal) -> str:
    """The clearance rounded to 0.1, with more places when that would read
    as exactly the threshold while it is not."""
    shown = ratio(numerator, denominator, 1)
    places = 1
    while shown == number(threshold) and numerator != product(threshold, denominator) and places < 8:
        places += 1
        shown = ratio(numerator, denominator, places)
    return shown
