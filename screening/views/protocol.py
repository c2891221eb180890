"""Views: the protocol versions and their differences (every role), an amendment's impact (investigators,
admins) and the re-evaluation under it (admins)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from screening import permissions, protocols, roles, verdicts
from screening.forms_protocol import DiffForm, ReevaluateForm
from screening.selectors.protocols import amendment_impact, protocol_diff, protocol_versions
from screening.services.amendments import reevaluate_for_amendment
from screening.services.refusals import Refused

AMENDMENT_REVIEWERS = (roles.INVESTIGATOR, roles.ADMIN)


def default_pair():
    versions = protocols.registry().all()
    return (versions[-2].version, versions[-1].version) if len(versions) > 1 else None


@roles.role_required(roles.READERS)
def protocol_index(request):
    """The registered versions with their criteria and parameters, and the difference between two of them."""
    pair = default_pair()
    data = request.GET if "older" in request.GET or "newer" in request.GET else None
    form = DiffForm(data, initial=dict(zip(("older", "newer"), pair or ())))
    diff = None
    if form.is_bound and form.is_valid():
        diff = protocol_diff(protocols.get(form.cleaned_data["older"]), protocols.get(form.cleaned_data["newer"]))
    elif not form.is_bound and pair:
        diff = protocol_diff(protocols.get(pair[0]), protocols.get(pair[1]))
    return render(request, "screening/protocol/index.html", {
        "versions": protocol_versions(),
        "current": protocols.in_force(),
        "newest": protocols.newest(),
        "form": form,
        "diff": diff,
        "can_review_amendments": roles.has_role(request.user, AMENDMENT_REVIEWERS),
    })


@roles.role_required(AMENDMENT_REVIEWERS)
def impact(request, form=None):
    """Candidates in screening last evaluated under an older version: what the version in force changes."""
    current = protocols.in_force()
    rows = amendment_impact(current)
    return render(request, "screening/protocol/impact.html", {
        "current": current,
        "newest": protocols.newest(),
        "rows": rows,
        "changing": sum(row.verdict_changes for row in rows),
        "form": form or ReevaluateForm(),
        "can_reevaluate": permissions.may_reevaluate(request.user),
    }, status=400 if form is not None else 200)


@roles.role_required(permissions.REEVALUATORS)
@require_POST
def reevaluate(request):
    form = ReevaluateForm(request.POST)
    if not form.is_valid():
        return impact(request, form=form)
    try:
        result = reevaluate_for_amendment(user=request.user, reason=form.cleaned_data["reason"])
    except Refused as error:
        form.add_error(error.field if error.field in form.fields else None, error.message)
        return impact(request, form=form)
    count = len(result.evaluated)
    messages.success(request, ngettext("%(count)d candidate re-evaluated under protocol %(version)s.",
                                       "%(count)d candidates re-evaluated under protocol %(version)s.", count)
                     % {"count": count, "version": result.protocol.version})
    for candidate, error in result.refused:
        messages.warning(request, _("%(number)s not re-evaluated: %(problem)s. Correct its data on the candidate "
                                    "form.") % {"number": candidate.screening_number, "problem": verdicts.invalid_record(error)})
    return redirect("screening:protocol_impact")


urlpatterns = [
    path("protocol/", protocol_index, name="protocol"),
    path("protocol/impact/", impact, name="protocol_impact"),
    path("protocol/impact/reevaluate/", reevaluate, name="protocol_reevaluate"),
]
