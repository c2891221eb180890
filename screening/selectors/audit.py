"""The audit trail of one candidate: every data change (django-simple-history) and every action.

Rows come from the historical tables of the candidate and of its lab
results, lesions, pregnancy tests and primary endpoint (6-month DFS; a
deleted child row keeps its history), plus the ``AuditEvent`` rows (sign,
enrol, close, rescreen, exports). De-identified (for monitors), the values of
identifying fields and free-text outcome reasons read "(withheld)" and record
digests are left out. Each
field change is one row: who, when, record, field, old → new, reason; a
created or deleted record is one row listing all its values.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from screening import vocabulary
from screening.models import AuditEvent, Candidate, EndpointAssessment, LabResult, Lesion, PregnancyTest
from screening.readable import code_label, shown

__all__ = ["AuditRow", "audit_trail", "shown", "study_audit_trail"]

# Internal bookkeeping, not data: never shown in the trail.
HIDDEN_FIELDS = {"id", "candidate", "position", "version", "created_at", "updated_at", "updated_by"}
HISTORY_TYPES = {"+": "created", "~": "changed", "-": "deleted"}
HIDDEN_DETAILS = {"evaluation", "signature"}  # ids kept in AuditEvent.details, not shown
# De-identified trails: identifying values withheld; digests of identified data (brute-forceable) dropped.
WITHHELD = gettext_noop("(withheld)")
IDENTIFYING_FIELDS = {"initials", "date_of_birth", "state_reason"}
IDENTIFYING_DETAILS = {"sha256", "reason", "override_reason", "address"}


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


def _record_label(historical):
    model = historical.instance_type
    if model is Candidate:
        return _("Candidate")

    def code(name):
        return code_label(getattr(historical, name), model._meta.get_field(name))

    if model is LabResult:
        return _("Lab result %(test)s (%(date)s)") % {"test": code("test"), "date": f"{historical.collected:%Y-%m-%d}"}
    if model is EndpointAssessment:
        return _("Primary endpoint (6-month DFS)")
    if model is Lesion:
        label = _("Lesion %(kind)s %(method)s") % {"kind": code("kind"), "method": code("method")}
        return label + (f" — {historical.site}" if historical.site else "")
    return _("Pregnancy test %(specimen)s (%(date)s)") % {"specimen": code("specimen"),
                                                           "date": shown(historical.collected)}


def detail_name(key):
    """An AuditEvent detail key as a word ("subject_number" -> "subject number")."""
    word = vocabulary.AUDIT_DETAIL.get(key)
    return str(word) if word is not None else key.replace("_", " ")


# Fields whose value reads with the row's unit ("48 U/L"), and fields holding a unit or a code.
WITH_UNIT = {LabResult: {"value", "uln"}}
CODES = {"unit"}


def _readable(model, field, value, version):
    """The value of ``field`` in one historical version (``version``: that row, or None) as people read it."""
    if value is None or value == "":
        return ""
    if field.choices or field.name in CODES:
        return code_label(value, field)
    text = shown(value)
    if version is not None and field.name in WITH_UNIT.get(model, ()):
        text = f"{text} {code_label(version.unit)}"
    return text


def _fields(model):
    return [field for field in model.history.model.tracked_fields if field.name not in HIDDEN_FIELDS]


def _related_names(records, users):
    """Readable values for the foreign keys kept in the trail (closed_by, rescreen_of)."""
    candidate_ids = {getattr(record, "rescreen_of_id", None) for record in records} - {None}
    user_ids = {getattr(record, "closed_by_id", None) for record in records} - {None} - set(users)
    numbers = dict(Candidate.objects.filter(pk__in=candidate_ids).values_list("pk", "screening_number"))
    users.update(get_user_model().objects.filter(pk__in=user_ids).in_bulk())
    return {"rescreen_of": numbers, "closed_by": {pk: user.get_username() for pk, user in users.items()}}


def _withheld(value):
    return _(WITHHELD) if value else ""


def _rows_for(records, users, deidentified=False):
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
                model = record.instance_type
                old = _readable(model, field, old, before if record.history_type != "-" else record)
                new = _readable(model, field, new, record)
                if deidentified and field.name in IDENTIFYING_FIELDS:
                    old, new = _withheld(old), _withheld(new)
                changes.append((str(field.verbose_name), old, new))
        if deidentified and any(field.name in IDENTIFYING_FIELDS and getattr(record, field.attname) != (
                getattr(before, field.attname) if before is not None else None) for field in fields):
            common["reason"] = _withheld(common["reason"])  # a closure's reason for change quotes its reason
        if action == "changed":  # one row per field; a change of hidden fields only is no row
            rows += [AuditRow(field=field, old=old, new=new, **common) for field, old, new in changes]
        else:  # created / deleted: one row with every value
            values = "; ".join(f"{field}: {new or old}" for field, old, new in changes)
            rows.append(AuditRow(field="", old=values if action == "deleted" else "",
                                 new=values if action == "created" else "", **common))
        previous[record.id] = record
    return rows


def _event_row(event, *, record, deidentified):
    hidden = HIDDEN_DETAILS | (IDENTIFYING_DETAILS if deidentified else set())
    details = {key: value for key, value in event.details.items() if key not in hidden}
    reason = details.pop("reason", "") or details.pop("override_reason", "") or ""
    if deidentified and (event.details.get("reason") or event.details.get("override_reason")):
        reason = _(WITHHELD)
    return AuditRow(
        at=event.at,
        user=event.user.get_username() if event.user else _("system"),
        record=record,
        action=event.action,
        field="",
        old="",
        new="; ".join(f"{detail_name(key)}: {shown(value)}" for key, value in sorted(details.items())),
        reason=reason,
    )


def _event_rows(candidate, deidentified=False):
    events = AuditEvent.objects.filter(candidate=candidate).select_related("user")
    return [_event_row(event, record=_("Candidate"), deidentified=deidentified) for event in events]


def audit_trail(candidate, *, deidentified=False):
    """All audit rows of the candidate, oldest first."""
    users = {}
    rows = []
    rows += _rows_for(candidate.history.select_related("history_user", "updated_by"), users, deidentified)
    for model in (LabResult, Lesion, PregnancyTest, EndpointAssessment):
        rows += _rows_for(model.history.filter(candidate_id=candidate.pk).select_related("history_user"), users,
                          deidentified)
    rows += _event_rows(candidate, deidentified)
    return sorted(rows, key=lambda row: row.at)


def study_audit_trail(*, deidentified=False):
    """(screening number, row) for every candidate's trail, candidate by candidate, then the actions
    not tied to a candidate (exports, password lockouts): a generator, for a streamed file."""
    for candidate in Candidate.objects.order_by("screening_date", "id").iterator(chunk_size=100):
        for row in audit_trail(candidate, deidentified=deidentified):
            yield candidate.screening_number, row
    for event in AuditEvent.objects.filter(candidate__isnull=True).select_related("user").order_by("at", "id"):
        yield "", _event_row(event, record=_("Study"), deidentified=deidentified)
