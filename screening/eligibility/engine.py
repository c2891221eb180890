"""evaluate(record, protocol) -> Evaluation, and the batch entry."""

from __future__ import annotations

from .parsing import InvalidRecord, parse_candidate
from .protocol import PROTOCOL, Protocol
from .types import CandidateRecord, Evaluation, Outcome, Status


def evaluate(record: CandidateRecord, protocol: Protocol = PROTOCOL) -> Evaluation:
    """One row per criterion in the protocol's order; the outcome is
    ineligible if any row fails, else incomplete if any is missing, else
    eligible."""
    results = tuple(criterion.evaluate(record, protocol) for criterion in protocol.criteria)
    statuses = {result.status for result in results}
    if Status.FAIL in statuses:
        outcome = Outcome.INELIGIBLE
    elif Status.MISSING in statuses:
        outcome = Outcome.INCOMPLETE
    else:
        outcome = Outcome.ELIGIBLE
    return Evaluation(record.screening_number, protocol.version, outcome, results)


def evaluate_entry(obj, protocol: Protocol = PROTOCOL) -> dict:
    """One entry of the batch output for any JSON value: the evaluation's
    ``as_dict()``, or ``{"screening_number": str | None, "error": message}``
    when the record cannot be trusted."""
    try:
        record = parse_candidate(obj)
    except InvalidRecord as exc:
        number = obj.get("screening_number") if isinstance(obj, dict) else None
        return {"screening_number": number if isinstance(number, str) else None, "error": str(exc)}
    return evaluate(record, protocol).as_dict()
