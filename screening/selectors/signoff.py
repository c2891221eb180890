"""Sign-off state of a screening attempt, defined once, as database conditions.

- ``signed``: the attempt's current (latest) evaluation is signed by an investigator;
- ``superseded``: only an earlier evaluation is signed (the data changed after the sign-off);
- ``unsigned``: no evaluation of the attempt is signed.

``_rules`` is the definition (first match wins); the annotation (``with_signoff_state``), the filter
(``in_signoff_state``) and the reads (``signoff_states``, ``signoff_state_of``) are built from it. The
screening log, its filter, the exports, the candidate page's panel and the PDF checklist all use these.
"""

from django.db.models import Case, Exists, OuterRef, Q, Value, When

from screening.models import Candidate, Signature

SIGNED, SUPERSEDED, UNSIGNED = "signed", "superseded", "unsigned"
SIGNOFF_STATES = (UNSIGNED, SIGNED, SUPERSEDED)
SIGNOFF_MEANINGS = (  # the exports' data dictionary
    "signed (the latest evaluation is signed); superseded (only an earlier evaluation is signed: data changed "
    "after the investigator's sign-off); unsigned (no evaluation is signed)"
)


def _rules():
    """([(state, condition on a candidate row)], state when none holds): the first condition that holds wins."""
    current = Exists(Signature.objects.filter(evaluation_id=OuterRef("latest_evaluation_id")))
    earlier = Exists(Signature.objects.filter(evaluation__candidate_id=OuterRef("pk")))
    return [(SIGNED, current), (SUPERSEDED, earlier)], UNSIGNED


def with_signoff_state(candidates):
    """Candidates (a queryset, of instances or ``values()``) annotated with ``signoff_state``."""
    rules, otherwise = _rules()
    state = Case(*(When(condition, then=Value(name)) for name, condition in rules), default=Value(otherwise))
    return candidates.annotate(signoff_state=state)


def in_signoff_state(candidates, *states):
    """Only the candidates in one of these sign-off states (a WHERE condition: the annotation is not computed)."""
    rules, otherwise = _rules()
    wanted, earlier_rules_fail = Q(pk__in=()), Q()
    for name, condition in rules:
        if name in states:
            wanted |= earlier_rules_fail & Q(condition)
        earlier_rules_fail &= ~Q(condition)
    if otherwise in states:
        wanted |= earlier_rules_fail
    return candidates.filter(wanted)


def signoff_states(candidate_ids):
    """{candidate id: sign-off state} for these candidates (one query: a page of the log, one candidate)."""
    rows = with_signoff_state(Candidate.objects.filter(pk__in=candidate_ids)).values_list("pk", "signoff_state")
    return dict(rows)


def signoff_state_of(candidate):
    """The sign-off state of one candidate, read now."""
    return signoff_states([candidate.pk])[candidate.pk]


def signature_state(*, current):
    """A signature's state in the evaluation history: ``signed`` on the current evaluation, else ``superseded``."""
    return SIGNED if current else SUPERSEDED
