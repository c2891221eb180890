"""Views: evaluation history, audit trail, investigator sign-off, enrolment, closure, re-screening."""

import csv
import functools

from django.contrib import messages
from django.http import HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from screening import permissions, roles
from screening.forms_signoff import CloseForm, EnrolForm, RescreenForm, SignForm
from screening.deidentification import Policy
from screening.selectors.audit import audit_trail
from screening.selectors.candidates import get_candidate_for
from screening.selectors.history import compare, evaluation_history
from screening.selectors.signoff import attempts_of, current_signature, meaning_for, unresolved_queries
from screening.services import signoff
from screening.services.audit import record_event
from screening.services.reauth import LockedOut
from screening.services.refusals import Refused


def candidate_url(candidate):
    return reverse("screening:candidate_detail", args=[candidate.screening_number])


def _candidate(request, screening_number):
    return get_candidate_for(request.user, screening_number)


def _action(request, candidate, form_class, template, perform, *, initial=None, context=None):
    """GET: the form. POST: validate, perform; on refusal the form again with the message, nothing saved."""
    context = {"candidate": candidate, **(context or {})}
    if request.method != "POST":
        return render(request, template, {**context, "form": form_class(initial=initial)})
    form = form_class(request.POST)
    if form.is_valid():
        try:
            message, target = perform(form.cleaned_data)
        except LockedOut as lockout:  # logged out; django-axes' middleware answers with its lockout page
            return HttpResponseForbidden(str(lockout))
        except Refused as refusal:
            if refusal.field == "evaluation":  # stale page: show the current evaluation and a fresh form
                messages.error(request, refusal.message)
                form = form_class(initial=initial)
            else:
                form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
        else:
            messages.success(request, message)
            return redirect(target)
    return render(request, template, {**context, "form": form})


@roles.role_required(roles.SIGNERS)
def sign(request, screening_number):
    candidate = _candidate(request, screening_number)
    evaluation = candidate.latest_evaluation

    def perform(data):
        signature = signoff.sign(
            candidate=candidate, user=request.user, password=data["password"], evaluation_id=data["evaluation"],
            request=request,
        )
        return _("Signed: %(meaning)s.") % {"meaning": signature.meaning}, candidate_url(candidate)

    return _action(
        request, candidate, SignForm, "screening/signoff/sign.html", perform,
        initial={"evaluation": evaluation.pk if evaluation else None},
        context={
            "evaluation": evaluation,
            "meaning": meaning_for(evaluation),
            "already_signed": current_signature(candidate) is not None,
            "sha256": signoff.evaluation_sha256(evaluation) if evaluation else "",
            "unresolved": unresolved_queries(candidate),
        },
    )


@roles.role_required(roles.EDITORS)
def enrol(request, screening_number):
    candidate = _candidate(request, screening_number)

    def perform(data):
        enrolled = signoff.enrol(
            candidate=candidate, user=request.user, enrolment_date=data["enrolment_date"],
            override_reason=data["override_reason"],
        )
        return _("%(number)s enrolled as %(subject)s.") % {
            "number": enrolled.screening_number, "subject": enrolled.subject_number}, candidate_url(enrolled)

    may_override = permissions.may_override(request.user)
    return _action(
        request, candidate, functools.partial(EnrolForm, may_override=may_override),
        "screening/signoff/enrol.html", perform,
        initial={"enrolment_date": timezone.localdate()},
        context={"signature": current_signature(candidate), "planned": signoff.PLANNED_SUBJECTS},
    )


@roles.role_required(roles.EDITORS)
def close(request, screening_number):
    candidate = _candidate(request, screening_number)

    def perform(data):
        closed = signoff.close(candidate=candidate, user=request.user, state=data["state"], reason=data["reason"])
        return _("%(number)s closed: %(state)s.") % {
            "number": closed.screening_number, "state": closed.get_state_display()}, candidate_url(closed)

    return _action(request, candidate, CloseForm, "screening/signoff/close.html", perform)


@roles.role_required(roles.EDITORS)
def rescreen(request, screening_number):
    candidate = _candidate(request, screening_number)

    def perform(data):
        attempt = signoff.rescreen(candidate=candidate, user=request.user, screening_date=data["screening_date"])
        return _("Re-screening started as %(number)s.") % {"number": attempt.screening_number}, candidate_url(attempt)

    return _action(
        request, candidate, RescreenForm, "screening/signoff/rescreen.html", perform,
        initial={"screening_date": timezone.localdate()},
        context={"attempts": attempts_of(candidate)},
    )


@roles.role_required(roles.READERS)
def evaluations(request, screening_number):
    """The full evaluation history, and a comparison of any two (?a=<id>&b=<id>)."""
    candidate = _candidate(request, screening_number)
    entries = evaluation_history(candidate)
    by_id = {str(entry.evaluation.pk): entry.evaluation for entry in entries}
    older, newer = by_id.get(request.GET.get("a", "")), by_id.get(request.GET.get("b", ""))
    comparison = None
    if older and newer:
        if (older.created_at, older.pk) > (newer.created_at, newer.pk):
            older, newer = newer, older
        comparison = {"older": older, "newer": newer, **compare(older, newer)}
    return render(
        request, "screening/signoff/evaluations.html",
        {"candidate": candidate, "entries": entries, "comparison": comparison,
         "bad_choice": bool(request.GET) and comparison is None},
    )


def _deidentified(request):
    """Monitors take the audit trail de-identified."""
    return not roles.has_role(request.user, roles.IDENTIFIED_FILES)


@roles.role_required(roles.AUDITORS)
def audit(request, screening_number):
    candidate = _candidate(request, screening_number)
    rows = audit_trail(candidate, deidentified=_deidentified(request))
    return render(request, "screening/signoff/audit.html", {"candidate": candidate, "rows": rows})


CSV_COLUMNS = ("at", "user", "record", "action", "field", "old", "new", "reason")
IDENTIFIED = Policy.identified()  # the exports' value policy: ISO values, formulas defused


@roles.role_required(roles.AUDITORS)
def audit_csv(request, screening_number):
    candidate = _candidate(request, screening_number)
    deidentified = _deidentified(request)
    rows = audit_trail(candidate, deidentified=deidentified)
    record_event("export_audit_csv", user=request.user, candidate=candidate, rows=len(rows), deidentified=deidentified)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="audit-{candidate.screening_number}.csv"'
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        writer.writerow([IDENTIFIED.present(getattr(row, column)) for column in CSV_COLUMNS])
    return response


urlpatterns = [
    path("candidates/<str:screening_number>/sign/", sign, name="candidate_sign"),
    path("candidates/<str:screening_number>/enrol/", enrol, name="candidate_enrol"),
    path("candidates/<str:screening_number>/close/", close, name="candidate_close"),
    path("candidates/<str:screening_number>/rescreen/", rescreen, name="candidate_rescreen"),
    path("candidates/<str:screening_number>/evaluations/", evaluations, name="candidate_evaluations"),
    path("candidates/<str:screening_number>/audit/", audit, name="candidate_audit"),
    path("candidates/<str:screening_number>/audit.csv", audit_csv, name="candidate_audit_csv"),
]
