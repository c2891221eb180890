"""The audit trail of one candidate: every data change (django-simple-history) and every action.

Rows come from the historical tables of the candidate and of its lab
results, lesions and pregnancy tests (a deleted child row keeps its history),
plus the ``AuditEvent`` rows (sign, enrol, close, rescreen, exports). Each
field change is one row: who, when, record, field, old → new, reason; a
created or deleted record is one row listing all its values.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _

from screening import vocabulary
from screening.models import AuditEvent, Candidate, LabResult, Lesion, PregnancyTest, plain_decimal

# Internal bookkeeping, not data: never shown in the trail.
HIDDEN_FIELDS = {"id", "candidate", "position", "version", "created_at", "updated_at", "updated_by"}
HISTORY_TYPES = {"+": "created", "~": "changed", "-": "deleted"}
HIDDEN_DETAILS = {"evaluation", "signature"}  # ids kept in AuditEvent.details, not shown


@dataclass(frozen=True)
class AuditRow:
    at: datetime.datetime
    user: str
    record: str
    action: str  # created / changed / deleted, or an AuditEvent action (sign, enrol, ...)
    field: str
    old: str
    new: str
    reason: str


def shown(value):
    """A value as people read it: ISO dates, local times, plain decimals, yes/no, "" for empty."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, Decimal):
        return str(plain_decimal(value))
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _record_label(historical):
    model = historical.instance_type
    if model is Candidate:
        return _("Candidate")
    if model is LabResult:
        return _("Lab result %(test)s (%(date)s)") % {"test": historical.test, "date": f"{historical.collected:%Y-%m-%d}"}
    if model is Lesion:
        label = _("Lesion %(kind)s %(method)s") % {"kind": historical.kind, "method": historical.method}
        return label + (f" — {historical.site}" if historical.site else "")
    return _("Pregnancy test %(specimen)s (%(date)s)") % {"specimen": historical.specimen,
                                                           "date": shown(historical.collected)}


def detail_name(key):
    """An AuditEvent detail key as a word ("subject_number" -> "subject number")."""
    word = vocabulary.AUDIT_DETAIL.get(key)
    return str(word) if word is not None else key.replace("_", " ")


def _fields(model):
    return [field for field in model.history.model.tracked_fields if field.name not in HIDDEN_FIELDS]


def _related_names(records, users):
    """Readable values for the foreign keys kept in the trail (closed_by, rescreen_of)."""
    candidate_ids = {getattr(record, "rescreen_of_id", None) for record in records} - {None}
    user_ids = {getattr(record, "closed_by_id", None) for record in records} - {None} - set(users)
    numbers = dict(Candidate.objects.filter(pk__in=candidate_ids).values_list("pk", "screening_number"))
    users.update(get_user_model().objects.filter(pk__in=user_ids).in_bulk())
    return {"rescreen_of": numbers, "closed_by": {pk: user.get_username() for pk, user in users.items()}}


def _rows_for(records, users):
    """Field-level rows from one model's historical records (any number of objects), oldest first."""
    records = sorted(records, key=lambda record: (record.history_date, record.history_id))
    if not records:
        return []
    fields = _fields(records[0].instance_type)
    names = _related_names(records, users)
    previous = {}
    rows = []
    for record in records:
        before = previous.get(record.id)
        action = HISTORY_TYPES[record.history_type]
        user = record.history_user or getattr(record, "updated_by", None)
        common = {
            "at": record.history_date,
            "user": user.get_username() if user else _("system"),
            "record": _record_label(record),
            "action": action,
            "reason": record.history_change_reason or "",
        }
        changes = []
        for field in fields:
            old = getattr(before, field.attname) if before is not None else None
            new = getattr(record, field.attname) if record.history_type != "-" else None
            if record.history_type == "-":
                old = getattr(record, field.attname)
            if old == new:
                continue
            if field.name in names:
                old, new = names[field.name].get(old, old), names[field.name].get(new, new)
            if shown(old) != shown(new):  # None -> "" is no change to a reader
                changes.append((field.verbose_name, shown(old), shown(new)))
        if action == "changed" and changes:
            rows += [AuditRow(field=field, old=old, new=new, **common) for field, old, new in changes]
        else:  # created / deleted: one row with every value; or a change of hidden fields only
            values = "; ".join(f"{field}: {new or old}" for field, old, new in changes)
            rows.append(AuditRow(field="", old=values if action == "deleted" else "",
                                 new=values if action == "created" else "", **common))
        previous[record.id] = record
    return rows


def _event_rows(candidate):
    rows = []
    for event in AuditEvent.objects.filter(candidate=candidate).select_related("user"):
        details = {key: value for key, value in event.details.items() if key not in HIDDEN_DETAILS}
        reason = details.pop("reason", "") or details.pop("override_reason", "") or ""
        rows.append(
            AuditRow(
                at=event.at,
                user=event.user.get_username() if event.user else _("system"),
                record=_("Candidate"),
                action=event.action,
                field="",
                old="",
                new="; ".join(f"{detail_name(key)}: {shown(value)}" for key, value in sorted(details.items())),
                reason=reason,
            )
        )
    return rows


def audit_trail(candidate):
    """All audit rows of the candidate, oldest first."""
    users = {}
    rows = []
    rows += _rows_for(candidate.history.select_related("history_user", "updated_by"), users)
    for model in (LabResult, Lesion, PregnancyTest):
        rows += _rows_for(model.history.filter(candidate_id=candidate.pk).select_related("history_user"), users)
    rows += _event_rows(candidate)
    return sorted(rows, key=lambda row: row.at)
