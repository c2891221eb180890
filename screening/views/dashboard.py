"""Views: the trial dashboard (every role) and the 6-month DFS entry (coordinators, admins).

Charts are server-rendered SVG: the geometry is computed by ``screening.charts``, drawn by
templates in ``templates/screening/dashboard/``; each chart carries a
<title>/<desc> and a data table as its text alternative. No JavaScript.
"""

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from screening import charts, permissions, roles, trial_design, vocabulary
from screening.forms_dashboard import DfsForm
from screening.selectors import dashboard as selectors
from screening.selectors import queries as query_selectors
from screening.selectors import sdv as sdv_selectors
from screening.services.endpoints import record_dfs, six_months_after
from screening.services.refusals import Refused

def subject_rows(subjects):
    rows = []
    for index, subject in enumerate(subjects):
        endpoint = getattr(subject, "endpoint", None)
        rows.append({
            "subject": subject,
            "stage": "1" if index < trial_design.STAGE_1_SIZE
            else "2" if index < trial_design.TOTAL_SIZE
            else _("beyond the %(count)s planned") % {"count": trial_design.TOTAL_SIZE},
            "dfs": endpoint.dfs_6_month if endpoint else trial_design.NOT_EVALUABLE,
            "dfs_label": endpoint.get_dfs_6_month_display() if endpoint else _("Not yet evaluable"),
            "assessed_on": endpoint.assessed_on if endpoint else None,
            "assessable_from": six_months_after(subject.enrolment_date) if subject.enrolment_date else None,
        })
    return rows


@roles.role_required(roles.READERS)
@require_GET
def dashboard(request):
    subjects = selectors.enrolled_subjects()
    status = selectors.trial_status(subjects)
    months = selectors.monthly_counts()
    reasons = selectors.failure_reasons()
    states = selectors.state_counts()
    stages = [
        {"decision": stage, "term": vocabulary.term("decision", stage.decision), "tally": charts.tally(stage)}
        for stage in (status.stage_1, status.overall)
    ]
    context = {
        "status": status,
        "stages": stages,
        "subjects": subject_rows(subjects),
        "months": months,
        "reasons": reasons,
        "states": states,
        "screened_total": sum(states.values()),
        "monthly": charts.monthly_chart(months, {"screened": _("{month}: {count} screened"),
                                                 "enrolled": _("{month}: {count} enrolled")}),
        "cumulative": charts.cumulative_chart(months, {"stage_1": _("Stage 1: {count}"), "total": _("Total: {count}")}),
        "failures": charts.failure_chart(reasons),
        "chart": charts.frame(),
        "design": trial_design,
        "can_edit_dfs": roles.has_role(request.user, roles.EDITORS),
        "sdv": sdv_selectors.overall(),  # issue 16
        "open_queries": query_selectors.unresolved_total(),
    }
    return render(request, "screening/dashboard/index.html", context)


@roles.role_required(roles.EDITORS)
@require_http_methods(["GET", "POST"])
def edit_dfs(request, screening_number):
    candidate = selectors.subject_for_dfs(screening_number)
    if candidate is None:
        raise Http404(_("No candidate %(number)s.") % {"number": screening_number})
    endpoint = getattr(candidate, "endpoint", None)
    context = {"candidate": candidate, "endpoint": endpoint, "refused": None}
    context["refused"] = permissions.dfs_refusal(candidate)
    if context["refused"]:
        return render(request, "screening/dashboard/dfs_form.html", context, status=400)
    status = 200
    if request.method == "POST":
        form = DfsForm(request.POST)
        if form.is_valid():
            try:
                record_dfs(candidate=candidate, user=request.user, **form.cleaned_data)
            except Refused as refusal:
                form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
            else:
                return redirect(f"/dashboard/#subject-{candidate.subject_number}")
        status = 400
    else:
        initial = {"dfs_6_month": endpoint.dfs_6_month, "assessed_on": endpoint.assessed_on} if endpoint else {}
        form = DfsForm(initial=initial)
    context.update({
        "form": form,
        "assessable_from": six_months_after(candidate.enrolment_date),
        "history": selectors.dfs_history(endpoint),
    })
    return render(request, "screening/dashboard/dfs_form.html", context, status=status)


urlpatterns = [
    path("dashboard/", dashboard, name="dashboard"),
    path("dashboard/subjects/<str:screening_number>/dfs/", edit_dfs, name="edit_dfs"),
]
