"""Writes for candidates: save the data, store a new evaluation, all in one transaction.

Every way in (the web form, ``evaluate_candidates --save``, the demo seed)
hands over the engine's JSON interchange record, so a value the engine would
refuse is refused here with the engine's own message, naming the field. The
record is read into the models (and back) by ``screening.interchange``.
"""

import hashlib
import json

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from screening import criterion_ids, eligibility, interchange, protocols
from screening.eligibility import InvalidRecord
from screening.interchange import engine_record
from screening.models import Candidate, Evaluation, mark_change
from screening.services.refusals import ReasonRequired, StaleCandidate
from screening.validators import validate_initials, validate_screening_number

def canonical_json(value):
    return json.dumps(value, cls=DjangoJSONEncoder, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def sha256_of(value):
    return hashlib.sha256(canonical_json(value).encode()).hexdigest()


def _full_clean(instance, path_of, exclude=()):
    try:
        instance.full_clean(exclude=list(exclude), validate_unique=False)
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise InvalidRecord(path_of(field), "; ".join(messages)) from None


def _sync_children(candidate, rows, entries, reason, user):
    """Update rows in place so the audit trail shows field changes, not delete + insert.

    Entries carrying an ``id`` (the web formset) are matched by id; entries
    without ids (a JSON file) are matched by position.
    """
    existing = list(getattr(candidate, rows.related_name).all())
    by_id = {row.pk: row for row in existing}
    use_ids = any(entry.get("id") for entry in entries)
    kept = set()
    for position, entry in enumerate(entries):
        path = f"{rows.key}[{position}]"
        if use_ids:
            row = by_id.get(entry.get("id"))
        else:
            row = existing[position] if position < len(existing) else None
        if row is None:
            row = rows.model(candidate=candidate)
        changed = row.pk is None or row.position != position
        row.position = position
        for field_name, value in interchange.row_values(rows, entry, path):
            if getattr(row, field_name) != value:
                changed = True
                setattr(row, field_name, value)
        _full_clean(row, lambda field, path=path: f"{path}.{field}", exclude=["candidate"])
        if changed:
            mark_change(row, reason=reason, user=user)
            row.save()
        kept.add(row.pk)
    for row in existing:
        if row.pk not in kept:
            mark_change(row, reason=reason, user=user)
            row.delete()


def _check(validator, path, value):
    """A candidate field's own validator (``screening.validators``), its refusal naming ``path``."""
    try:
        validator(value)
    except ValidationError as error:
        raise InvalidRecord(path, "; ".join(error.messages)) from None


def refuse_nul(value, path=""):
    """InvalidRecord for a NUL character anywhere in the record (PostgreSQL cannot store one in text)."""
    if isinstance(value, str) and "\x00" in value:
        raise InvalidRecord(path or "record", _("contains a NUL character (U+0000)"))
    if isinstance(value, dict):
        for key, item in value.items():
            refuse_nul(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            refuse_nul(item, f"{path}[{index}]")


def _new_candidate(number):
    """An unsaved Candidate; InvalidRecord if the number is taken in another case (unique ignoring case)."""
    existing = Candidate.objects.filter(screening_number__iexact=number).values_list("screening_number", flat=True)
    if existing:
        raise InvalidRecord(
            "screening_number", _("%(number)s is already in use as %(existing)s (unique ignoring case)")
            % {"number": repr(number), "existing": existing[0]}
        )
    return Candidate(screening_number=number)


def _insert(candidate):
    """Save a new candidate; a simultaneous save of the same number (a double click) is a clear refusal."""
    try:
        with transaction.atomic():  # a savepoint: the refusal rolls back the whole save, no 500
            candidate.save()
    except IntegrityError:
        raise InvalidRecord(
            "screening_number",
            _("%(number)s was saved a moment ago (by another request): open it from the candidate list.")
            % {"number": candidate.screening_number},
        ) from None


def needs_reason(candidate):
    """True when a change needs a reason: the candidate has a signed evaluation or is closed."""
    if candidate.pk is None:
        return False
    return candidate.is_closed or Evaluation.objects.filter(candidate=candidate, signatures__isnull=False).exists()


def save_candidate(*, record, user=None, reason="", expected_version=None, protocol=None):
    """Create or update the candidate ``record["screening_number"]`` and evaluate it.

    ``record`` is an interchange record (spec section 4); lab, lesion and
    pregnancy-test entries may carry the ``id`` of an existing row.
    ``protocol`` defaults to the version the candidate is evaluated under
    (``screening.protocols.for_candidate``). Raises ``InvalidRecord`` (naming
    the field), ``StaleCandidate``, ``ReasonRequired`` or ``ProtocolError``; on
    any error nothing is saved. Returns the new ``Evaluation``.
    """
    refuse_nul(record)
    # The engine's validation, whole record, before anything is written.
    site_timezone = (protocol or protocols.in_force()).site_timezone
    eligibility.parse_candidate(engine_record(record), site_timezone=site_timezone)
    _check(validate_screening_number, "screening_number", record["screening_number"])
    initials = record.get("initials") or ""
    if isinstance(initials, str):
        initials = initials.strip().upper()
    if initials:
        _check(validate_initials, "initials", initials)

    with transaction.atomic():
        candidate = (
            Candidate.objects.select_for_update().filter(screening_number=record["screening_number"]).first()
            or _new_candidate(record["screening_number"])
        )
        protocol = protocol or protocols.for_candidate(candidate)
        if protocol.site_timezone != site_timezone:  # a closed candidate's older version
            eligibility.parse_candidate(engine_record(record), site_timezone=protocol.site_timezone)
        if expected_version is not None and candidate.pk is not None and candidate.version != expected_version:
            raise StaleCandidate(candidate)
        if needs_reason(candidate) and not reason.strip():
            raise ReasonRequired(
                _("%(number)s has a signed evaluation or is closed: give a reason for the change.")
                % {"number": candidate.screening_number}
            )
        if "initials" in record:
            candidate.initials = initials
        interchange.apply(candidate, record)
        _full_clean(candidate, lambda field: field)
        now = timezone.now()
        if candidate.pk is None:
            candidate.created_at = now
        else:
            candidate.version += 1
        candidate.updated_at = now
        candidate.updated_by = user if user and user.is_authenticated else None
        mark_change(candidate, reason=reason.strip() or None, user=candidate.updated_by)
        if candidate.pk is None:
            _insert(candidate)
        else:
            candidate.save()
        for rows in interchange.ROWS:
            _sync_children(candidate, rows, record.get(rows.key) or [], reason.strip() or None, candidate.updated_by)
        return record_evaluation(candidate=candidate, user=user, protocol=protocol)


def stored_record(candidate):
    """The candidate's interchange record as stored, in JSON values (what its evaluations are computed from)."""
    return json.loads(canonical_json(candidate.to_record()))


def criteria_rows(evaluation):
    """The engine's rows as stored: English words plus the structured facts (rendered later in any language)."""
    return [
        {
            "id": row.id,
            "label": row.label,
            "status": str(row.status.value),
            "detail": row.detail,
            "notes": list(row.notes),
            "label_fact": row.label_fact.as_json() if row.label_fact else None,
            "facts": [fact.as_json() for fact in row.facts],
            "note_facts": [fact.as_json() for fact in row.note_facts],
        }
        for row in evaluation.criteria
    ]


def evaluate_stored(candidate, protocol):
    """The engine's verdict on the candidate as stored, under ``protocol`` (nothing written)."""
    record = stored_record(candidate)
    return record, eligibility.evaluate(
        eligibility.parse_candidate(record, site_timezone=protocol.site_timezone), protocol
    )


def record_evaluation(*, candidate, user=None, protocol=None):
    """Evaluate the candidate as stored and keep an immutable snapshot of input, verdicts and protocol."""
    protocol = protocol or protocols.for_candidate(candidate)
    record, evaluation = evaluate_stored(candidate, protocol)
    criteria = criteria_rows(evaluation)
    snapshot = Evaluation.objects.create(
        candidate=candidate,
        created_by=user if user and user.is_authenticated else None,
        protocol_version=evaluation.protocol_version,
        protocol_sha256=evaluation.protocol_sha256,
        outcome=str(evaluation.outcome.value),
        criteria=criteria,
        input=record,
        input_sha256=sha256_of(record),
        failing=ids_with_status(criteria, "fail"),
        missing=ids_with_status(criteria, "missing"),
    )
    # A queryset update: the pointer to the latest snapshot is not a data change for the audit trail.
    Candidate.objects.filter(pk=candidate.pk).update(latest_evaluation=snapshot)
    candidate.latest_evaluation = snapshot
    return snapshot


def ids_with_status(criteria, status):
    return criterion_ids.encode(row["id"] for row in criteria if row["status"] == status)
