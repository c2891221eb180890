"""diagnosis, prior_therapy, measurable_disease (RECIST 1.1)."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import TYPE_CHECKING

from ..display import number
from ..types import CandidateRecord, Lesion, Status, Verdict
from ..units import product

if TYPE_CHECKING:
    from ..protocol import Protocol


def _decide(fails: list[str], missing: list[str], passed: str) -> Verdict:
    """A failing part decides the row even when other parts are missing."""
    if fails:
        return Verdict(Status.FAIL, "; ".join(fails))
    if missing:
        return Verdict(Status.MISSING, "Not recorded: " + ", ".join(missing))
    return Verdict(Status.PASS, passed)


def is_excluded_site(site: str, protocol: Protocol) -> bool:
    """``lung`` in any case, also as a word of a longer text ("Lung (RUL)",
    "left lung", "lungs"): free text that names the lung must not pass as
    extrapulmonary. "extrapulmonary" or "unknown" are not excluded."""
    excluded = protocol.excluded_primary_site
    return any(word in (excluded, excluded + "s") for word in re.findall(r"[a-z]+", site.casefold()))


def diagnosis(record: CandidateRecord, protocol: Protocol) -> Verdict:
    found = record.diagnosis
    if found is None:
        return Verdict(Status.MISSING, "Diagnosis not recorded")
    fails: list[str] = []
    missing: list[str] = []

    if found.type is None:
        missing.append("type")
    elif found.type not in protocol.diagnosis_types:
        fails.append(f"type {found.type} is not one of {', '.join(protocol.diagnosis_types)}")

    if found.confirmation is None:
        missing.append("confirmation")
    elif found.confirmation not in protocol.diagnosis_confirmations:
        fails.append(f"{found.confirmation} confirmation; histological or cytological required")

    if found.metastatic is None:
        missing.append("metastatic")
    elif not found.metastatic:
        fails.append("not metastatic")

    site = found.primary_site.strip() if found.primary_site is not None else ""
    if not site:
        missing.append("primary site")
    elif is_excluded_site(site, protocol):
        fails.append(f"primary site {site!r}: the trial is extrapulmonary")

    minimum = protocol.minen_ne_component_above_percent
    if found.type == "MINEN":
        if found.ne_component_percent is None:
            missing.append("NE component % (MINEN)")
        elif not found.ne_component_percent > minimum:
            fails.append(f"MINEN NE component {number(found.ne_component_percent)}% ≤ {number(minimum)}%")

    parts = [found.type or "?", f"{found.confirmation} confirmation", f"primary {site}", "metastatic"]
    if found.type == "MINEN" and found.ne_component_percent is not None:
        parts.append(f"NE component {number(found.ne_component_percent)}% > {number(minimum)}%")
    return _decide(fails, missing, ", ".join(parts))


def prior_therapy(record: CandidateRecord, protocol: Protocol) -> Verdict:
    lines = record.prior_systemic_lines
    failed = record.prior_line_failed
    required = protocol.prior_systemic_lines_required
    fails: list[str] = []
    missing: list[str] = []
    if lines is None:
        missing.append("number of prior systemic lines")
    elif lines != required:
        fails.append(f"{lines} prior systemic lines; exactly {required} required")
    if failed is None:
        missing.append("whether the prior line failed")
    elif not failed:
        fails.append("the prior line did not fail")
    return _decide(fails, missing, f"{lines} prior systemic line, failed")


def minimum_size_mm(lesion: Lesion, protocol: Protocol) -> Decimal | None:
    """The RECIST 1.1 size from which the lesion is measurable (None: never).

    CT/MRI: the plain limit (10 mm non-nodal longest diameter, 15 mm nodal
    short axis) or 2 x slice thickness when that is larger; for non-nodal
    lesions 2 x slice exceeds 10 mm exactly when the slice is thicker than
    5 mm, as the spec words it. Caliper: 10 mm; chest X-ray: 20 mm; both
    only for non-nodal lesions.
    """
    if lesion.kind == "nodal":
        plain = protocol.nodal_short_axis_min_mm
    elif lesion.method == "CALIPER":
        return protocol.non_nodal_min_mm
    elif lesion.method == "CHEST_XRAY":
        return protocol.chest_xray_min_mm
    else:
        plain = protocol.non_nodal_min_mm
    if lesion.method not in ("CT", "MRI"):
        return None
    if lesion.slice_thickness_mm is None:
        return plain
    return max(plain, product(protocol.slice_thickness_multiple, lesion.slice_thickness_mm))


def assess_lesion(lesion: Lesion, protocol: Protocol) -> tuple[bool | None, str]:
    """(qualifies: True / False / None = undecided, why)."""
    kind = lesion.kind.replace("_", "-")
    name = f"{kind} by {lesion.method}"
    minimum = minimum_size_mm(lesion, protocol)
    if minimum is None:
        return False, f"{name} is not measurable"
    size = lesion.size_mm
    treated = lesion.locally_treated
    progressed = lesion.progressed_after_local_treatment
    if size is not None and size < minimum:
        return False, f"{name} {number(size)} mm < {number(minimum)} mm"
    if treated and progressed is False:
        return False, f"{name} locally treated without progression"

    unknown: list[str] = []
    if size is None:
        unknown.append(f"size (≥ {number(minimum)} mm needed)")
    if treated is None and progressed is not True:
        unknown.append("whether locally treated")
    elif treated and progressed is None:
        unknown.append("progression after local treatment")
    if unknown:
        return None, f"{name}: not recorded: {', '.join(unknown)}"

    if treated:
        history = "progressed after local treatment"
    elif treated is None:
        history = "progressed (local treatment not recorded)"
    else:
        history = "not locally treated"
    return True, f"{name} {number(size)} mm ≥ {number(minimum)} mm, {history}"


def measurable_disease(record: CandidateRecord, protocol: Protocol) -> Verdict:
    lesions = record.lesions
    if lesions is None:
        return Verdict(Status.MISSING, "Lesions not recorded")
    if not lesions:
        return Verdict(Status.FAIL, "No lesions recorded (empty list)")
    assessments = [assess_lesion(lesion, protocol) for lesion in lesions]
    lines = "; ".join(f"lesion {index} {why}" for index, (_, why) in enumerate(assessments, 1))
    decisions = [qualifies for qualifies, _ in assessments]
    if True in decisions:
        first = decisions.index(True) + 1
        return Verdict(Status.PASS, f"Lesion {first} qualifies. {_capitalised(lines)}")
    if None in decisions:
        return Verdict(Status.MISSING, f"No lesion qualifies yet, some undecided. {_capitalised(lines)}")
    return Verdict(Status.FAIL, f"No measurable, untreated or progressed lesion. {_capitalised(lines)}")


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]
