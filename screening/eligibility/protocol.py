"""Protocol version 1.0 of NALIRIFOX screening: every threshold, window,
the criteria's order and their human labels live here and nowhere else.

An amendment is a new ``Protocol`` value (``dataclasses.replace`` of this
one, with its own version); the rules in ``criteria/`` read their numbers
from the protocol they are given.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from .criteria import demographics, disease, labs, reproductive, status, washout
from .types import CandidateRecord, CriterionResult, Verdict


@dataclass(frozen=True, slots=True)
class Criterion:
    """One row of the checklist: a fixed id, a label for people, a rule."""

    id: str
    label: str
    rule: Callable[[CandidateRecord, "Protocol"], Verdict]

    def evaluate(self, record: CandidateRecord, protocol: "Protocol") -> CriterionResult:
        verdict = self.rule(record, protocol)
        return CriterionResult(self.id, self.label, verdict.status, verdict.detail, verdict.notes)


@dataclass(frozen=True, slots=True)
class Protocol:
    version: str
    criteria: tuple[Criterion, ...]

    # consent, age (completed years on the screening date, inclusive)
    age_min_years: int = 18
    age_max_years: int = 75

    # diagnosis
    diagnosis_types: tuple[str, ...] = ("NEC", "NET_G3", "MINEN")
    diagnosis_confirmations: tuple[str, ...] = ("histological", "cytological")
    excluded_primary_site: str = "lung"  # compared case-insensitively
    minen_ne_component_above_percent: Decimal = Decimal(30)  # strict: > 30

    # prior therapy, performance status, life expectancy
    prior_systemic_lines_required: int = 1
    ecog_max: int = 1
    life_expectancy_min_months: Decimal = Decimal(3)

    # RECIST 1.1 measurability (mm)
    non_nodal_min_mm: Decimal = Decimal(10)  # CT, MRI, caliper
    chest_xray_min_mm: Decimal = Decimal(20)
    nodal_short_axis_min_mm: Decimal = Decimal(15)  # CT, MRI only
    slice_thickness_multiple: Decimal = Decimal(2)  # when 2 x slice exceeds the plain limit

    # no blood components / growth factors within 14 days before the first dose
    washout_min_days: int = 15

    # laboratory (lab window: screening_date - collected <= 14 days)
    lab_window_days: int = 14
    anc_min: Decimal = Decimal("1.5")  # 10*9/L
    platelets_min: Decimal = Decimal(100)  # 10*9/L
    haemoglobin_min: Decimal = Decimal(8)  # g/dL
    bilirubin_max_uln: Decimal = Decimal("1.5")
    transaminase_max_uln: Decimal = Decimal("2.5")
    transaminase_max_uln_liver_metastases: Decimal = Decimal(5)
    creatinine_max_uln: Decimal = Decimal("1.5")
    creatinine_clearance_above: Decimal = Decimal(60)  # mL/min, strict: > 60
    cockcroft_gault_age_from: int = 140
    cockcroft_gault_divisor: int = 72
    cockcroft_gault_female_factor: Decimal = Decimal("0.85")

    # pregnancy test: serum, collected in [first dose - 72 h, first dose]
    pregnancy_test_window: timedelta = timedelta(hours=72)

    def criterion(self, criterion_id: str) -> Criterion:
        for criterion in self.criteria:
            if criterion.id == criterion_id:
                return criterion
        raise KeyError(criterion_id)


PROTOCOL = Protocol(
    version="1.0",
    criteria=(
        Criterion("consent", "Informed consent signed before screening", demographics.consent),
        Criterion("age", "Age 18–75 years", demographics.age),
        Criterion(
            "diagnosis",
            "Metastatic extrapulmonary high-grade neuroendocrine neoplasm",
            disease.diagnosis,
        ),
        Criterion("prior_therapy", "Exactly one prior systemic line, failed", disease.prior_therapy),
        Criterion("ecog", "ECOG performance status 0–1", status.ecog),
        Criterion("life_expectancy", "Life expectancy ≥ 3 months", status.life_expectancy),
        Criterion("measurable_disease", "Measurable disease (RECIST 1.1)", disease.measurable_disease),
        Criterion(
            "supportive_care_washout",
            "No blood components or growth factors within 14 days before first dose",
            washout.supportive_care_washout,
        ),
        Criterion("anc", "Absolute neutrophil count", labs.anc),
        Criterion("platelets", "Platelet count", labs.platelets),
        Criterion("haemoglobin", "Haemoglobin", labs.haemoglobin),
        Criterion("bilirubin", "Total bilirubin", labs.bilirubin),
        Criterion("alt", "Alanine aminotransferase (ALT)", labs.alt),
        Criterion("ast", "Aspartate aminotransferase (AST)", labs.ast),
        Criterion("renal_function", "Renal function (creatinine / clearance)", labs.renal_function),
        Criterion("pregnancy_test", "Negative serum pregnancy test", reproductive.pregnancy_test),
        Criterion("contraception", "Agreement to use contraception", reproductive.contraception),
    ),
)

PROTOCOL_VERSION = PROTOCOL.version
CRITERIA = PROTOCOL.criteria
