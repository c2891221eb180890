"""Navigation-bar counts: the user's work-queue items (overdue among them) and the queries awaiting them.

Lazy (computed only when a page renders them) and cached per user until the
data or the minute changes, so a page pays one small query for them.
"""

from django.core.cache import cache
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from screening import roles
from screening.selectors.queries import awaiting_count
from screening.selectors.queue import data_stamp, work_queue


def counts_for(user, now=None):
    now = now or timezone.now()
    key = f"work-counts:{user.pk}:{sorted(roles.roles_of(user))}:{now:%Y%m%d%H%M}:{hash(data_stamp())}"
    counts = cache.get(key)
    if counts is None:
        counts = counts_of(work_queue(user, now=now), user)
        cache.set(key, counts, 120)
    return counts


def counts_of(sections, user):
    """The navigation counts of an already computed queue (the queue page passes its own: computed once)."""
    return {
        "items": sum(len(section.items) for section in sections),
        "overdue": sum(section.overdue for section in sections),
        "queries": awaiting_count(user),
    }


def work_counts(request):
    user = getattr(request, "user", None)
    if user is None or not roles.roles_of(user):
        return {}
    return {"work_counts": SimpleLazyObject(lambda: counts_for(user))}
