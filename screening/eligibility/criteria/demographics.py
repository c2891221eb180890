"""consent, age."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from ..display import day
from ..types import CandidateRecord, Status, Verdict

if TYPE_CHECKING:
    from ..protocol import Protocol


def completed_years(born: date, on: date) -> int:
    """Age in completed years; a 29 February birthday is reached on 1 March
    in other years (28 February still comes before it)."""
    years = on.year - born.year
    if (on.month, on.day) < (born.month, born.day):
        years -= 1
    return years


def consent(record: CandidateRecord, protocol: Protocol) -> Verdict:
    signed = record.consent_signed_on
    screened = record.screening_date
    if signed is None:
        return Verdict(Status.MISSING, "Date of signed informed consent not recorded")
    if signed <= screened:
        return Verdict(Status.PASS, f"Consent signed {day(signed)}, on or before screening {day(screened)}")
    return Verdict(
        Status.FAIL,
        f"Consent signed {day(signed)}, after screening {day(screened)}: screening before consent",
    )


def age(record: CandidateRecord, protocol: Protocol) -> Verdict:
    born = record.date_of_birth
    if born is None:
        return Verdict(Status.MISSING, "Date of birth not recorded")
    years = completed_years(born, record.screening_date)
    allowed = f"{protocol.age_min_years}–{protocol.age_max_years} required"
    detail = f"Age {years} on {day(record.screening_date)} (born {day(born)}); {allowed}"
    if protocol.age_min_years <= years <= protocol.age_max_years:
        return Verdict(Status.PASS, detail)
    return Verdict(Status.FAIL, detail)
