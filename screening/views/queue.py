"""View: the work queue at ``/``, where everyone lands after logging in."""

from django.shortcuts import render
from django.urls import path
from django.utils import timezone

from screening import roles
from screening.context_queue import counts_of
from screening.selectors.queue import work_queue


@roles.role_required(roles.READERS)
def queue(request):
    now = timezone.now()
    sections = work_queue(request.user, now=now)
    counts = counts_of(sections, request.user)
    return render(request, "screening/queue/index.html", {
        "sections": sections, "now": now, "total": counts["items"], "overdue": counts["overdue"],
        "work_counts": counts,  # the navigation bar's counts, from this same queue
    })


urlpatterns = [path("", queue, name="work_queue")]
