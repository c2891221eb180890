"""The source items of a candidate: every field and every row a monitor can query or verify.

One catalog for queries, source-data verification, the candidate pages and
the exports. An item has a stable key (``ecog``, ``lab_results:12``), a label,
the value as people read it, where it came from, and a fingerprint of that
value: a verification mark holds the fingerprint of the value it verified, so
a changed value no longer matches and reads as unverified again. The label and
the value are in the reader's language; the fingerprint is taken of the value's
language-free text (``canonical``), so a mark made in English still holds in Chinese.
"""

import hashlib
from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist
from django.forms.utils import pretty_name
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from screening import interchange
from screening.selectors.audit import shown

FIELDS = (*(field.name for field in interchange.DATA), *(rows.assessed for rows in interchange.ROWS if rows.assessed))
ROW_KINDS = interchange.ROWS_BY_RELATED_NAME
ROW_NAMES = {"lesions": gettext_lazy("Lesion"), "lab_results": gettext_lazy("Lab result"),
             "pregnancy_tests": gettext_lazy("Pregnancy test")}
# Where an item shows on the checklist: the criterion rows it feeds (display only; the engine decides).
FIELD_CRITERIA = {
    "consent_signed_on": ("consent",), "screening_date": ("consent",), "date_of_birth": ("age",),
    "sex": ("renal_function", "pregnancy_test"), "weight_kg": ("renal_function",),
    "diagnosis_type": ("diagnosis",), "diagnosis_confirmation": ("diagnosis",), "primary_site": ("diagnosis",),
    "metastatic": ("diagnosis",), "ne_component_percent": ("diagnosis",),
    "prior_systemic_lines": ("prior_therapy",), "prior_line_failed": ("prior_therapy",), "ecog": ("ecog",),
    "life_expectancy_months": ("life_expectancy",), "liver_metastases": ("alt", "ast"),
    "lesions_assessed": ("measurable_disease",),
    "planned_first_dose": ("supportive_care_washout", "pregnancy_test"),
    "washout_any": ("supportive_care_washout",), "washout_last_date": ("supportive_care_washout",),
    "childbearing_potential": ("pregnancy_test", "contraception"),
    "partner_childbearing_potential": ("contraception",), "contraception_agreed": ("contraception",),
}
LAB_CRITERIA = {"creatinine": "renal_function"}
# Lab import (issue 15) records where a lab result or pregnancy test came from: ``row.provenance`` (ImportedRow).
PROVENANCE = "provenance"


@dataclass(frozen=True)
class Item:
    key: str
    label: str
    value: str
    source: str  # "" when typed in; the import file otherwise
    criteria: tuple[str, ...]
    row_id: int | None = None
    canonical: str = ""  # the value's language-free text: what the fingerprint is taken of

    @property
    def fingerprint(self):
        return fingerprint(self.key, self.canonical)

    @property
    def is_row(self):
        return self.row_id is not None


def fingerprint(key, value):
    return hashlib.sha256(f"{key}\x1f{value}".encode()).hexdigest()


def field_label(name):
    from screening.forms import CandidateForm  # the form's labels are the ones people see

    field = CandidateForm.base_fields.get(name)
    return str(field.label) if field is not None and field.label else pretty_name(name)


def _source(row):
    """"file.csv line 3" for an imported row, "" for a typed one (one query per row: the source page only)."""
    try:
        provenance = getattr(row, PROVENANCE, None)
    except ObjectDoesNotExist:
        return ""
    if provenance is None:
        return ""
    from screening.verdicts import locator

    return f"{provenance.lab_import.file_name} {locator(provenance.locator)}".strip()


def canonical(value):
    """A value's text as stored, the same in every language (yes/no in English)."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return shown(value)


def row_label(related_name, row):
    """"Lab result platelets (2026-02-27)": the row's kind in the reader's language, its codes as stored."""
    name = ROW_NAMES[related_name]
    if related_name == "lab_results":
        return _("%(row)s %(test)s (%(date)s)") % {"row": name, "test": row.test, "date": shown(row.collected)}
    if related_name == "lesions":
        return _("%(row)s %(number)s: %(kind)s %(method)s") % {
            "row": name, "number": row.position + 1, "kind": row.kind, "method": row.method}
    return _("%(row)s %(specimen)s (%(date)s)") % {"row": name, "specimen": row.specimen,
                                                   "date": shown(row.collected)}


def _row_value(row, fields, *, text, name):
    return "; ".join(f"{name(field)}: {text(getattr(row, field))}" for field in fields
                     if text(getattr(row, field)) != "")


def _field_name(model):
    def name(field):
        return str(model._meta.get_field(field).verbose_name).capitalize()
    return name


def row_criteria(related_name, row):
    if related_name == "lab_results":
        return (LAB_CRITERIA.get(row.test, row.test),)
    return ("measurable_disease",) if related_name == "lesions" else ("pregnancy_test",)


def items_of(candidate, *, with_source=False):
    """Every item of ``candidate`` in page order (prefetch its lesions, lab results and pregnancy tests);
    ``with_source`` also looks up where imported rows came from."""
    items = [
        Item(name, field_label(name), shown(getattr(candidate, name)), "", FIELD_CRITERIA.get(name, ()),
             canonical=canonical(getattr(candidate, name)))
        for name in FIELDS
    ]
    for related_name, rows in ROW_KINDS.items():
        fields, model = rows.names, rows.model
        for row in getattr(candidate, related_name).all():
            value = _row_value(row, fields, text=shown, name=_field_name(model))
            source = _source(row) if with_source and related_name != "lesions" else ""
            items.append(Item(f"{related_name}:{row.pk}", row_label(related_name, row), value, source,
                              row_criteria(related_name, row), row_id=row.pk,
                              canonical=_row_value(row, fields, text=canonical, name=pretty_name)))
    return items


def prefetch_rows(queryset):
    return queryset.prefetch_related(*ROW_KINDS)
