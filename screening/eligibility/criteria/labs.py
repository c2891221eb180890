"""anc, platelets, haemoglobin, bilirubin, alt, ast, renal_function.

Each test uses the most recent result collected on or within the lab
window before the screening date; of several on that date the last one
listed wins. Comparisons are exact decimal products (``units.product``):
nothing is divided, nothing is rounded except for display.
"""

from __future__ import annotations

from decimal import Context as DecimalContext, Decimal

from ..facts import Fact, fact
from ..types import CandidateRecord, LabResult, Status, Verdict
from ..units import CREATININE_UMOL_PER_MG, canonical_unit, product, to_canonical
from .base import NUMBER, Context, Criterion, distinct, exact
from .demographics import completed_years

# Cockcroft-Gault (fixed, spec section 3)
CG_AGE_FROM = 140
CG_DIVISOR = 72
CG_FEMALE_FACTOR = Decimal("0.85")
_DISPLAY_DIVIDE = DecimalContext(prec=40)


def select_result(record: CandidateRecord, test: str, window: int) -> tuple[LabResult | None, tuple[Fact, ...]]:
    """The result that decides ``test``, and notes on the ones not used."""
    screened = record.screening_date
    results = [result for result in record.labs if result.test == test]
    chosen = None
    for result in results:
        if (screened - result.collected).days <= window:
            if chosen is None or result.collected >= chosen.collected:
                chosen = result
    if len(results) < 2 and chosen is not None:
        return chosen, ()
    notes = []
    for result in results:
        if result is chosen:
            continue
        age = (screened - result.collected).days
        if age > window:
            notes.append(fact("lab.too_old", test=test, collected=result.collected, age_days=age, window_days=window))
        elif result.collected == chosen.collected:
            notes.append(
                fact("lab.same_day", test=test, value=result.value, unit=result.unit, collected=result.collected)
            )
        else:
            notes.append(
                fact("lab.superseded", test=test, value=result.value, unit=result.unit, collected=result.collected,
                     chosen=chosen.collected)
            )
    return chosen, tuple(notes)


class LabCriterion(Criterion):
    test: str

    def missing(self, record: CandidateRecord, window: int, notes: tuple[Fact, ...]) -> Verdict:
        detail = fact("lab.none", test=self.test, window_days=window, screened=record.screening_date)
        return Verdict(Status.MISSING, (detail, *notes), notes)

    def uln_multiple(self, result: LabResult, thresholds: tuple[Decimal, ...]) -> dict:
        ratio = distinct(_DISPLAY_DIVIDE.divide(result.value, result.uln), thresholds)
        return {"test": self.test, "value": result.value, "unit": result.unit, "ratio": ratio, "uln": result.uln}


class MinimumCount(LabCriterion):
    """anc, platelets, haemoglobin: value (in the canonical unit) >= min."""

    ids = ("anc", "platelets", "haemoglobin")
    parameters = {"min": NUMBER}

    def __init__(self, criterion_id: str, **params):
        self.test = criterion_id
        self.label_code = f"label.{criterion_id}"
        super().__init__(criterion_id, **params)

    def label_values(self) -> dict:
        return {"min": self.params["min"], "unit": canonical_unit(self.test)}

    def check(self, record: CandidateRecord, protocol: Context) -> Verdict:
        result, notes = select_result(record, self.test, protocol.lab_window_days)
        if result is None:
            return self.missing(record, protocol.lab_window_days, notes)
        minimum, unit = self.params["min"], canonical_unit(self.test)
        value = exact(to_canonical(self.test, result.value, result.unit))
        passes = value >= minimum
        values = {"test": self.test, "value": result.value, "unit": result.unit}
        if result.unit != unit:
            code = "lab.min_pass_converted" if passes else "lab.min_fail_converted"
            values |= {"converted": value, "canonical_unit": unit}
        else:
            code = "lab.min_pass" if passes else "lab.min_fail"
        detail = fact(code, **values, min=minimum, min_unit=unit, collected=result.collected)
        return Verdict(Status.PASS if passes else Status.FAIL, (detail,), notes)


class Bilirubin(LabCriterion):
    id = "bilirubin"
    test = "bilirubin"
    parameters = {"max_uln": NUMBER}
    label_code = "label.bilirubin"

    def check(self, record: CandidateRecord, protocol: Context) -> Verdict:
        result, notes = select_result(record, self.test, protocol.lab_window_days)
        if result is None:
            return self.missing(record, protocol.lab_window_days, notes)
        multiple = self.params["max_uln"]
        limit = exact(product(multiple, result.uln))
        passes = result.value <= limit
        detail = fact(
            "lab.uln_pass" if passes else "lab.uln_fail", **self.uln_multiple(result, (multiple,)),
            multiple=multiple, limit=limit, collected=result.collected,
        )
        return Verdict(Status.PASS if passes else Status.FAIL, (detail,), notes)


class Transaminase(LabCriterion):
    """alt, ast: <= max_uln x ULN pass; > max_uln_liver_metastases x ULN
    fail; in between, liver metastases decide."""

    ids = ("alt", "ast")
    parameters = {"max_uln": NUMBER, "max_uln_liver_metastases": NUMBER}
    label_code = "label.transaminase"

    def __init__(self, criterion_id: str, **params):
        self.test = criterion_id
        super().__init__(criterion_id, **params)

    @classmethod
    def validate(cls, params):
        if params["max_uln"] > params["max_uln_liver_metastases"]:
            return "max_uln", f"{params['max_uln']} is above max_uln_liver_metastases {params['max_uln_liver_metastases']}"
        return None

    def label_values(self) -> dict:
        return {"test": self.test, **self.params}

    def check(self, record: CandidateRecord, protocol: Context) -> Verdict:
        result, notes = select_result(record, self.test, protocol.lab_window_days)
        if result is None:
            return self.missing(record, protocol.lab_window_days, notes)
        low, high = self.params["max_uln"], self.params["max_uln_liver_metastases"]
        values = self.uln_multiple(result, (low, high))
        low_limit, high_limit = exact(product(low, result.uln)), exact(product(high, result.uln))
        values |= {"max_uln": low, "low_limit": low_limit, "max_uln_liver_metastases": high,
                   "high_limit": high_limit, "collected": result.collected}
        if result.value <= low_limit:
            return Verdict(Status.PASS, (fact("transaminase.pass", **values),), notes)
        if result.value > high_limit:
            return Verdict(Status.FAIL, (fact("transaminase.fail", **values),), notes)
        liver = record.liver_metastases
        if liver is None:
            return Verdict(Status.MISSING, (fact("transaminase.liver_unknown", **values),), notes)
        if liver:
            return Verdict(Status.PASS, (fact("transaminase.liver", **values),), notes)
        return Verdict(Status.FAIL, (fact("transaminase.no_liver", **values),), notes)


class RenalFunction(LabCriterion):
    """Creatinine <= k x ULN, else Cockcroft-Gault clearance > threshold.

    CrCl = (140 - age) x weight / (72 x Scr mg/dL) [x 0.85 female], and
    Scr mg/dL = Scr umol/L / 88.4, so CrCl > T exactly when
    (140 - age) x weight x [0.85] x 88.4 > T x 72 x Scr umol/L.
    """

    id = "renal_function"
    test = "creatinine"
    parameters = {"creatinine_max_uln": NUMBER, "clearance_above": NUMBER}
    label_code = "label.renal_function"

    def check(self, record: CandidateRecord, protocol: Context) -> Verdict:
        result, notes = select_result(record, self.test, protocol.lab_window_days)
        if result is None:
            return self.missing(record, protocol.lab_window_days, notes)
        multiple, threshold = self.params["creatinine_max_uln"], self.params["clearance_above"]
        limit = exact(product(multiple, result.uln))
        values = self.uln_multiple(result, (multiple,)) | {"multiple": multiple, "limit": limit}
        if result.value <= limit:
            return Verdict(Status.PASS, (fact("lab.uln_pass", **values, collected=result.collected),), notes)
        lacking = tuple(
            name for name, value in (("weight_kg", record.weight_kg), ("sex", record.sex),
                                     ("date_of_birth", record.date_of_birth)) if value is None
        )
        if lacking:
            return Verdict(
                Status.MISSING, (fact("renal.needs", **values, fields=lacking, collected=result.collected),), notes
            )
        years = completed_years(record.date_of_birth, record.screening_date)
        female = record.sex == "female"
        sex_factor = CG_FEMALE_FACTOR if female else Decimal(1)
        creatinine_umol = to_canonical("creatinine", result.value, result.unit)
        numerator = product(CG_AGE_FROM - years, record.weight_kg, sex_factor, CREATININE_UMOL_PER_MG)
        denominator = product(CG_DIVISOR, creatinine_umol)
        passes = numerator > product(threshold, denominator)
        clearance = distinct(_DISPLAY_DIVIDE.divide(numerator, denominator), (threshold,), places=1)
        detail = fact("renal.above", **values, collected=result.collected)
        code = "renal.clearance_" + ("mg" if result.unit == "mg/dL" else "umol")
        clearance_fact = fact(
            code, clearance=clearance, age=years, weight=record.weight_kg, value=result.value, unit=result.unit,
            female=" × 0.85" if female else "", sign=">" if passes else "≤", clearance_above=threshold,
        )
        return Verdict(Status.PASS if passes else Status.FAIL, (detail, clearance_fact), notes)
