"""Reads for the lab import: the applied source files of a candidate and the "imported" marks."""

from datetime import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext

from screening import roles, verdicts
from screening.models import ImportedRow, LabImport

IMPORTERS = roles.EDITORS                    # coordinators and admins import
SOURCE_DOWNLOADERS = (roles.MONITOR, roles.ADMIN)  # the byte-exact source file: monitors and admins
# The checklist row a result feeds; every other lab test's criterion has the test's own id.
CRITERION_OF = {"creatinine": "renal_function", "pregnancy_test": "pregnancy_test"}


def can_download_source(user):
    return roles.has_role(user, SOURCE_DOWNLOADERS)


def lab_import_for(user, candidate, pk):
    """An applied import of ``candidate`` with its rows; 404 when it belongs to another candidate."""
    if not roles.has_role(user, roles.READERS):
        raise PermissionDenied(gettext("Your role does not allow reading candidates."))
    found = LabImport.objects.select_related("imported_by", "candidate")
    return get_object_or_404(found, pk=pk, candidate=candidate)


def lab_imports_of(candidate):
    return list(LabImport.objects.filter(candidate=candidate).select_related("imported_by"))


def _unchanged(row):
    """True while the stored row still holds the values it was imported with."""
    entry = row.entry
    if row.lab_result is not None:
        lab = row.lab_result
        uln = entry.get("uln")
        return (lab.test == entry["test"] and lab.unit == entry["unit"] and lab.value == Decimal(entry["value"])
                and lab.collected.isoformat() == entry["collected"]
                and (lab.uln is None if uln is None else lab.uln == Decimal(uln)))
    test = row.pregnancy_test
    return (test.specimen == entry["specimen"] and test.result == entry["result"]
            and test.collected == datetime.fromisoformat(entry["collected"]))


def imported_marks(candidate):
    """{criterion id: [{"text", "url", "edited"}]} for the candidate's rows that came from a file."""
    rows = (ImportedRow.objects
            .filter(Q(lab_result__candidate=candidate) | Q(pregnancy_test__candidate=candidate))
            .select_related("lab_import", "lab_result", "pregnancy_test"))
    marks = {}
    for row in rows:
        key = row.lab_result.test if row.lab_result is not None else "pregnancy_test"
        url = reverse("screening:lab_import_detail", args=[candidate.screening_number, row.lab_import_id])
        marks.setdefault(CRITERION_OF.get(key, key), []).append({
            "text": f"{row.entry['collected'][:10]} · {row.lab_import.file_name} {verdicts.locator(row.locator)}",
            "url": url,
            "edited": not _unchanged(row),
        })
    return marks
