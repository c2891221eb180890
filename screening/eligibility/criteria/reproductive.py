"""pregnancy_test, contraception."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from ..display import moment
from ..types import CandidateRecord, PregnancyTest, Status, Verdict

if TYPE_CHECKING:
    from ..protocol import Protocol


def _duration(delta: timedelta) -> str:
    minutes = int(delta.total_seconds()) // 60
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min" if minutes else f"{hours} h"


def pregnancy_test(record: CandidateRecord, protocol: Protocol) -> Verdict:
    """Female with childbearing potential: the latest serum test collected in
    [first dose - 72 h, first dose] decides (exact instants, any offsets)."""
    sex = record.sex
    potential = record.childbearing_potential
    if sex == "male":
        return Verdict(Status.NOT_APPLICABLE, "Male candidate")
    if potential is False:
        return Verdict(Status.NOT_APPLICABLE, "No childbearing potential")
    if sex is None:
        return Verdict(Status.MISSING, "Sex not recorded")
    if potential is None:
        return Verdict(Status.MISSING, "Childbearing potential not recorded")

    window = protocol.pregnancy_test_window
    hours = int(window.total_seconds()) // 3600
    first_dose = record.planned_first_dose
    tests = record.pregnancy_tests
    if first_dose is None:
        notes = [_does_not_count_urine(test) for test in tests if test.specimen == "urine"]
        serum = [test for test in tests if test.specimen == "serum"]
        if serum:
            latest = max(serum, key=lambda test: test.collected)
            notes.append(
                f"serum test of {moment(latest.collected)} ({latest.result}) counts for a first dose "
                f"up to {moment(latest.collected + window)}"
            )
        return Verdict(
            Status.MISSING,
            f"Planned first dose not set: a serum test counts only within {hours} h before it",
            tuple(notes),
        )

    opens = first_dose - window
    chosen: PregnancyTest | None = None
    for test in tests:
        if test.specimen == "serum" and opens <= test.collected <= first_dose:
            if chosen is None or test.collected >= chosen.collected:
                chosen = test

    notes = []
    for test in tests:
        when = moment(test.collected)
        if test is chosen:
            notes.append(f"serum test valid until {moment(test.collected + window)}")
        elif test.specimen == "urine":
            notes.append(_does_not_count_urine(test))
        elif test.collected < opens:
            notes.append(f"serum test of {when} outside the {hours} h before first dose")
        elif test.collected > first_dose:
            notes.append(f"serum test of {when} is after the planned first dose")
        else:
            notes.append(f"serum test of {when} not used: a later serum test decides")

    if chosen is None:
        return Verdict(
            Status.MISSING,
            f"No serum pregnancy test within the {hours} h before first dose "
            f"({moment(opens)} to {moment(first_dose)})",
            tuple(notes),
        )
    detail = (
        f"Serum test {chosen.result}, collected {moment(chosen.collected)}, "
        f"{_duration(first_dose - chosen.collected)} before first dose {moment(first_dose)}"
    )
    status = Status.PASS if chosen.result == "negative" else Status.FAIL
    return Verdict(status, detail, tuple(notes))


def _does_not_count_urine(test: PregnancyTest) -> str:
    return f"urine test of {moment(test.collected)} does not count: serum required"


def contraception(record: CandidateRecord, protocol: Protocol) -> Verdict:
    """Female with childbearing potential, or male whose partner has it."""
    sex = record.sex
    if sex is None:
        return Verdict(Status.MISSING, "Sex not recorded")
    if sex == "female":
        potential = record.childbearing_potential
        whose = "Candidate"
    else:
        potential = record.partner_childbearing_potential
        whose = "Partner"
    if potential is None:
        return Verdict(Status.MISSING, f"{whose}'s childbearing potential not recorded")
    if not potential:
        return Verdict(Status.NOT_APPLICABLE, f"{whose} without childbearing potential")
    agreed = record.contraception_agreed
    if agreed is None:
        return Verdict(Status.MISSING, f"{whose} of childbearing potential; agreement to contraception not recorded")
    if agreed:
        return Verdict(Status.PASS, f"{whose} of childbearing potential; contraception agreed")
    return Verdict(Status.FAIL, f"{whose} of childbearing potential; contraception not agreed")
