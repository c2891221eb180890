"""Data queries: raise, answer (optionally correcting the value in the same step), close, re-open.

Each function is one user action in one transaction: it locks the query (or
the candidate), checks role and state again under the lock, then writes the
state, one immutable ``QueryMessage`` and an ``AuditEvent``; or it raises
``Refused`` and changes nothing.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from screening import eligibility, interchange, roles, vocabulary
from screening.models import AuditEvent, Candidate, Query, QueryMessage
from screening.services.candidates import save_candidate
from screening.free_text import fault_message
from screening.services.refusals import Refused
from screening.source_items import items_of, prefetch_rows

RAISERS = (roles.INVESTIGATOR, roles.MONITOR, roles.ADMIN)
TEXT_LIMIT = 2000
State, Kind = Query.State, QueryMessage.Kind


def _text(text, *, required=True):
    text = (text or "").strip()
    if required and not text:
        raise Refused(_("Message: write what is to be checked or answered."), field="text")
    if len(text) > TEXT_LIMIT:
        raise Refused(_("Message: at most %(limit)d characters (got %(length)d).")
                      % {"limit": TEXT_LIMIT, "length": len(text)}, field="text")
    fault = eligibility.free_text_fault(text) if text else None  # the engine's free-text rule (rules revision 2)
    if fault:
        raise Refused(_("Message: %(problem)s") % {"problem": fault_message(fault)}, field="text")
    return text


def current_items(candidate):
    """{key: Item} of the candidate as stored now."""
    fresh = prefetch_rows(Candidate.objects.filter(pk=candidate.pk)).get()
    return {item.key: item for item in items_of(fresh)}


def _audit(action, *, query, user, **details):
    AuditEvent.objects.create(action=action, user=user, candidate_id=query.candidate_id,
                              details={"query": query.pk, "item": query.item_label, **details})


def _message(query, *, kind, user, text, **extra):
    now = timezone.now()
    query.updated_at = now
    query.save()
    return QueryMessage.objects.create(query=query, kind=kind, text=text, author=user, at=now, **extra)


def _locked(query):
    return Query.objects.select_for_update().select_related("candidate").get(pk=query.pk)


def raise_query(*, candidate, item, text, user, assigned_role=roles.COORDINATOR):
    """Open a query on one item of ``candidate``; returns the ``Query``."""
    if not roles.has_role(user, RAISERS):
        raise Refused(_("Your role does not allow you to raise queries."))
    text = _text(text)
    if assigned_role not in Query.ASSIGNABLE:
        raise Refused(_("Assigned to: choose coordinator or investigator."), field="assigned_role")
    with transaction.atomic():
        candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
        items = current_items(candidate)
        if item not in items:
            raise Refused(_("Item: %(number)s has no item %(item)s (it may have been removed).")
                          % {"number": candidate.screening_number, "item": repr(item)}, field="item")
        query = Query.objects.create(candidate=candidate, item=item, item_label=items[item].label,
                                     assigned_role=assigned_role, raised_by=user)
        QueryMessage.objects.create(query=query, kind=Kind.RAISE, text=text, author=user, at=query.raised_at,
                                    value_before=items[item].value)
        _audit("query_raise", query=query, user=user, assigned_role=assigned_role, value=items[item].value)
        return query


def can_answer(user, query):
    return roles.has_role(user, (query.assigned_role, roles.ADMIN))


def can_close(user, query):
    return query.raised_by_id == user.pk or roles.has_role(user, (roles.ADMIN,))


def answer(*, query, user, text, record=None, expected_version=None):
    """Answer an open query; with ``record`` (a full candidate record) the correction is saved in the same step.

    The correction goes through ``save_candidate`` with the reason "Query #n: <answer>", so the audit trail
    shows the changed value and the answer together; the message keeps the new evaluation and both values.
    """
    text = _text(text)
    with transaction.atomic():
        query = _locked(query)
        if not can_answer(user, query):
            raise Refused(_("Only the %(role)s (or an admin) answers this query.")
                          % {"role": vocabulary.ROLE.get(query.assigned_role, query.assigned_role)})
        if query.state != State.OPEN:
            raise Refused(_("Query #%(number)s is %(state)s: only an open query can be answered.")
                          % {"number": query.pk, "state": vocabulary.term("query", query.state).word})
        before = current_items(query.candidate).get(query.item)
        extra = {"value_before": before.value if before else ""}
        if record is not None:
            evaluation = save_candidate(record=record, user=user, reason=f"Query #{query.pk}: {text}",
                                        expected_version=expected_version)
            after = current_items(query.candidate).get(query.item)
            extra.update(evaluation=evaluation, value_after=after.value if after else "(removed)")
        query.state = State.ANSWERED
        message = _message(query, kind=Kind.ANSWER, user=user, text=text, **extra)
        _audit("query_answer", query=query, user=user, message=message.pk,
               **({"corrected": f"{message.value_before} → {message.value_after}",
                   "evaluation": message.evaluation_id} if record is not None else {}))
        return message


def close(*, query, user, text=""):
    """Close an open or answered query (its raiser or an admin)."""
    text = _text(text, required=False)
    with transaction.atomic():
        query = _locked(query)
        if not can_close(user, query):
            raise Refused(_("Only whoever raised the query (or an admin) can close it."))
        if query.state == State.CLOSED:
            raise Refused(_("Query #%(number)s is already closed.") % {"number": query.pk})
        query.state = State.CLOSED
        query.closed_at, query.closed_by = timezone.now(), user
        message = _message(query, kind=Kind.CLOSE, user=user, text=text)
        _audit("query_close", query=query, user=user, message=message.pk)
        return message


def reopen(*, query, user, text):
    """Re-open an answered or closed query with a new message (its raiser or an admin)."""
    text = _text(text)
    with transaction.atomic():
        query = _locked(query)
        if not can_close(user, query):
            raise Refused(_("Only whoever raised the query (or an admin) can re-open it."))
        if query.state == State.OPEN:
            raise Refused(_("Query #%(number)s is already open.") % {"number": query.pk})
        query.state = State.OPEN
        query.closed_at, query.closed_by = None, None
        message = _message(query, kind=Kind.REOPEN, user=user, text=text)
        _audit("query_reopen", query=query, user=user, message=message.pk)
        return message


# --- the record a correction starts from --------------------------------------

def record_of(candidate):
    """The candidate's full save record: interchange record plus initials, row ids and every row field."""
    return interchange.save_record(candidate)
