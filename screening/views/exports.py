"""Views: the exports page (monitors, admins), the data dictionary, the PDF checklist (every role)."""

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from screening import roles
from screening.downloads import attachment
from screening.models import Candidate
from screening.pdf import checklist_pdf
from screening.forms_exports import ExportForm
from screening.deidentification import DATE_TREATMENTS, Policy
from screening.resources import dictionary_for_reader
from screening.selectors import exports as selectors
from screening.services import exports as service



@roles.role_required(roles.EXPORTERS)
@require_http_methods(["GET", "POST"])
def export_page(request):
    may_identify = roles.has_role(request.user, (roles.ADMIN,))
    status = 200
    if request.method == "POST":
        form = ExportForm(request.POST, may_identify=may_identify)
        if form.is_valid():
            return attachment(run_export(request.user, form))
        status = 400
    else:
        form = ExportForm(may_identify=may_identify)
    context = {
        "form": form,
        "may_identify": may_identify,
        "dictionary": dictionary_for_reader(),
        "date_treatments": {key: _(text) for key, text in DATE_TREATMENTS.items()},
    }
    return render(request, "screening/exports/index.html", context, status=status)


def run_export(user, form):
    data = form.cleaned_data
    policy = form.policy()
    candidate_queryset = selectors.candidates(date_from=data["date_from"], date_to=data["date_to"])
    scope = {
        "via": "exports page",
        "date_from": data["date_from"].isoformat() if data["date_from"] else "",
        "date_to": data["date_to"].isoformat() if data["date_to"] else "",
    }
    if data["dataset"] == service.LOG and data["format"] == service.CSV:
        return service.export_log_csv(user=user, candidate_queryset=candidate_queryset, policy=policy, scope=scope)
    return service.export_book(
        user=user, dataset=data["dataset"], fmt=data["format"], candidate_queryset=candidate_queryset,
        policy=policy, scope=scope,
    )


@roles.role_required(roles.EXPORTERS)
@require_GET
def dictionary_download(request):
    response = HttpResponse(service.dictionary_csv(), content_type=service.CONTENT_TYPES[service.CSV])
    response["Content-Disposition"] = 'attachment; filename="nalirifox-data-dictionary.csv"'
    return response


@roles.role_required(roles.READERS)
@require_GET
def checklist_download(request, screening_number):
    if not roles.has_role(request.user, roles.IDENTIFIED_FILES):
        return render(request, "screening/exports/no_checklist.html",
                      {"message": _("The checklist PDF carries identified data (initials, date of birth): "
                                    "monitors take de-identified data from the exports page.")}, status=403)
    try:
        candidate, evaluation, signature = selectors.checklist(screening_number)
    except Candidate.DoesNotExist:
        return render(request, "screening/exports/no_checklist.html",
                      {"message": _("No candidate with screening number %(number)s.") % {"number": screening_number}},
                      status=404)
    if evaluation is None:
        return render(request, "screening/exports/no_checklist.html",
                      {"message": _("%(number)s has no evaluation yet: save the candidate's data first.")
                       % {"number": screening_number}},
                      status=404)
    content = checklist_pdf(candidate=candidate, evaluation=evaluation, signature=signature, printed_by=request.user)
    service.record_export(
        user=request.user, dataset="checklist", fmt="pdf", policy=Policy.identified(),
        rows=len(evaluation.criteria), scope={"evaluation_id": evaluation.pk}, candidate=candidate,
        action="export_checklist_pdf",
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="checklist-{screening_number}.pdf"'
    return response


urlpatterns = [
    path("exports/", export_page, name="exports"),
    path("exports/data-dictionary.csv", dictionary_download, name="export_dictionary"),
    path("candidates/<str:screening_number>/checklist.pdf", checklist_download, name="checklist_pdf"),
]
