"""View: the work queue at ``/``, where everyone lands after logging in."""

from django.shortcuts import render
from django.urls import path
from django.utils import timezone

from screening import roles
from screening.selectors.queue import work_queue


@roles.role_required(roles.READERS)
def queue(request):
    now = timezone.now()
    sections = work_queue(request.user, now=now)
    return render(request, "screening/queue/index.html", {
        "sections": sections, "now": now,
        "total": sum(len(section.items) for section in sections),
        "overdue": sum(section.overdue for section in sections),
    })


urlpatterns = [path("", queue, name="work_queue")]
