"""diagnosis, prior_therapy."""

from __future__ import annotations

from ..facts import Fact, fact
from ..text import primary_site_recorded, pulmonary_match
from ..types import CONFIRMATIONS, DIAGNOSIS_TYPES, CandidateRecord, Status, Verdict
from .base import INTEGER, PERCENT, Context, Criterion, Param, decide


class Diagnosis(Criterion):
    id = "diagnosis"
    parameters = {
        "types": Param("choices", allowed=DIAGNOSIS_TYPES),
        "confirmations": Param("choices", allowed=CONFIRMATIONS),
        "minen_ne_component_above_percent": PERCENT,
    }
    label_code = "label.diagnosis"

    def check(self, record: CandidateRecord, protocol: Context) -> Verdict:
        found = record.diagnosis
        if found is None:
            return Verdict(Status.MISSING, (fact("diagnosis.missing"),))
        types, confirmations = self.params["types"], self.params["confirmations"]
        above = self.params["minen_ne_component_above_percent"]
        fails: list[Fact] = []
        missing: list[str] = []

        if found.type is None:
            missing.append("diagnosis_type")
        elif found.type not in types:
            fails.append(fact("diagnosis.type_fail", type=found.type, types=types))
        if found.confirmation is None:
            missing.append("confirmation")
        elif found.confirmation not in confirmations:
            fails.append(fact("diagnosis.confirmation_fail", confirmation=found.confirmation, confirmations=confirmations))
        if found.metastatic is None:
            missing.append("metastatic")
        elif not found.metastatic:
            fails.append(fact("diagnosis.not_metastatic"))

        site = found.primary_site
        if not primary_site_recorded(site):
            missing.append("primary_site")
        else:
            match = pulmonary_match(site)
            if match:
                fails.append(fact("diagnosis.pulmonary", site=site, match=match))

        percent = found.ne_component_percent
        if found.type == "MINEN":
            if percent is None:
                missing.append("ne_component_percent")
            elif not percent > above:
                fails.append(fact("diagnosis.minen_fail", percent=percent, above=above))

        passed = [fact("diagnosis.pass", type=found.type, confirmation=found.confirmation, site=site)]
        if found.type == "MINEN" and percent is not None:
            passed.append(fact("diagnosis.minen_pass", percent=percent, above=above))
        lacking = [fact("diagnosis.not_recorded", fields=tuple(missing))] if missing else []
        return decide(fails, lacking, tuple(passed))


class PriorTherapy(Criterion):
    id = "prior_therapy"
    parameters = {"lines": INTEGER}
    label_code = "label.prior_therapy"

    def check(self, record: CandidateRecord, protocol: Context) -> Verdict:
        lines, failed, required = record.prior_systemic_lines, record.prior_line_failed, self.params["lines"]
        fails: list[Fact] = []
        missing: list[Fact] = []
        if lines is None:
            missing.append(fact("prior_therapy.lines_missing"))
        elif lines != required:
            fails.append(fact("prior_therapy.lines_fail", lines=lines, required=required))
        if failed is None:
            missing.append(fact("prior_therapy.failed_missing"))
        elif not failed:
            fails.append(fact("prior_therapy.not_failed"))
        return decide(fails, missing, (fact("prior_therapy.pass", lines=lines),))
