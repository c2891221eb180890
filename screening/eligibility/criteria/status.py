"""ecog, life_expectancy."""

from __future__ import annotations

from ..facts import fact
from ..types import CandidateRecord, Status, Verdict
from .base import NUMBER, Context, Criterion, Param


class Ecog(Criterion):
    id = "ecog"
    parameters = {"max": Param("integer", maximum=5)}
    label_code = "label.ecog"

    def check(self, record: CandidateRecord, protocol: Context) -> Verdict:
        score, highest = record.ecog, self.params["max"]
        if score is None:
            return Verdict(Status.MISSING, (fact("ecog.missing"),))
        if score <= highest:
            return Verdict(Status.PASS, (fact("ecog.pass", score=score, max=highest),))
        return Verdict(Status.FAIL, (fact("ecog.fail", score=score, max=highest),))


class LifeExpectancy(Criterion):
    id = "life_expectancy"
    parameters = {"min_months": NUMBER}
    label_code = "label.life_expectancy"

    def check(self, record: CandidateRecord, protocol: Context) -> Verdict:
        months, minimum = record.life_expectancy_months, self.params["min_months"]
        if months is None:
            return Verdict(Status.MISSING, (fact("life_expectancy.missing"),))
        if months >= minimum:
            return Verdict(Status.PASS, (fact("life_expectancy.pass", months=months, min=minimum),))
        return Verdict(Status.FAIL, (fact("life_expectancy.fail", months=months, min=minimum),))
