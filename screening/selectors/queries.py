"""Reads for data queries: the filterable list, a candidate's queries, and who must act on what."""

from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from screening import roles
from screening.models import Query, QueryMessage

State = Query.State
UNRESOLVED = (State.OPEN, State.ANSWERED)


def query_list():
    """Every query with its candidate, raiser and first message, oldest first."""
    first_text = QueryMessage.objects.filter(query=OuterRef("pk"), kind=QueryMessage.Kind.RAISE).values("text")[:1]
    last_text = QueryMessage.objects.filter(query=OuterRef("pk")).order_by("-at", "-id").values("text")[:1]
    return (
        Query.objects.select_related("candidate", "raised_by")
        .annotate(question=Subquery(first_text), latest_text=Subquery(last_text))
        .order_by("raised_at", "id")
    )


def get_query(pk):
    """One query of ``query_list`` with who closed it; 404 when absent."""
    return get_object_or_404(query_list().select_related("closed_by"), pk=pk)


def for_candidate(candidate):
    """The candidate's queries, oldest first."""
    return list(Query.objects.filter(candidate=candidate).select_related("raised_by"))


def awaiting(user):
    """The queries ``user`` must act on: answer (assigned to their role), or close (raised by them, answered)."""
    held = roles.roles_of(user)
    if roles.ADMIN in held:
        return Query.objects.filter(state__in=UNRESOLVED)
    answer = Q(state=State.OPEN, assigned_role__in=[role for role in held if role in Query.ASSIGNABLE])
    close = Q(state=State.ANSWERED, raised_by=user)
    return Query.objects.filter(answer | close)


def awaiting_count(user):
    return awaiting(user).count() if roles.roles_of(user) else 0


def unresolved_total():
    return Query.objects.filter(state__in=UNRESOLVED).count()


def unresolved_count_of_candidate():
    """SQL expression for ``Candidate`` querysets: the number of the candidate's queries not closed."""
    counted = (Query.objects.filter(candidate=OuterRef("pk"), state__in=UNRESOLVED).order_by()
               .values("candidate").annotate(n=Count("pk")).values("n"))
    return Coalesce(Subquery(counted), 0)


def thread(query):
    """The query's messages, oldest first, with their authors and linked evaluations."""
    return query.messages.select_related("author", "evaluation")
