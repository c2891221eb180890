"""measurable_disease (RECIST 1.1, rules revision 2).

A lesion qualifies when it is measurable by imaging (CT/MRI: the plain
limit or 2 x slice thickness when larger; non-nodal by chest X-ray: 20 mm;
never by caliper, never a node by chest X-ray), was imaged 0-28 days
before the first dose (site date), and was not locally treated or
progressed afterwards. It is undecided when it does not qualify but an
absent value could still make it qualify.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ..facts import Fact, fact
from ..types import CandidateRecord, Lesion, Status, Verdict
from ..units import product
from .base import INTEGER, NUMBER, Context, Criterion

SLICE_MULTIPLE = Decimal(2)  # RECIST 1.1, fixed


class MeasurableDisease(Criterion):
    id = "measurable_disease"
    parameters = {
        "non_nodal_min_mm": NUMBER,
        "chest_xray_min_mm": NUMBER,
        "nodal_short_axis_min_mm": NUMBER,
        "imaging_window_days": INTEGER,
    }
    label_code = "label.measurable_disease"

    def check(self, record: CandidateRecord, protocol: Context) -> Verdict:
        lesions = record.lesions
        if lesions is None:
            return Verdict(Status.MISSING, (fact("measurable.missing"),))
        if not lesions:
            return Verdict(Status.FAIL, (fact("measurable.empty"),))
        first_dose = protocol.first_dose_date(record)
        assessed = [self.assess(lesion, index, first_dose) for index, lesion in enumerate(lesions, 1)]
        facts = tuple(why for _, why in assessed)
        decisions = [qualifies for qualifies, _ in assessed]
        if True in decisions:
            return Verdict(Status.PASS, (fact("measurable.qualifies", index=decisions.index(True) + 1), *facts))
        if None in decisions:
            return Verdict(Status.MISSING, (fact("measurable.undecided"), *facts))
        return Verdict(Status.FAIL, (fact("measurable.none"), *facts))

    def plain_limit(self, lesion: Lesion) -> Decimal | None:
        """The size limit before the slice rule; None: never measurable."""
        if lesion.method == "CALIPER":
            return None
        if lesion.kind == "nodal":
            return None if lesion.method == "CHEST_XRAY" else self.params["nodal_short_axis_min_mm"]
        if lesion.method == "CHEST_XRAY":
            return self.params["chest_xray_min_mm"]
        return self.params["non_nodal_min_mm"]

    def assess(self, lesion: Lesion, index: int, first_dose: date | None) -> tuple[bool | None, Fact]:
        """(qualifies: True / False / None = undecided, why)."""
        named = {"index": index, "kind": lesion.kind, "method": lesion.method}
        plain = self.plain_limit(lesion)
        if plain is None:
            return False, fact("lesion.not_measurable", **named)
        size, slice_mm = lesion.size_mm, lesion.slice_thickness_mm
        imaging = lesion.method in ("CT", "MRI")
        minimum = plain
        if imaging and slice_mm is not None:
            minimum = max(plain, product(SLICE_MULTIPLE, slice_mm))
        if size is not None and size < minimum:
            if minimum == plain:
                return False, fact("lesion.too_small", **named, size=size, minimum=minimum)
            return False, fact("lesion.too_small_slice", **named, size=size, minimum=minimum, slice=slice_mm)

        window = self.params["imaging_window_days"]
        imaged = lesion.imaged_on
        before = None
        if imaged is not None and first_dose is not None:
            before = (first_dose - imaged).days
            if before < 0:
                return False, fact("lesion.imaged_after", **named, imaged_on=imaged, gap_days=-before)
            if before > window:
                return False, fact(
                    "lesion.imaged_too_early", **named, imaged_on=imaged, gap_days=before, window_days=window
                )
        treated, progressed = lesion.locally_treated, lesion.progressed_after_local_treatment
        if treated and progressed is False:
            return False, fact("lesion.treated", **named)

        unknown = []
        if size is None:
            unknown.append("size_mm")
        if imaging and slice_mm is None:
            unknown.append("slice_thickness_mm")
        if imaged is None:
            unknown.append("imaged_on")
        if first_dose is None:
            unknown.append("planned_first_dose")
        if treated is None and progressed is not True:
            unknown.append("locally_treated")
        elif treated and progressed is None:
            unknown.append("progressed_after_local_treatment")
        if unknown:
            return None, fact("lesion.undecided", **named, minimum=minimum, fields=tuple(unknown))

        if treated:
            history = "progressed_after_local_treatment"
        elif treated is None:
            history = "progressed_treatment_not_recorded"
        else:
            history = "not_locally_treated"
        return True, fact(
            "lesion.qualifies", **named, size=size, minimum=minimum, imaged_on=imaged, gap_days=before,
            history=history,
        )
