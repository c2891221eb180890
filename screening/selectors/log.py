"""The screening log (every attempt) and the CONSORT funnel: read-only queries, constant in number."""

from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, F

from screening import criterion_ids, protocols
from screening.eligibility import completed_years
from screening.models import Candidate
from screening.selectors.queries import unresolved_count_of_candidate
from screening.selectors.signoff import signoff_states


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
    screening: int
    excluded: int
    not_meeting: int
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

    Three small queries: all attempts, latest attempts per state, failing criteria of the screen failures.
    """
    State = Candidate.State
    per_state = dict(latest_attempts().order_by().values_list("state").annotate(count=Count("pk")))
    counts = {state: per_state.get(state, 0) for state in State.values}
    per_criterion = Counter()
    failures = latest_attempts().filter(state=State.SCREEN_FAILURE)
    for failing in failures.values_list("latest_evaluation__failing", flat=True):
        per_criterion.update(criterion_ids.decode(failing))
    return Funnel(
        attempts=Candidate.objects.count(),
        assessed=sum(counts.values()),
        screening=counts[State.SCREENING],
        excluded=counts[State.SCREEN_FAILURE] + counts[State.DECLINED] + counts[State.NOT_ENROLLED],
        not_meeting=counts[State.SCREEN_FAILURE],
        declined=counts[State.DECLINED],
        other=counts[State.NOT_ENROLLED],
        enrolled=counts[State.ENROLLED],
        failing=[
            (criterion.id, criterion.label, per_criterion[criterion.id])
            for criterion in protocols.all_criteria()
            if per_criterion[criterion.id]
        ],
    )
