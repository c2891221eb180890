"""pregnancy_test, contraception (rules revision 2).

Pregnancy test: of the tests collected in [first dose - window, first
dose] (exact instants), any positive (serum or urine) fails; otherwise a
negative serum test passes; otherwise missing. A positive outside the
window is a note for the investigator.
"""

from __future__ import annotations

from datetime import timedelta

from ..facts import Fact, fact
from ..types import CandidateRecord, PregnancyTest, Status, Verdict
from .base import INTEGER, Context, Criterion


def _before(delta: timedelta) -> dict:
    minutes = int(delta.total_seconds()) // 60
    hours, minutes = divmod(minutes, 60)
    return {"hours": hours, "minutes": minutes}


class PregnancyTestCriterion(Criterion):
    id = "pregnancy_test"
    parameters = {"window_hours": INTEGER}
    label_code = "label.pregnancy_test"

    def check(self, record: CandidateRecord, protocol: Context) -> Verdict:
        sex, potential = record.sex, record.childbearing_potential
        if sex == "male":
            return Verdict(Status.NOT_APPLICABLE, (fact("pregnancy.male"),))
        if potential is False:
            return Verdict(Status.NOT_APPLICABLE, (fact("pregnancy.no_potential"),))
        hours = self.params["window_hours"]
        first_dose = record.planned_first_dose
        window = timedelta(hours=hours)
        if first_dose is None:
            serum = [test for test in record.pregnancy_tests if test.specimen == "serum"]
            notes = ()
            if serum:
                latest = max(serum, key=lambda test: test.collected)
                notes = (fact("pregnancy.counts_until", result=latest.result, collected=latest.collected,
                              until=latest.collected + window),)
            return Verdict(Status.MISSING, (fact("pregnancy.first_dose_missing", hours=hours),), notes)

        opens = first_dose - window
        tests = sorted(record.pregnancy_tests, key=lambda test: test.collected)
        in_window = [test for test in tests if opens <= test.collected <= first_dose]
        notes = tuple(self._note(test, opens, first_dose) for test in tests if test not in in_window)
        notes = tuple(note for note in notes if note is not None)

        positive = next((test for test in in_window if test.result == "positive"), None)
        if positive is not None:
            detail = fact(
                "pregnancy.positive", specimen=positive.specimen, collected=positive.collected,
                **_before(first_dose - positive.collected), first_dose=first_dose,
            )
            return Verdict(Status.FAIL, (detail, *notes), notes)
        if sex is None:
            return Verdict(Status.MISSING, (fact("pregnancy.sex_missing"), *notes), notes)
        if potential is None:
            return Verdict(Status.MISSING, (fact("pregnancy.potential_missing"), *notes), notes)
        serum = [test for test in in_window if test.specimen == "serum"]
        if serum:
            latest = serum[-1]
            detail = fact(
                "pregnancy.negative", collected=latest.collected, **_before(first_dose - latest.collected),
                first_dose=first_dose,
            )
            urine = tuple(fact("pregnancy.urine_negative", collected=test.collected)
                          for test in in_window if test.specimen == "urine")
            valid = fact("pregnancy.valid_until", until=latest.collected + window)
            return Verdict(Status.PASS, (detail, *notes), (valid, *notes, *urine))
        detail = fact("pregnancy.no_serum", hours=hours, opens=opens, first_dose=first_dose)
        urine = tuple(fact("pregnancy.urine_negative", collected=test.collected) for test in in_window)
        return Verdict(Status.MISSING, (detail, *urine, *notes), notes + urine)

    @staticmethod
    def _note(test: PregnancyTest, opens, first_dose) -> Fact | None:
        where = "after" if test.collected > first_dose else "before"
        if test.result == "positive":
            return fact(f"pregnancy.positive_{where}_window", specimen=test.specimen, collected=test.collected)
        return fact(f"pregnancy.negative_{where}_window", specimen=test.specimen, collected=test.collected)


class Contraception(Criterion):
    """Female with childbearing potential, or male whose partner has it."""

    id = "contraception"
    label_code = "label.contraception"

    def check(self, record: CandidateRecord, protocol: Context) -> Verdict:
        sex = record.sex
        if sex is None:
            return Verdict(Status.MISSING, (fact("contraception.sex_missing"),))
        whose = "candidate" if sex == "female" else "partner"
        potential = record.childbearing_potential if sex == "female" else record.partner_childbearing_potential
        if potential is None:
            return Verdict(Status.MISSING, (fact("contraception.potential_missing", whose=whose),))
        if not potential:
            return Verdict(Status.NOT_APPLICABLE, (fact("contraception.not_applicable", whose=whose),))
        agreed = record.contraception_agreed
        if agreed is None:
            return Verdict(Status.MISSING, (fact("contraception.agreement_missing", whose=whose),))
        code = "contraception.agreed" if agreed else "contraception.not_agreed"
        return Verdict(Status.PASS if agreed else Status.FAIL, (fact(code, whose=whose),))
