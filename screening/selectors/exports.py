"""Read-side queries for exports and the PDF checklist.

The screening log export is a ``values()`` queryset (no model instances, no
evaluation input JSON) read with ``.iterator(chunk_size=...)``, so a
streamed export holds one chunk of rows in memory whatever the log's size.
"""

from django.db.models import Count, Exists, F, OuterRef, Subquery

from screening.models import (
    Candidate, Evaluation, LabResult, Lesion, PregnancyTest, Query, QueryMessage, Signature, Verification,
)
from screening.selectors.queries import unresolved_count_of_candidate
from screening.selectors.checklist import latest_signature
from screening.selectors.signoff import with_signoff_state

CHUNK_SIZE = 500


def candidates(*, date_from=None, date_to=None):
    """Screening attempts with a screening date in [date_from, date_to] (either bound optional)."""
    queryset = Candidate.objects.all()
    if date_from:
        queryset = queryset.filter(screening_date__gte=date_from)
    if date_to:
        queryset = queryset.filter(screening_date__lte=date_to)
    return queryset


def screening_log(candidate_queryset):
    """One dict per attempt, oldest first, keyed by the screening log export's columns."""
    return (
        with_signoff_state(candidate_queryset.order_by("screening_date", "id"))
        .values(
            "screening_number", "initials", "screening_date", "date_of_birth", "sex", "state",
            "state_reason", "subject_number", "enrolment_date", "signoff_state",
            rescreen_of_number=F("rescreen_of__screening_number"),
            outcome=F("latest_evaluation__outcome"),
            failing_criteria=F("latest_evaluation__failing"),
            missing_criteria=F("latest_evaluation__missing"),
            protocol_version=F("latest_evaluation__protocol_version"),
            evaluated_at=F("latest_evaluation__created_at"),
            open_queries=unresolved_count_of_candidate(),
        )
    )


def full_data(candidate_queryset):
    """Querysets for the full-data tables, keyed by table name, for these candidates."""
    ids = candidate_queryset.values("pk")
    return {
        "candidates": Candidate.objects.filter(pk__in=ids)
        .select_related("rescreen_of", "latest_evaluation", "endpoint")
        .order_by("screening_date", "id"),
        "lab_results": LabResult.objects.filter(candidate__in=ids)
        .select_related("candidate")
        .order_by("candidate__screening_date", "candidate_id", "position", "id"),
        "lesions": Lesion.objects.filter(candidate__in=ids)
        .select_related("candidate")
        .order_by("candidate__screening_date", "candidate_id", "position", "id"),
        "pregnancy_tests": PregnancyTest.objects.filter(candidate__in=ids)
        .select_related("candidate")
        .order_by("candidate__screening_date", "candidate_id", "position", "id"),
        "evaluations": Evaluation.objects.filter(candidate__in=ids)
        .select_related("candidate", "created_by")
        .defer("input")
        .annotate(signed=Exists(Signature.objects.filter(evaluation_id=OuterRef("pk"))))
        .order_by("candidate__screening_date", "candidate_id", "created_at", "id"),
        # issue 16: every query and every verification
        "queries": Query.objects.filter(candidate__in=ids).select_related("candidate", "raised_by")
        .annotate(message_count=Count("messages", distinct=True), question=Subquery(
            QueryMessage.objects.filter(query=OuterRef("pk"), kind="raise").values("text")[:1]))
        .order_by("candidate__screening_date", "candidate_id", "raised_at", "id"),
        "verifications": Verification.objects.filter(candidate__in=ids).select_related("candidate", "verified_by")
        .order_by("candidate__screening_date", "candidate_id", "verified_at", "id"),
    }


def checklist(screening_number):
    """(candidate with its ``signoff_state``, latest evaluation, latest signature or None) for the PDF;
    Candidate.DoesNotExist if unknown."""
    candidate = with_signoff_state(Candidate.objects).select_related(
        "latest_evaluation", "latest_evaluation__created_by"
    ).get(screening_number=screening_number)
    return candidate, candidate.latest_evaluation, latest_signature(candidate)
