"""consent, age."""

from __future__ import annotations

from datetime import date

from ..facts import fact
from ..types import CandidateRecord, Status, Verdict
from .base import INTEGER, Context, Criterion


def completed_years(born: date, on: date) -> int:
    """Age in completed years; a 29 February birthday is reached on 1 March
    in other years (28 February still comes before it)."""
    years = on.year - born.year
    if (on.month, on.day) < (born.month, born.day):
        years -= 1
    return years


class Consent(Criterion):
    id = "consent"
    label_code = "label.consent"

    def check(self, record: CandidateRecord, protocol: Context) -> Verdict:
        signed, screened = record.consent_signed_on, record.screening_date
        if signed is None:
            return Verdict(Status.MISSING, (fact("consent.missing"),))
        if signed <= screened:
            return Verdict(Status.PASS, (fact("consent.pass", signed=signed, screened=screened),))
        return Verdict(Status.FAIL, (fact("consent.fail", signed=signed, screened=screened),))


class Age(Criterion):
    id = "age"
    parameters = {"min_years": INTEGER, "max_years": INTEGER}
    label_code = "label.age"

    @classmethod
    def validate(cls, params):
        if params["min_years"] > params["max_years"]:
            return "min_years", f"{params['min_years']} is above max_years {params['max_years']}"
        return None

    def check(self, record: CandidateRecord, protocol: Context) -> Verdict:
        born = record.date_of_birth
        if born is None:
            return Verdict(Status.MISSING, (fact("age.missing"),))
        low, high = self.params["min_years"], self.params["max_years"]
        years = completed_years(born, record.screening_date)
        detail = fact("age.result", years=years, screened=record.screening_date, born=born, min=low, max=high)
        return Verdict(Status.PASS if low <= years <= high else Status.FAIL, (detail,))
