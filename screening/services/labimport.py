"""Lab import: what a source file would change (``build_plan``) and applying it (``apply_import``).

Every mapped row is validated by the engine's own ``parse_candidate`` (the path the form and
``evaluate_candidates --save`` take) and by the database fields' own checks, so an imported result
obeys exactly the rules of a typed one. Applying goes through ``save_candidate``: one transaction, a
new evaluation, any signature superseded, the audit trail saying where the values came from.
"""

import hashlib
import json
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from screening import eligibility, interchange
from screening.eligibility import InvalidRecord
from screening.labimport import readers, storage
from screening.labimport.headers import header_key
from screening.labimport.mapping import MappedRow, map_row
from screening.labimport.problems import _
from screening.labimport.values import Rejected
from screening.models import (
    ULN_FROM_REPORT, AuditEvent, Candidate, ImportedRow, LabImport, LabResult, LabTestMapping, PregnancyTest,
    plain_decimal,
)
from screening.interchange import engine_record
from screening.services.candidates import canonical_json, needs_reason, save_candidate
from screening.services.refusals import PlanChanged, ReasonRequired, StaleCandidate

UnreadableFile = readers.UnreadableFile


@dataclass
class Plan:
    candidate: Candidate
    format: str
    sha256: str
    file_name: str
    rows: list
    before: object                  # the engine's Evaluation of the candidate as stored
    after: object = None            # ... with the rows to add; None when that record is not valid
    after_error: InvalidRecord | None = None  # why the record with the rows added cannot be evaluated
    version: int = 0
    changed: list = field(default_factory=list)  # [{"id", "label", "before", "after"}]

    @property
    def adds(self):
        return [row for row in self.rows if row.action == "add"]

    def count(self, action):
        return sum(1 for row in self.rows if row.action == action)

    def checklist(self):
        """[(criterion before, the same criterion after or None, changed?)] in protocol order."""
        after = {row.id: row for row in self.after.criteria} if self.after else {}
        changed = {row["id"] for row in self.changed}
        return [(row, after.get(row.id), row.id in changed) for row in self.before.criteria]

    @property
    def digest(self):
        """What the user reviewed: the candidate's version and every row's reading and action."""
        rows = [row_json(row) for row in self.rows]
        text = canonical_json({"version": self.version, "sha256": self.sha256, "rows": rows})
        return hashlib.sha256(text.encode()).hexdigest()

    def as_dict(self, *, applied):
        """The ``import_labs`` output (lab-import.md section 4)."""
        return {
            "candidate": self.candidate.screening_number,
            "source_sha256": self.sha256,
            "format": self.format,
            "rows": [row_json(row) for row in self.rows],
            "outcome_before": str(self.before.outcome.value),
            "outcome_after": str(self.after.outcome.value) if self.after else None,
            "changed_criteria": [{key: row[key] for key in ("id", "before", "after")} for row in self.changed],
            "applied": applied,
        }


def _text(value):
    if value is None:
        return None
    return str(plain_decimal(value)) if hasattr(value, "as_tuple") else str(value)


def row_json(row: MappedRow) -> dict:
    if row.kind == "pregnancy_test":
        return {"source": row.source, "kind": row.kind, "test": "pregnancy_test", "specimen": row.specimen,
                "result": row.result, "collected": row.instant.isoformat() if row.instant else None,
                "action": row.action, "reason": row.reason}
    return {"source": row.source, "kind": row.kind, "test": row.test, "value": _exact(row.value),
            "unit": row.unit, "uln": _exact(row.uln),
            "collected": row.collected.isoformat() if row.collected else None,
            "action": row.action, "reason": row.reason}


def _exact(value):
    """A Decimal exactly as read (``1.50`` stays ``1.50``); other readings as their text."""
    return None if value is None else str(value)


# --- the plan ---------------------------------------------------------------------

def mapping_lookup():
    """The LIS mapping table as a function: code or name -> Target, compared like headers."""
    table = {mapping.key: mapping.target() for mapping in LabTestMapping.objects.all()}
    return lambda name: table.get(header_key(name))


def stored_record(candidate):
    """The candidate's interchange record with row ids (and lesion sites), as ``save_candidate`` takes it; without
    initials, which the import leaves as they are."""
    record = interchange.save_record(candidate)
    del record["initials"]
    return record


def _evaluate(record):
    return eligibility.evaluate(eligibility.parse_candidate(engine_record(record)))


def _validate(row: MappedRow, candidate):
    """The engine's check of the entry (as typed data would get), then the database columns' own.

    (The table constraints — value >= 0, ULN > 0 — are the engine's rules too; ``save_candidate`` checks
    them again on apply. Checking them here would cost a query per row.)"""
    key = "pregnancy_tests" if row.kind == "pregnancy_test" else "labs"
    entry = row.entry()
    probe = {"screening_number": candidate.screening_number,
             "screening_date": candidate.screening_date.isoformat(), key: [entry]}
    try:
        eligibility.parse_candidate(probe)
    except InvalidRecord as error:
        name = error.field.rpartition(".")[2] if error.field.startswith(key) else error.field
        raise Rejected(_("{field}: {problem}"), field=name, problem=error) from None
    model = PregnancyTest if key == "pregnancy_tests" else LabResult
    instance = model(**{name: (row.instant if name == "collected" and key == "pregnancy_tests" else value)
                        for name, value in entry.items()})
    try:
        instance.clean_fields(exclude=["candidate", "position"])  # digits, decimal places, lengths
    except ValidationError as error:
        name, messages = next(iter(error.message_dict.items()))
        raise Rejected(_("{field}: {problem}"), field=name, problem="; ".join(messages)) from None


def _existing_keys(candidate):
    keys = set()
    for lab in candidate.lab_results.all():
        keys.add(("lab", lab.test, lab.collected, lab.value, lab.unit))
    for test in candidate.pregnancy_tests.all():
        keys.add(("pregnancy_test", test.specimen, test.result, test.collected))
    return keys


def build_plan(*, candidate, data, file_name):
    """Read ``data`` and decide every row against the candidate as stored; nothing is written.

    Raises ``UnreadableFile`` when the file as a whole cannot be read."""
    source = readers.read(data)
    lookup = mapping_lookup()
    zone = settings.TIME_ZONE  # the site's time zone (Asia/Shanghai), as the engine's
    seen = _existing_keys(candidate)
    rows = []
    for source_row in source.rows:
        row = map_row(source_row, lookup=lookup, site_zone=zone)
        if row.reason is None:
            try:
                _validate(row, candidate)
            except Rejected as rejection:
                row.reject(rejection)
        if row.reason is None:
            key = row.same_as()
            row.action = "duplicate" if key in seen else "add"
            seen.add(key)
        rows.append(row)
    record = stored_record(candidate)
    plan = Plan(candidate=candidate, format=source.format, sha256=storage.sha256_hex(data), file_name=file_name,
                rows=rows, before=_evaluate(record), version=candidate.version)
    try:
        plan.after = _evaluate(_with_adds(record, plan.adds))
    except InvalidRecord as error:
        plan.after_error = error
    if plan.after is not None:
        after = {row.id: row for row in plan.after.criteria}
        plan.changed = [
            {"id": row.id, "label": row.label, "before": str(row.status.value),
             "after": str(after[row.id].status.value)}
            for row in plan.before.criteria if row.id in after and after[row.id].status != row.status
        ]
    return plan


def _with_adds(record, adds):
    record = dict(record)
    for key, kind in ((interchange.LABS.key, "lab"), (interchange.PREGNANCY_TESTS.key, "pregnancy_test")):
        record[key] = list(record.get(key) or []) + [
            row.entry() | ({"uln_source": ULN_FROM_REPORT} if kind == "lab" and row.uln is not None else {})
            for row in adds if row.kind == kind  # the LIS export's reference range: the report's ULN
        ]
    return record


# --- applying ---------------------------------------------------------------------

def import_reason(*, file_name, sha256, reason=""):
    text = f"Imported from {file_name} (sha256 {sha256[:12]})"
    return f"{text}: {reason.strip()}" if reason.strip() else text


def apply_import(*, candidate, data, file_name, user, content_type="", reason="",
                 expected_version=None, expected_digest=None):
    """Store every ``add`` row of the file for ``candidate`` in one transaction, with provenance.

    Returns (plan, LabImport or None when there was nothing to add). Raises ``UnreadableFile``,
    ``StaleCandidate``, ``PlanChanged``, ``ReasonRequired`` or ``InvalidRecord``; then nothing is stored.
    """
    with transaction.atomic():
        locked = Candidate.objects.select_for_update().get(pk=candidate.pk)
        if expected_version is not None and locked.version != expected_version:
            raise StaleCandidate(locked)
        plan = build_plan(candidate=locked, data=data, file_name=file_name)
        if expected_digest is not None and plan.digest != expected_digest:
            raise PlanChanged(gettext("The rows changed since the preview (mapping table or data): review them again."))
        adds = plan.adds
        if not adds:
            return plan, None
        if needs_reason(locked) and not reason.strip():
            raise ReasonRequired(
                gettext("%(number)s has a signed evaluation or is closed: give a reason for the change.")
                % {"number": locked.screening_number}
            )
        if plan.after is None:
            raise plan.after_error
        counts = {key: getattr(locked, rows.related_name).count()
                  for key, rows in (("lab", interchange.LABS), ("pregnancy_test", interchange.PREGNANCY_TESTS))}
        why = import_reason(file_name=file_name, sha256=plan.sha256, reason=reason)
        evaluation = save_candidate(record=_with_adds(stored_record(locked), adds), user=user, reason=why,
                                    expected_version=locked.version)
        storage.keep(data)
        lab_import = LabImport.objects.create(
            candidate=locked, format=plan.format, file_name=file_name[:255], content_type=content_type[:100],
            size=len(data), sha256=plan.sha256, imported_by=user if user and user.is_authenticated else None,
            imported_at=timezone.now(), reason=reason.strip(), evaluation=evaluation,
        )
        _record_provenance(lab_import, locked, adds, counts)
        AuditEvent.objects.create(
            action="lab_import", user=lab_import.imported_by, candidate=locked,
            details={"file_name": file_name, "sha256": plan.sha256, "format": plan.format,
                     "added": len(adds), "duplicates": plan.count("duplicate"), "rejected": plan.count("rejected"),
                     "reason": why, "evaluation": evaluation.pk},
        )
        return plan, lab_import


def _record_provenance(lab_import, candidate, adds, counts):
    new_labs = list(candidate.lab_results.filter(position__gte=counts["lab"]).order_by("position"))
    new_tests = list(candidate.pregnancy_tests.filter(position__gte=counts["pregnancy_test"]).order_by("position"))
    provenance = []
    for kind, stored in (("lab", new_labs), ("pregnancy_test", new_tests)):
        rows = [row for row in adds if row.kind == kind]
        if len(rows) != len(stored):
            raise RuntimeError("imported rows and stored rows do not line up")
        for row, instance in zip(rows, stored):
            provenance.append(ImportedRow(
                lab_import=lab_import, locator=row.source[:100], entry=json.loads(canonical_json(row.entry())),
                lab_result=instance if kind == "lab" else None,
                pregnancy_test=instance if kind == "pregnancy_test" else None,
            ))
    ImportedRow.objects.bulk_create(provenance)
