"""supportive_care_washout: no blood components or growth factors within
14 days before the first dose, i.e. (first-dose date - last date) >= 15 days,
where the first-dose date is the calendar date of ``planned_first_dose`` in
its own UTC offset."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from ..display import day, days
from ..types import CandidateRecord, Status, Verdict

if TYPE_CHECKING:
    from ..protocol import Protocol


def supportive_care_washout(record: CandidateRecord, protocol: Protocol) -> Verdict:
    given = record.transfusion_or_growth_factor
    if given is None:
        return Verdict(Status.MISSING, "Blood components / growth factors before first dose not recorded")
    if given.any is False:
        return Verdict(Status.PASS, "No blood components or growth factors given")
    if given.any is None:
        return Verdict(Status.MISSING, "Whether blood components or growth factors were given is not recorded")
    last = given.last_date
    if last is None:
        return Verdict(Status.MISSING, "Date of the last blood component or growth factor not recorded")

    earliest = last + timedelta(days=protocol.washout_min_days)
    notes = (f"first dose must be on or after {day(earliest)}",)
    first_dose = record.planned_first_dose
    if first_dose is None:
        return Verdict(
            Status.MISSING,
            f"Last given {day(last)}; planned first dose not set (must be on or after {day(earliest)})",
            notes,
        )
    first_dose_date = first_dose.date()
    gap = (first_dose_date - last).days
    detail = (
        f"Last given {day(last)}, {days(gap)} before first dose {day(first_dose_date)}; "
        f"≥ {protocol.washout_min_days} days required"
    )
    return Verdict(Status.PASS if gap >= protocol.washout_min_days else Status.FAIL, detail, notes)
