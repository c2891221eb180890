"""Read side of the protocol versions: their criteria and parameters as tables, the difference between two
versions, and an amendment's impact on the candidates still in screening (computed, never stored)."""

from dataclasses import dataclass, field
from decimal import Decimal

from screening import interchange, protocols, verdicts, vocabulary
from screening.eligibility import InvalidRecord
from screening.models import Candidate, Evaluation, plain_decimal
from screening.selectors.history import Change, diff_evaluations
from screening.services.candidates import criteria_rows, evaluate_stored

# The definition file's top-level settings shown and compared (besides the criteria).
SETTINGS = ("trial", "effective_from", "site_timezone", "lab_window_days")


def shown(value):
    """A parameter value as text: exact decimals without trailing zeros, lists comma-separated, dates ISO."""
    if value is None:
        return "—"
    if isinstance(value, Decimal):
        return str(plain_decimal(value))
    if isinstance(value, (tuple, list)):
        return ", ".join(map(str, value))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def parameter_name(name):
    """A setting or parameter key as a word in the reader's language ("window_hours" -> "window (hours)")."""
    word = vocabulary.PARAMETER.get(name)
    return str(word) if word is not None else name.replace("_", " ")


@dataclass(frozen=True)
class VersionSummary:
    protocol: object
    in_force: bool
    effective_until: object  # the day before the next version takes effect, or None
    criteria: list  # [(criterion, [(parameter key, readable name, value text)])]

    @property
    def settings(self):
        return [(key, parameter_name(key), shown(getattr(self.protocol, key))) for key in SETTINGS]


def protocol_versions():
    """Every registered version, newest first, each with its criteria and parameters."""
    versions = protocols.registry().all()
    current = protocols.in_force()
    summaries = []
    for index, protocol in enumerate(versions):
        following = versions[index + 1] if index + 1 < len(versions) else None
        summaries.append(VersionSummary(
            protocol=protocol,
            in_force=protocol is current,
            effective_until=following.effective_from if following else None,
            criteria=[
                (criterion, [(key, parameter_name(key), shown(value)) for key, value in criterion.params.items()])
                for criterion in protocol.criteria
            ],
        ))
    return summaries[::-1]


@dataclass(frozen=True)
class ParameterChange:
    name: str
    old: str
    new: str


@dataclass(frozen=True)
class CriterionChange:
    id: str
    old_label: str
    new_label: str
    parameters: list


@dataclass
class ProtocolDiff:
    older: object
    newer: object
    settings: list = field(default_factory=list)  # [ParameterChange]
    added: list = field(default_factory=list)  # [Criterion]
    removed: list = field(default_factory=list)  # [Criterion]
    changed: list = field(default_factory=list)  # [CriterionChange]
    reordered: bool = False

    @property
    def identical(self):
        return not (self.settings or self.added or self.removed or self.changed or self.reordered)


def protocol_diff(older, newer):
    """What ``newer`` changes against ``older``: settings, criteria added or removed, parameter by parameter."""
    diff = ProtocolDiff(older, newer)
    for key in SETTINGS:
        if getattr(older, key) != getattr(newer, key):
            diff.settings.append(ParameterChange(key, shown(getattr(older, key)), shown(getattr(newer, key))))
    old_criteria = {criterion.id: criterion for criterion in older.criteria}
    new_criteria = {criterion.id: criterion for criterion in newer.criteria}
    diff.added = [criterion for criterion in newer.criteria if criterion.id not in old_criteria]
    diff.removed = [criterion for criterion in older.criteria if criterion.id not in new_criteria]
    for criterion in newer.criteria:
        before = old_criteria.get(criterion.id)
        if before is None or before.params == criterion.params:
            continue
        names = list(before.params) + [name for name in criterion.params if name not in before.params]
        diff.changed.append(CriterionChange(criterion.id, verdicts.label(before), verdicts.label(criterion), [
            ParameterChange(name, shown(before.params.get(name)), shown(criterion.params.get(name)))
            for name in names if before.params.get(name) != criterion.params.get(name)
        ]))
    kept_old = [cid for cid in old_criteria if cid in new_criteria]
    kept_new = [cid for cid in new_criteria if cid in old_criteria]
    diff.reordered = kept_old != kept_new
    return diff


# --- amendment impact ---------------------------------------------------------------

@dataclass
class ImpactRow:
    candidate: Candidate
    before: Evaluation
    after: Evaluation | None = None  # unsaved: what the evaluation under the new version would be
    changes: list = field(default_factory=list)  # [Change] criteria (then outcome) whose status would change
    invalid: InvalidRecord | None = None  # the stored data cannot be evaluated under the new version

    @property
    def criterion_changes(self):
        return [change for change in self.changes if change.what != "outcome"]

    @property
    def outcome_after(self):
        return self.after.outcome if self.after is not None else None

    @property
    def verdict_changes(self):
        return bool(self.changes) or self.invalid is not None

    @property
    def error(self):
        """Why the stored data cannot be evaluated under the new version, in English ("" when it can)."""
        return str(self.invalid) if self.invalid is not None else ""

    def as_json(self):
        return {
            "screening_number": self.candidate.screening_number,
            "evaluated_under": self.before.protocol_version,
            "outcome_before": self.before.outcome,
            "outcome_after": self.outcome_after,
            "criteria": [{"id": change.what, "before": change.old, "after": change.new}
                         for change in self.criterion_changes],
            **({"error": self.error} if self.error else {}),
        }


def last_evaluated_under_another_version(evaluation, protocol):
    if evaluation.protocol_version != protocol.version:
        return True
    return bool(evaluation.protocol_sha256) and evaluation.protocol_sha256 != protocol.sha256


def candidates_to_reevaluate(protocol, *, with_data=True):
    """Candidates still in screening whose latest evaluation was under another version than ``protocol``; with
    their rows for re-evaluating them, or (``with_data=False``, for lists) only the columns that decide it."""
    candidates = (Candidate.objects.filter(state=Candidate.State.SCREENING, latest_evaluation__isnull=False)
                  .select_related("latest_evaluation").order_by("screening_number"))
    if with_data:
        candidates = candidates.prefetch_related(*interchange.ROWS_BY_RELATED_NAME)
    else:
        candidates = candidates.only("screening_number", "state", "latest_evaluation__protocol_version",
                                     "latest_evaluation__protocol_sha256")
    return [candidate for candidate in candidates
            if last_evaluated_under_another_version(candidate.latest_evaluation, protocol)]


def would_be(candidate, protocol):
    """The unsaved Evaluation ``candidate`` would get under ``protocol`` (``InvalidRecord`` if it cannot)."""
    _, evaluation = evaluate_stored(candidate, protocol)
    return Evaluation(candidate=candidate, protocol_version=evaluation.protocol_version,
                      protocol_sha256=evaluation.protocol_sha256, outcome=str(evaluation.outcome.value),
                      criteria=criteria_rows(evaluation))


def amendment_impact(protocol=None):
    """Each candidate in screening last evaluated under another version, with what ``protocol`` (default: the
    version in force today) would change: criteria before → after, outcome before → after. Stores nothing."""
    protocol = protocol or protocols.in_force()
    rows = []
    for candidate in candidates_to_reevaluate(protocol):
        row = ImpactRow(candidate=candidate, before=candidate.latest_evaluation)
        try:
            row.after = would_be(candidate, protocol)
        except InvalidRecord as error:
            row.invalid = error
        else:
            row.changes = diff_evaluations(row.before, row.after)
        rows.append(row)
    rows.sort(key=lambda row: not row.verdict_changes)  # the ones that change first (stable: by number)
    return rows


def impact_json(protocol, rows):
    """What ``manage.py amendment_impact`` prints."""
    return {
        "protocol_version": protocol.version,
        "protocol_sha256": protocol.sha256,
        "effective_from": protocol.effective_from.isoformat(),
        "candidates": [row.as_json() for row in rows],
        "verdict_changes": sum(row.verdict_changes for row in rows),
    }


__all__ = ["Change", "amendment_impact", "impact_json", "protocol_diff", "protocol_versions"]
