"""Views: the trial dashboard (every role) and the 6-month DFS entry (coordinators, admins).

Charts are server-rendered SVG: the geometry is computed here, drawn by
templates in ``templates/screening/dashboard/``; each chart carries a
<title>/<desc> and a data table as its text alternative. No JavaScript.
"""

import math

from django import forms
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_GET, require_http_methods

from screening import roles, trial_design
from screening.free_text import reason_field
from screening.models import Candidate, EndpointAssessment
from screening.selectors import dashboard as selectors
from screening.selectors import queries as query_selectors
from screening.selectors import sdv as sdv_selectors
from screening.services.endpoints import record_dfs, six_months_after
from screening.services.refusals import Refused

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 44, 16, 18, 46


def nice_step(maximum, ticks=4):
    """A round tick step (1, 2, 5, 10, 20, 50, …) giving about ``ticks`` intervals up to ``maximum``."""
    raw = max(maximum, 1) / ticks
    magnitude = 10 ** math.floor(math.log10(raw)) if raw >= 1 else 1
    for factor in (1, 2, 5, 10):
        if factor * magnitude >= raw:
            return factor * magnitude
    return 10 * magnitude


def y_axis(maximum, plot_height):
    step = nice_step(maximum)
    upper = max(step, math.ceil(maximum / step) * step)

    def y(value):
        return TOP + plot_height - value / upper * plot_height

    return y, [{"value": value, "y": round(y(value), 1)} for value in range(0, upper + 1, step)]


def month_labels(months, band):
    every = max(1, math.ceil(len(months) * 52 / (WIDTH - LEFT - RIGHT)))  # ~52 px per label
    return [
        {"x": round(LEFT + band * (index + 0.5), 1), "text": row.label}
        for index, row in enumerate(months)
        if index % every == 0
    ]


def monthly_chart(months):
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    band = plot_width / max(len(months), 1)
    bar = min(band * 0.38, 26)
    y, ticks = y_axis(max([row.screened for row in months] + [1]), plot_height)
    bars = []
    for index, row in enumerate(months):
        middle = LEFT + band * (index + 0.5)
        for kind, value, x in (("screened", row.screened, middle - bar - 1), ("enrolled", row.enrolled, middle + 1)):
            top = y(value)
            bars.append({
                "kind": kind, "value": value, "x": round(x, 1), "y": round(top, 1), "width": round(bar, 1),
                "height": round(TOP + plot_height - top, 1), "label": f"{row.label}: {value} {kind}",
            })
    return {"bars": bars, "ticks": ticks, "labels": month_labels(months, band), "rotate": len(months) > 6}


def cumulative_chart(months):
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    band = plot_width / max(len(months), 1)
    reached = months[-1].cumulative_enrolled if months else 0
    y, ticks = y_axis(max(trial_design.TOTAL_SIZE, reached), plot_height)
    dots = [
        {"x": round(LEFT + band * (index + 0.5), 1), "y": round(y(row.cumulative_enrolled), 1), "row": row}
        for index, row in enumerate(months)
    ]
    line = [(LEFT, round(y(0), 1))] + [(dot["x"], dot["y"]) for dot in dots]
    baseline = round(y(0), 1)
    return {
        "dots": dots,
        "line": " ".join(f"{x},{y_value}" for x, y_value in line),
        "area": " ".join(f"{x},{y_value}" for x, y_value in line) + f" {line[-1][0]},{baseline}",
        "ticks": ticks,
        "targets": [
            {"y": round(y(trial_design.STAGE_1_SIZE), 1), "label": f"Stage 1: {trial_design.STAGE_1_SIZE}"},
            {"y": round(y(trial_design.TOTAL_SIZE), 1), "label": f"Total: {trial_design.TOTAL_SIZE}"},
        ],
        "labels": month_labels(months, band),
        "rotate": len(months) > 6,
        "reached": reached,
    }


def failure_chart(reasons):
    """Horizontal bars, the criterion's label above its bar: closed screen failures, then open ineligible."""
    left, row_height = 4, 36
    plot_width = WIDTH - left - 48
    maximum = max([reason.total for reason in reasons] + [1])
    rows = []
    for index, reason in enumerate(reasons):
        top = 6 + index * row_height
        closed = reason.screen_failures / maximum * plot_width
        still_open = reason.open_ineligible / maximum * plot_width
        rows.append({
            "reason": reason, "x": left, "text_y": top + 11, "bar_y": top + 16,
            "closed_width": round(closed, 1), "open_x": round(left + closed, 1), "open_width": round(still_open, 1),
            "value_x": round(left + closed + still_open + 6, 1), "value_y": top + 30,
        })
    return {"rows": rows, "height": 6 + len(reasons) * row_height + 6}


def tally(stage):
    """The stage's planned slots as cells: responders, then pending, then non-responders; a line at 'needed'."""
    cell, gap = 20, 3
    kinds = (
        ["responder"] * stage.responders
        + ["awaiting"] * stage.awaiting_assessment
        + ["open"] * stage.open_slots
        + ["non_responder"] * stage.non_responders
    )
    cells = [{"x": index * (cell + gap), "kind": kind} for index, kind in enumerate(kinds)]
    needed_x = stage.needed * (cell + gap) - gap / 2 - 0.5
    return {
        "cells": cells, "cell": cell, "width": stage.planned * (cell + gap), "needed_x": round(needed_x, 1),
        "needed_anchor": "end" if stage.needed > stage.planned / 2 else "start",
    }


TONES = {
    trial_design.PASSED: ("success", "bi-check-circle-fill"),
    trial_design.POSSIBLE: ("primary", "bi-hourglass-split"),
    trial_design.CANNOT_PASS: ("danger", "bi-x-octagon-fill"),
    trial_design.STOPPED: ("danger", "bi-sign-stop-fill"),
}


def subject_rows(subjects):
    rows = []
    for index, subject in enumerate(subjects):
        endpoint = getattr(subject, "endpoint", None)
        rows.append({
            "subject": subject,
            "stage": "1" if index < trial_design.STAGE_1_SIZE
            else "2" if index < trial_design.TOTAL_SIZE else "beyond the 28 planned",
            "dfs": endpoint.dfs_6_month if endpoint else trial_design.NOT_EVALUABLE,
            "dfs_label": endpoint.get_dfs_6_month_display() if endpoint else "Not yet evaluable",
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
        {"decision": stage, "tone": TONES[stage.decision][0], "icon": TONES[stage.decision][1], "tally": tally(stage)}
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
        "monthly": monthly_chart(months),
        "cumulative": cumulative_chart(months),
        "failures": failure_chart(reasons),
        "chart": {"width": WIDTH, "height": HEIGHT, "left": LEFT, "right": WIDTH - RIGHT, "bottom": HEIGHT - BOTTOM},
        "design": trial_design,
        "can_edit_dfs": roles.has_role(request.user, roles.EDITORS),
        "sdv": sdv_selectors.overall(),  # issue 16
        "open_queries": query_selectors.unresolved_total(),
    }
    return render(request, "screening/dashboard/index.html", context)


class DfsForm(forms.Form):
    dfs_6_month = forms.ChoiceField(
        label="6-month disease-free survival", choices=EndpointAssessment.Dfs.choices, widget=forms.RadioSelect,
        error_messages={"invalid_choice": "6-month DFS: choose yes, no or not yet evaluable (got “%(value)s”).",
                        "required": "6-month DFS: choose yes, no or not yet evaluable."},
    )
    assessed_on = forms.DateField(
        label="Assessment date", required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Assessment date: enter a date as YYYY-MM-DD."},
    )
    reason = reason_field(label="Reason for change", help_text="Required when changing a recorded yes/no result.")


@roles.role_required(roles.EDITORS)
@require_http_methods(["GET", "POST"])
def edit_dfs(request, screening_number):
    candidate = Candidate.objects.select_related("endpoint").filter(screening_number=screening_number).first()
    if candidate is None:
        raise Http404(f"No candidate {screening_number}.")
    endpoint = getattr(candidate, "endpoint", None)
    context = {"candidate": candidate, "endpoint": endpoint, "refused": None}
    if candidate.state != Candidate.State.ENROLLED:
        context["refused"] = (
            f"{candidate.screening_number} is not enrolled ({candidate.get_state_display().lower()}): "
            "6-month DFS is recorded for enrolled subjects only."
        )
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
        "history": endpoint.history.select_related("history_user").all() if endpoint else [],
    })
    return render(request, "screening/dashboard/dfs_form.html", context, status=status)


urlpatterns = [
    path("dashboard/", dashboard, name="dashboard"),
    path("dashboard/subjects/<str:screening_number>/dfs/", edit_dfs, name="edit_dfs"),
]
