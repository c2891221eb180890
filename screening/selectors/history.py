"""Read side of the evaluation history: snapshots newest first, and what changed between two."""

from dataclasses import dataclass

from screening.models import Evaluation, Signature
from screening.selectors.signoff import signature_state


@dataclass(frozen=True)
class Change:
    what: str  # a criterion id, or "outcome"
    old: str
    new: str

    def __str__(self):
        return f"{self.what}: {self.old} → {self.new}"


def diff_evaluations(older, newer):
    """Criteria whose status changed, in protocol order, then the outcome if it changed.

    A criterion present in only one of them (another protocol version) shows
    as "—" on the other side.
    """
    old_statuses, new_statuses = older.statuses(), newer.statuses()
    ids = [row["id"] for row in newer.criteria]
    ids += [row["id"] for row in older.criteria if row["id"] not in new_statuses]
    changes = [
        Change(criterion, old_statuses.get(criterion, "—"), new_statuses.get(criterion, "—"))
        for criterion in ids
        if old_statuses.get(criterion) != new_statuses.get(criterion)
    ]
    if older.outcome != newer.outcome:
        changes.append(Change("outcome", older.outcome, newer.outcome))
    return changes


def describe(changes):
    """"platelets: fail → pass; outcome: ineligible → eligible" (or "no change in any verdict")."""
    return "; ".join(str(change) for change in changes) or "no change in any verdict"


@dataclass
class HistoryEntry:
    evaluation: Evaluation
    changes: list  # against the previous evaluation; None for the first one
    signatures: list
    current: bool

    @property
    def signature_state(self):
        """The state of this evaluation's signatures: signed if it is the current one, else superseded."""
        return signature_state(current=self.current)


def evaluation_history(candidate):
    """The candidate's evaluations newest first, each with its changes against the one before it."""
    evaluations = list(
        Evaluation.objects.filter(candidate=candidate).select_related("created_by").defer("input")
        .order_by("created_at", "id")
    )
    signatures = {}
    for signature in Signature.objects.filter(evaluation__candidate=candidate).select_related("signed_by"):
        signatures.setdefault(signature.evaluation_id, []).append(signature)
    entries = []
    previous = None
    for evaluation in evaluations:
        entries.append(
            HistoryEntry(
                evaluation=evaluation,
                changes=None if previous is None else diff_evaluations(previous, evaluation),
                signatures=signatures.get(evaluation.pk, []),
                current=evaluation.pk == candidate.latest_evaluation_id,
            )
        )
        previous = evaluation
    entries.reverse()
    return entries
