"""Reads for sign-off: a screening attempt's sign-off state (defined once, as database conditions), its
current signature, the meaning a signature would carry, the attempts of one person, and the ``Standing`` the
permission predicates (``screening.permissions``) judge.

Sign-off state:

- ``signed``: the attempt's current (latest) evaluation is signed by an investigator;
- ``superseded``: only an earlier evaluation is signed (the data changed after the sign-off);
- ``unsigned``: no evaluation of the attempt is signed.

``_rules`` is the definition (first match wins); the annotation (``with_signoff_state``), the filter
(``in_signoff_state``) and the reads (``signoff_states``, ``signoff_state_of``) are built from it. The
screening log, its filter, the exports, the candidate page's panel and the PDF checklist all use these.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy, gettext_noop
from django.db.models import Case, Exists, OuterRef, Q, Value, When

from screening.models import Candidate, Evaluation, Query, Signature

SIGNED, SUPERSEDED, UNSIGNED = "signed", "superseded", "unsigned"
SIGNOFF_STATES = (UNSIGNED, SIGNED, SUPERSEDED)
SIGNOFF_MEANINGS = gettext_noop(  # the exports' data dictionary (translated there)
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


# What a signature means, stored in the signer's language (they sign the words they read).
MEANINGS = {
    True: gettext_lazy("I confirm this candidate meets the eligibility criteria of protocol %(version)s"),
    False: gettext_lazy("I confirm this candidate does not meet the eligibility criteria of protocol %(version)s"),
}
SIGNABLE_OUTCOMES = ("eligible", "ineligible")  # an incomplete evaluation cannot be signed


def meaning_for(evaluation):
    """The signature's meaning for this evaluation, or None when it cannot be signed (incomplete)."""
    if evaluation is None or evaluation.outcome not in SIGNABLE_OUTCOMES:
        return None
    return str(MEANINGS[evaluation.outcome == "eligible"]) % {"version": evaluation.protocol_version}


def current_signature(candidate):
    """The latest signature of the candidate's current evaluation, or None (unsigned or superseded)."""
    if candidate.latest_evaluation_id is None:
        return None
    return (
        Signature.objects.select_related("signed_by")
        .filter(evaluation_id=candidate.latest_evaluation_id)
        .first()
    )


def unresolved_queries(candidate):
    """Queries on the candidate that are open or answered but not closed: they block signing."""
    return list(Query.objects.filter(candidate=candidate).exclude(state=Query.State.CLOSED).order_by("pk"))


def attempts_of(candidate):
    """Every screening attempt of the same person, earliest first (walks ``rescreen_of`` both ways)."""
    root = candidate
    while root.rescreen_of_id:
        root = Candidate.objects.get(pk=root.rescreen_of_id)
    chain = [root]
    while True:
        following = Candidate.objects.filter(rescreen_of=chain[-1]).select_related("latest_evaluation").first()
        if following is None:
            return chain
        chain.append(following)


@dataclass(frozen=True)
class Standing:
    """What the permission predicates need to know about a candidate now."""

    candidate: Candidate
    signoff_state: str  # signed, superseded or unsigned
    signature: Signature | None  # the current evaluation's signature
    rescreened_as: str | None  # the screening number of the later attempt, if re-screened

    @property
    def evaluation(self) -> Evaluation | None:
        return self.candidate.latest_evaluation


def standing(candidate):
    """The candidate's ``Standing``, read now (under the caller's lock, if it holds one)."""
    rescreened_as = Candidate.objects.filter(rescreen_of=candidate).values_list("screening_number", flat=True).first()
    return Standing(candidate=candidate, signoff_state=signoff_state_of(candidate),
                    signature=current_signature(candidate), rescreened_as=rescreened_as)
