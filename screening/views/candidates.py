"""Views: the coordinator's workspace — candidate list, form with live checklist, checklist, print view.

Reads go through ``screening.selectors.candidates``, writes through
``screening.services.candidates.save_candidate``; form handling lives in
``screening.candidate_entry.CandidateEntry``.
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from screening import roles, session_timeout
from screening.verdicts import outcome_word
from screening.eligibility import InvalidRecord
from screening.filters import CandidateFilter
from screening.candidate_entry import CandidateEntry
from screening.selectors import candidates as selectors
from screening.selectors import checklist
from screening.selectors.sdv import add_to_rows, summary
from screening.selectors.signoff import UNSIGNED
from screening.services.candidates import save_candidate
from screening.services.refusals import ReasonRequired, StaleCandidate
from screening.tables import PER_PAGE, BoundedPaginator, CandidateTable


@roles.role_required(roles.READERS)
def candidate_list(request):
    filterset = CandidateFilter(request.GET or None, queryset=selectors.candidate_list())
    table = CandidateTable(filterset.qs)
    RequestConfig(request, paginate={"per_page": PER_PAGE, "paginator_class": BoundedPaginator}).configure(table)
    table.page.object_list = list(table.page.object_list)
    selectors.with_counts(row.record for row in table.page.object_list)
    add_to_rows(row.record for row in table.page.object_list)  # open queries and SDV progress (issue 16)
    return render(request, "screening/candidate_list.html", {"filter": filterset, "table": table})


@roles.role_required(roles.READERS)
def candidate_detail(request, screening_number):
    candidate = selectors.get_candidate_for(request.user, screening_number, with_rows=True)
    return render(request, "screening/candidate_detail.html",
                  {"candidate": candidate, "evaluation": candidate.latest_evaluation, "monitoring": summary(candidate),
                   "uln_notes": selectors.stored_uln_notes(candidate)})


@roles.role_required(roles.READERS)
def candidate_print(request, screening_number):
    candidate = selectors.get_candidate_for(request.user, screening_number, with_signoff=True)
    evaluation = candidate.latest_evaluation
    signature = None if candidate.signoff_state == UNSIGNED else checklist.latest_signature(candidate)
    return render(request, "screening/candidate_print.html", {
        "candidate": candidate, "evaluation": evaluation, "printed_at": timezone.now(),
        # the PDF's facts and signature manifestation, from the same place
        "facts": checklist.facts(candidate, evaluation) if evaluation else [],
        "notes": checklist.notes(evaluation) if evaluation else [],
        "sign_off": checklist.sign_off(candidate, signature),
    })


@roles.role_required(roles.EDITORS)
def candidate_new(request):
    return _candidate_form(request, None)


@roles.role_required(roles.EDITORS)
def candidate_edit(request, screening_number):
    return _candidate_form(request, selectors.get_candidate_for(request.user, screening_number, with_rows=True))


def _candidate_form(request, candidate):
    data = request.POST if request.method == "POST" else None
    entry = CandidateEntry(data, candidate=candidate, ulns=selectors.reference_ulns(),
                           units=selectors.reporting_units())
    evaluation = candidate.latest_evaluation if candidate else None
    if entry.is_bound:
        refusal = None
        if entry.is_valid():  # the service validates, evaluates and stores: once
            try:
                saved = save_candidate(record=entry.record(), user=request.user, reason=entry.reason,
                                       expected_version=entry.expected_version)
            except (InvalidRecord, StaleCandidate, ReasonRequired) as error:
                refusal = error
            else:
                messages.success(request, _("Saved %(number)s: %(outcome)s.") % {
                    "number": saved.candidate.screening_number, "outcome": outcome_word(saved.outcome)})
                session_timeout.draft_saved(request)
                return redirect("screening:candidate_detail", screening_number=saved.candidate.screening_number)
        # Refused: the entry as typed is evaluated for the page, every engine error beside its field; the
        # service's own refusal (a number taken, a reason missing) is shown when the engine accepted the entry.
        evaluation = entry.evaluate()
        if evaluation is not None and refusal is not None:
            _show_refusal(entry, refusal)
    return render(request, "screening/candidate_form.html", {
        "entry": entry,
        "candidate": candidate,
        "evaluation": evaluation,
        "preview": entry.is_bound,
        "problems": entry.problems() if entry.is_bound else [],
        "monitoring": summary(candidate) if candidate else None,
        "uln_notes": entry.uln_notes(),
    })


def _show_refusal(entry, refusal):
    if isinstance(refusal, InvalidRecord):
        entry.add_record_error(refusal)
    elif isinstance(refusal, ReasonRequired):
        entry.add_error(str(refusal), field="reason")
    else:
        entry.add_error(str(refusal))


@roles.role_required(roles.EDITORS)
@require_POST
def candidate_preview(request, screening_number=None):
    """The checklist of the unsaved form (htmx): evaluated by the engine, never saved."""
    candidate = None
    if screening_number is not None:
        candidate = selectors.get_candidate_for(request.user, screening_number, with_rows=True)
    entry = CandidateEntry(request.POST, candidate=candidate, ulns=selectors.reference_ulns(),
                           units=selectors.reporting_units(), preview=True)
    evaluation = entry.evaluate()
    return render(request, "screening/partials/preview.html",
                  {"evaluation": evaluation, "preview": True, "problems": entry.problems(),
                   "uln_notes": entry.uln_notes()})


urlpatterns = [
    path("candidates/", candidate_list, name="candidate_list"),
    path("candidates/new/", candidate_new, name="candidate_new"),
    path("candidates/new/preview/", candidate_preview, name="candidate_preview"),
    path("candidates/<str:screening_number>/", candidate_detail, name="candidate_detail"),
    path("candidates/<str:screening_number>/edit/", candidate_edit, name="candidate_edit"),
    path("candidates/<str:screening_number>/preview/", candidate_preview, name="candidate_preview"),
    path("candidates/<str:screening_number>/print/", candidate_print, name="candidate_print"),
]
