"""ecog, life_expectancy."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..display import number
from ..types import CandidateRecord, Status, Verdict

if TYPE_CHECKING:
    from ..protocol import Protocol


def ecog(record: CandidateRecord, protocol: Protocol) -> Verdict:
    score = record.ecog
    if score is None:
        return Verdict(Status.MISSING, "ECOG performance status not recorded")
    if score <= protocol.ecog_max:
        return Verdict(Status.PASS, f"ECOG {score} ≤ {protocol.ecog_max}")
    return Verdict(Status.FAIL, f"ECOG {score} > {protocol.ecog_max}")


def life_expectancy(record: CandidateRecord, protocol: Protocol) -> Verdict:
    months = record.life_expectancy_months
    minimum = protocol.life_expectancy_min_months
    if months is None:
        return Verdict(Status.MISSING, "Life expectancy not recorded")
    if months >= minimum:
        return Verdict(Status.PASS, f"Life expectancy {number(months)} months ≥ {number(minimum)}")
    return Verdict(Status.FAIL, f"Life expectancy {number(months)} months < {number(minimum)}")
