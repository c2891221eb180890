"""supportive_care_washout: no blood components or growth factors within
``days`` days before the first dose, i.e. (first-dose date - last date)
>= days + 1, the first-dose date taken in the site's time zone."""

from __future__ import annotations

from datetime import timedelta

from ..facts import fact
from ..types import CandidateRecord, Status, Verdict
from .base import INTEGER, Context, Criterion


class SupportiveCareWashout(Criterion):
    id = "supportive_care_washout"
    parameters = {"days": INTEGER}
    label_code = "label.supportive_care_washout"

    def check(self, record: CandidateRecord, protocol: Context) -> Verdict:
        given = record.transfusion_or_growth_factor
        if given is None:
            return Verdict(Status.MISSING, (fact("washout.missing"),))
        if given.any is False:
            return Verdict(Status.PASS, (fact("washout.none_given"),))
        if given.any is None:
            return Verdict(Status.MISSING, (fact("washout.any_missing"),))
        last = given.last_date
        if last is None:
            return Verdict(Status.MISSING, (fact("washout.last_date_missing"),))

        required = self.params["days"] + 1
        earliest = last + timedelta(days=required)
        notes = (fact("washout.earliest", earliest=earliest),)
        first_dose = protocol.first_dose_date(record)
        if first_dose is None:
            return Verdict(Status.MISSING, (fact("washout.first_dose_missing", last=last, earliest=earliest),), notes)
        gap = (first_dose - last).days
        if gap <= 0:
            code = "washout.same_day" if gap == 0 else "washout.after"
            return Verdict(Status.FAIL, (fact(code, last=last, gap_days=-gap, first_dose=first_dose),), notes)
        detail = fact(
            "washout.before", last=last, gap_days=gap, first_dose=first_dose, days=self.params["days"],
            required_days=required,
        )
        return Verdict(Status.PASS if gap >= required else Status.FAIL, (detail,), notes)
