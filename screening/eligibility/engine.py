"""evaluate(record, protocol) -> Evaluation, and the batch entry."""

from __future__ import annotations

from .parsing import InvalidRecord, parse_candidate
from .protocol import Protocol, default_registry
from .text import SCREENING_NUMBER
from .types import CandidateRecord, Evaluation, Outcome, Status


def current_protocol() -> Protocol:
    """The engine's own registered version in force today (site time zone)."""
    return default_registry().current()


def evaluate(record: CandidateRecord, protocol: Protocol | None = None) -> Evaluation:
    """One row per criterion in the protocol's order; the outcome is
    ineligible if any row fails, else incomplete if any is missing, else
    eligible. Without ``protocol``: the version in force today."""
    if protocol is None:
        protocol = current_protocol()
    results = tuple(criterion.evaluate(record, protocol) for criterion in protocol.criteria)
    statuses = {result.status for result in results}
    if Status.FAIL in statuses:
        outcome = Outcome.INELIGIBLE
    elif Status.MISSING in statuses:
        outcome = Outcome.INCOMPLETE
    else:
        outcome = Outcome.ELIGIBLE
    return Evaluation(record.screening_number, protocol.version, protocol.sha256, outcome, results)


def evaluate_entry(obj, protocol: Protocol | None = None) -> dict:
    """One entry of the batch output for any JSON value: the evaluation's
    ``as_dict()``, or ``{"screening_number": str | None, "error": message}``
    when the record cannot be trusted (the number is echoed only when it
    is a valid screening number)."""
    if protocol is None:
        protocol = current_protocol()
    try:
        record = parse_candidate(obj, site_timezone=protocol.site_timezone)
    except InvalidRecord as exc:
        number = obj.get("screening_number") if isinstance(obj, dict) else None
        valid = isinstance(number, str) and SCREENING_NUMBER.fullmatch(number)
        return {"screening_number": number if valid else None, "error": str(exc)}
    return evaluate(record, protocol).as_dict()
