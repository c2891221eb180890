"""Reads for the candidate pages: a constant number of queries whatever the data size."""

from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.shortcuts import get_object_or_404

from screening import criterion_ids, roles
from screening.models import SITE_REPORTING_UNITS, Candidate, ReferenceRange, plain_decimal


def candidate_list():
    """One row (a dict) per candidate for the list page: latest outcome, failing / missing ids, last change.

    One query per page whatever the number of candidates; the counts are added to the page's rows
    only (``with_counts``), so SQL does not compute them for every candidate.
    """
    return Candidate.objects.values(
        "screening_number", "initials", "screening_date", "updated_at",
        outcome=F("latest_evaluation__outcome"),
        failing=F("latest_evaluation__failing"),
        missing=F("latest_evaluation__missing"),
        updated_by_name=F("updated_by__username"),
    )


def with_counts(rows):
    """Add ``failing_count`` and ``missing_count`` to ``candidate_list()`` rows, in place."""
    for row in rows:
        row["failing_count"] = len(criterion_ids.decode(row["failing"]))
        row["missing_count"] = len(criterion_ids.decode(row["missing"]))


def get_candidate_for(user, screening_number, *, with_rows=False):
    """The candidate ``user`` may read, with its latest evaluation; 404 when absent, 403 without a role."""
    if not roles.has_role(user, roles.READERS):
        raise PermissionDenied("Your role does not allow reading candidates.")
    candidates = Candidate.objects.select_related("latest_evaluation__created_by", "updated_by")
    if with_rows:
        candidates = candidates.prefetch_related("lesions", "lab_results", "pregnancy_tests")
    return get_object_or_404(candidates, screening_number=screening_number)


def screening_number_taken(screening_number):
    return Candidate.objects.filter(screening_number__iexact=screening_number).exists()


def reference_ulns():
    """The site's upper limits of normal: {test: {unit: Decimal}} (admin-editable ReferenceRange)."""
    ulns = {}
    for test, unit, uln in ReferenceRange.objects.filter(uln__isnull=False).values_list("test", "unit", "uln"):
        ulns.setdefault(test, {})[unit] = plain_decimal(uln)
    return ulns


def reporting_units():
    """The unit the site's laboratory reports each test in: {test: UCUM unit}.

    ``SITE_REPORTING_UNITS`` unless an admin marked another ``ReferenceRange`` row as the reporting unit.
    """
    marked = ReferenceRange.objects.filter(reporting_unit=True).values_list("test", "unit")
    return SITE_REPORTING_UNITS | dict(marked)
