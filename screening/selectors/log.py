"""The screening log (every attempt) and the CONSORT funnel: read-only queries, constant in number."""

from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, F, Q

from screening import criterion_ids, protocols, verdicts
from screening.eligibility import completed_years
from screening.models import Candidate
from screening.selectors.queries import unresolved_count_of_candidate
from screening.selectors.signoff import signoff_states

INELIGIBLE = "ineligible"


def screening_log():
    """Every screening attempt as a dict (the log only reads), with its latest evaluation's outcome and
    failing criteria; newest screening date first. ``add_signoff_states`` completes a page of them."""
    return Candidate.objects.values(
        "id", "screening_number", "initials", "screening_date", "date_of_birth", "sex", "state", "state_reason",
        "subject_number", "latest_evaluation_id",
        outcome=F("latest_evaluation__outcome"),
        protocol_version=F("latest_evaluation__protocol_version"),
        failing=F("latest_evaluation__failing"),
        rescreen_of_number=F("rescreen_of__screening_number"),
        open_queries=unresolved_count_of_candidate(),  # issue 16
    ).order_by("-screening_date", "-id")


def add_signoff_states(attempts):
    """Set each attempt's ``signoff_state`` (one query for the page: sorting the whole log need not compute it)."""
    states = signoff_states([attempt["id"] for attempt in attempts])
    for attempt in attempts:
        attempt["signoff_state"] = states[attempt["id"]]
    return attempts


def age_on(born, on):
    """Completed years on ``on`` (the engine's rule), or None without a birth date."""
    return None if born is None else completed_years(born, on)


@dataclass
class Funnel:
    attempts: int
    assessed: int
    screening: int  # still open and not ineligible
    excluded: int
    not_meeting: int  # every ineligible person: closed as screen failures, or ineligible and still open
    ineligible_open: int  # of those: the latest evaluation is ineligible, screening not yet closed
    declined: int
    other: int
    enrolled: int
    failing: list  # [(criterion id, label, count)] in protocol order, only those with a count

    @property
    def adds_up(self):
        return (
            self.excluded == self.not_meeting + self.declined + self.other
            and self.assessed == self.excluded + self.enrolled + self.screening
        )


def latest_attempts():
    """One attempt per person: those that were not re-screened later."""
    return Candidate.objects.exclude(
        pk__in=Candidate.objects.filter(rescreen_of__isnull=False).values("rescreen_of_id")
    )


def consort_funnel():
    """Counts per person: each person counts once, at their latest attempt (earlier re-screens excluded).

    Not meeting the criteria: every person whose screening closed as a screen failure, and every person
    still in screening whose latest evaluation is ineligible (counted among the excluded, and shown
    apart as ``ineligible_open``: their screening is not closed yet). Three small queries: all attempts,
    latest attempts per state and outcome, failing criteria of the people not meeting the criteria.
    """
    State = Candidate.State
    grouped = latest_attempts().order_by().values_list("state", "latest_evaluation__outcome")
    counts = Counter({state: 0 for state in State.values})
    ineligible_open = 0
    for state, outcome, count in grouped.annotate(count=Count("pk")):
        counts[state] += count
        if state == State.SCREENING and outcome == INELIGIBLE:
            ineligible_open += count
    per_criterion = Counter()
    not_meeting = latest_attempts().filter(
        Q(state=State.SCREEN_FAILURE) | Q(state=State.SCREENING, latest_evaluation__outcome=INELIGIBLE)
    )
    for failing in not_meeting.values_list("latest_evaluation__failing", flat=True):
        per_criterion.update(criterion_ids.decode(failing))
    return Funnel(
        attempts=Candidate.objects.count(),
        assessed=sum(counts.values()),
        screening=counts[State.SCREENING] - ineligible_open,
        excluded=counts[State.SCREEN_FAILURE] + ineligible_open + counts[State.DECLINED] + counts[State.NOT_ENROLLED],
        not_meeting=counts[State.SCREEN_FAILURE] + ineligible_open,
        ineligible_open=ineligible_open,
        declined=counts[State.DECLINED],
        other=counts[State.NOT_ENROLLED],
        enrolled=counts[State.ENROLLED],
        failing=[
            (criterion.id, verdicts.label(criterion), per_criterion[criterion.id])
            for criterion in protocols.all_criteria()
            if per_criterion[criterion.id]
        ],
    )
