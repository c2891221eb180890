"""Read side of the evaluation history: snapshots newest first, and what changed between two (the inputs,
with units and ULN multiples, then the verdicts)."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from screening import interchange, verdicts
from screening.eligibility import ratio
from screening.interchange import value_at
from screening.models import Candidate, Evaluation, Signature
from screening.readable import code_label, field_label, number, shown
from screening.selectors.signoff import signature_state


@dataclass(frozen=True)
class InputChange:
    """One input that differs between two evaluations, as a sentence ("AST 48 → 52 U/L (1.2 → 1.3 × ULN)")."""

    what: str
    text: str

    def __str__(self):
        return f"{self.what} {self.text}"


def _scalar(model, name, value):
    field = model._meta.get_field(name)
    if field.choices:
        return code_label(value, field)
    amount = number(value) if not isinstance(value, str) or field.get_internal_type() == "DecimalField" else None
    return shown(amount if amount is not None else value) or "—"


def _arrow(old, new):
    return old if old == new else f"{old} → {new}"


def _lab_text(old, new):
    """"48 → 52 U/L (1.2 → 1.3 × ULN)"; "added: 52 U/L …", "removed: …"; ULN and date changes named."""
    def side(lab):
        value, uln = number(lab.get("value")), number(lab.get("uln"))
        unit = code_label(lab.get("unit"))
        multiple = ratio(value, uln) if value is not None and uln else None
        return shown(value) if value is not None else "—", unit, shown(uln) if uln is not None else "", multiple

    if old is None or new is None:
        value, unit, uln, multiple = side(new or old)
        text = f"{value} {unit}" + (f" ({multiple} × ULN {uln})" if multiple else "")
        text += " · " + _("collected %(date)s") % {"date": (new or old).get("collected") or "—"}
        return (_("added: %(lab)s") if old is None else _("removed: %(lab)s")) % {"lab": text}
    (old_value, old_unit, old_uln, old_multiple), (new_value, new_unit, new_uln, new_multiple) = side(old), side(new)
    if old_unit == new_unit:
        text = f"{_arrow(old_value, new_value)} {new_unit}"
    else:
        text = f"{old_value} {old_unit} → {new_value} {new_unit}"
    if old_uln != new_uln:
        text += ", " + _("ULN %(uln)s") % {"uln": _arrow(old_uln or "—", new_uln or "—")}
    if old_multiple or new_multiple:
        text += f" ({_arrow(old_multiple or '—', new_multiple or '—')} × ULN)"
    if old.get("collected") != new.get("collected"):
        text += " · " + _("collected %(date)s") % {"date": _arrow(old.get("collected") or "—", new.get("collected") or "—")}
    return text


def _paired(older, newer, key):
    """Rows of a list (labs by test, others by position): [(name, number in its group, old, new)]."""
    def groups(record):
        grouped = {}
        for row in record.get(key) or []:
            grouped.setdefault(row.get("test") if key == "labs" else "", []).append(row)
        return grouped

    old_groups, new_groups = groups(older), groups(newer)
    pairs = []
    for name in [*new_groups, *(name for name in old_groups if name not in new_groups)]:
        old_rows, new_rows = old_groups.get(name, []), new_groups.get(name, [])
        for index in range(max(len(old_rows), len(new_rows))):
            pairs.append((name, index, old_rows[index] if index < len(old_rows) else None,
                          new_rows[index] if index < len(new_rows) else None))
    return pairs


def input_changes(older, newer):
    """Every input that differs between two interchange records, in the form's order: the candidate's
    fields, then lab results (value with unit and ULN multiple), lesions and pregnancy tests."""
    changes = []
    for field in interchange.RECORDED:
        old, new = (_scalar(Candidate, field.name, value_at(record, field.path)) for record in (older, newer))
        if old != new:
            changes.append(InputChange(field_label(Candidate, field.name), f"{old} → {new}"))
    for rows in interchange.ROWS:
        key, model, fields = rows.key, rows.model, rows.names
        for name, index, old, new in _paired(older, newer, key):
            if old == new:
                continue
            if key == "labs":
                test = code_label(name, model._meta.get_field("test"))
                what = test if index == 0 else f"{test} ({index + 1})"
                changes.append(InputChange(what, _lab_text(old, new)))
                continue
            what = f"{model._meta.verbose_name} {index + 1}".capitalize()
            if old is None or new is None:
                changes.append(InputChange(what, _("added") if old is None else _("removed")))
                continue
            for field in fields:
                before, after = _scalar(model, field, old.get(field)), _scalar(model, field, new.get(field))
                if before != after:
                    changes.append(InputChange(what, f"{field_label(model, field).lower()}: {before} → {after}"))
    return changes


@dataclass(frozen=True)
class Change:
    what: str  # a criterion id, or "outcome"
    old: str
    new: str

    def __str__(self):
        what = _("outcome") if self.what == "outcome" else self.what
        return f"{what}: {verdicts.status_word(self.old)} → {verdicts.status_word(self.new)}"


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


def compare(older, newer):
    """{"inputs": [InputChange], "verdicts": [Change], "text": the verdicts in a sentence}."""
    changes = diff_evaluations(older, newer)
    return {"inputs": input_changes(older.input, newer.input), "verdicts": changes, "text": describe(changes)}


def describe(changes):
    """"platelets: fail → pass; outcome: ineligible → eligible" (or "no change in any verdict")."""
    return "; ".join(str(change) for change in changes) or _("no change in any verdict")


@dataclass
class HistoryEntry:
    evaluation: Evaluation
    changes: list  # verdicts, against the previous evaluation; None for the first one
    signatures: list
    current: bool
    inputs: list = ()  # the inputs that changed since the previous evaluation (InputChange)

    @property
    def signature_state(self):
        """The state of this evaluation's signatures: signed if it is the current one, else superseded."""
        return signature_state(current=self.current)


def evaluation_history(candidate):
    """The candidate's evaluations newest first, each with its changes against the one before it (the inputs
    that changed, then the verdicts)."""
    evaluations = list(
        Evaluation.objects.filter(candidate=candidate).select_related("created_by").order_by("created_at", "id")
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
                inputs=[] if previous is None else input_changes(previous.input, evaluation.input),
                signatures=signatures.get(evaluation.pk, []),
                current=evaluation.pk == candidate.latest_evaluation_id,
            )
        )
        previous = evaluation
    entries.reverse()
    return entries
