"""The engine's vocabulary: a candidate's record in, an evaluation out.

Every value is already validated when it sits in one of these classes
(see ``parsing.py``): numbers are finite, non-negative ``Decimal``; dates
are ``date``; datetimes are timezone-aware; enumerated values are one of the
spec's exact strings. ``None`` means "not yet known".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import NamedTuple

from .facts import Fact

# The interchange format's enumerated values, matched exactly as written.
SEXES = ("female", "male")
DIAGNOSIS_TYPES = ("NEC", "NET_G3", "MINEN", "OTHER")
CONFIRMATIONS = ("histological", "cytological", "clinical")
LESION_KINDS = ("non_nodal", "nodal")
LESION_METHODS = ("CT", "MRI", "CALIPER", "CHEST_XRAY")
SPECIMENS = ("serum", "urine")
PREGNANCY_RESULTS = ("negative", "positive")


class Status(str, Enum):
    PASS = "pass"
    FAIL = "fail"
    MISSING = "missing"
    NOT_APPLICABLE = "not_applicable"

    def __str__(self) -> str:
        return self.value


class Outcome(str, Enum):
    ELIGIBLE = "eligible"
    INELIGIBLE = "ineligible"
    INCOMPLETE = "incomplete"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True, slots=True)
class Diagnosis:
    type: str | None = None
    confirmation: str | None = None
    primary_site: str | None = None
    metastatic: bool | None = None
    ne_component_percent: Decimal | None = None


@dataclass(frozen=True, slots=True)
class Lesion:
    kind: str
    method: str
    size_mm: Decimal | None = None
    slice_thickness_mm: Decimal | None = None
    imaged_on: date | None = None
    site: str | None = None
    locally_treated: bool | None = None
    progressed_after_local_treatment: bool | None = None


@dataclass(frozen=True, slots=True)
class LabResult:
    test: str
    value: Decimal
    unit: str
    collected: date
    uln: Decimal | None = None


@dataclass(frozen=True, slots=True)
class PregnancyTest:
    specimen: str
    result: str
    collected: datetime


@dataclass(frozen=True, slots=True)
class Washout:
    """``transfusion_or_growth_factor``: blood components or growth factors."""

    any: bool | None = None
    last_date: date | None = None


@dataclass(frozen=True, slots=True)
class CandidateRecord:
    screening_number: str
    screening_date: date
    planned_first_dose: datetime | None = None
    date_of_birth: date | None = None
    sex: str | None = None
    weight_kg: Decimal | None = None
    consent_signed_on: date | None = None
    diagnosis: Diagnosis | None = None
    prior_systemic_lines: int | None = None
    prior_line_failed: bool | None = None
    ecog: int | None = None
    life_expectancy_months: Decimal | None = None
    liver_metastases: bool | None = None
    lesions: tuple[Lesion, ...] | None = None
    transfusion_or_growth_factor: Washout | None = None
    labs: tuple[LabResult, ...] = ()
    childbearing_potential: bool | None = None
    partner_childbearing_potential: bool | None = None
    contraception_agreed: bool | None = None
    pregnancy_tests: tuple[PregnancyTest, ...] = ()


class Verdict(NamedTuple):
    """What a criterion's rule finds, before the engine names the row
    (a NamedTuple: 17 of them per candidate, cheaper than a dataclass):
    ``facts`` say what the detail says, in order; ``notes`` are facts for
    the investigator that do not change the status."""

    status: Status
    facts: tuple[Fact, ...]
    notes: tuple[Fact, ...] = ()


class CriterionResult(NamedTuple):
    """One row of an evaluation (a NamedTuple: immutable and cheap to build)."""

    id: str
    label: str
    status: Status
    detail: str
    notes: tuple[str, ...] = ()
    facts: tuple[Fact, ...] = ()
    note_facts: tuple[Fact, ...] = ()
    label_fact: Fact | None = None

    def as_dict(self) -> dict:
        return {"id": self.id, "status": self.status.value, "detail": self.detail}


@dataclass(frozen=True, slots=True)
class Evaluation:
    screening_number: str
    protocol_version: str
    protocol_sha256: str
    outcome: Outcome
    criteria: tuple[CriterionResult, ...]

    def as_dict(self) -> dict:
        """The batch interface's entry (spec section 6): plain JSON values."""
        return {
            "screening_number": self.screening_number,
            "protocol_version": self.protocol_version,
            "protocol_sha256": self.protocol_sha256,
            "outcome": self.outcome.value,
            "criteria": [result.as_dict() for result in self.criteria],
        }

    def result(self, criterion_id: str) -> CriterionResult:
        for result in self.criteria:
            if result.id == criterion_id:
                return result
        raise KeyError(criterion_id)
