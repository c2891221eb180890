"""Read-side queries for the trial dashboard; a fixed number of queries whatever the data size.

Counts are per screening attempt, as in the screening log (a re-screen is
its own row): "screened" = attempts by month of screening date; "enrolled" =
enrolled subjects by month of enrolment date; screen-failure reasons = the
failing criteria of the latest evaluation of attempts closed as screen
failure, plus, separately, attempts still in screening whose latest
evaluation is ineligible.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date

from django.db.models import Count
from django.db.models.functions import TruncMonth

from screening import criterion_ids, protocols, trial_design, verdicts
from screening.models import Candidate

State = Candidate.State


def enrolled_subjects():
    """Enrolled subjects in subject-number order (stage 1 = the first 12), with their endpoint."""
    return list(
        Candidate.objects.filter(state=State.ENROLLED)
        .select_related("endpoint")
        .order_by("subject_number", "id")
    )


def dfs_of(subject):
    endpoint = getattr(subject, "endpoint", None)
    return endpoint.dfs_6_month if endpoint else trial_design.NOT_EVALUABLE


def subject_for_dfs(screening_number):
    """The candidate (with its 6-month DFS assessment, if any) whose DFS is to be recorded, or None."""
    return Candidate.objects.select_related("endpoint").filter(screening_number=screening_number).first()


def dfs_history(endpoint):
    """The assessment's audit trail, newest first (empty without an assessment)."""
    return endpoint.history.select_related("history_user").all() if endpoint else []


def trial_status(subjects):
    return trial_design.trial_status(dfs_of(subject) for subject in subjects)


def month_range(first, last):
    months = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append(date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _month(value):
    return date(value.year, value.month, 1)  # TruncMonth gives a date on SQLite and PostgreSQL alike


@dataclass(frozen=True)
class MonthCount:
    month: date
    screened: int
    enrolled: int
    cumulative_enrolled: int

    @property
    def label(self):
        return self.month.strftime("%Y-%m")


def monthly_counts():
    """Screened and enrolled per month, every month from the first screening to the latest date, zeros kept."""
    screened = {
        _month(row["month"]): row["n"]
        for row in Candidate.objects.annotate(month=TruncMonth("screening_date"))
        .values("month").annotate(n=Count("id")).order_by()
    }
    enrolled = {
        _month(row["month"]): row["n"]
        for row in Candidate.objects.filter(state=State.ENROLLED, enrolment_date__isnull=False)
        .annotate(month=TruncMonth("enrolment_date"))
        .values("month").annotate(n=Count("id")).order_by()
    }
    known = set(screened) | set(enrolled)
    if not known:
        return []
    rows, total = [], 0
    for month in month_range(min(known), max(known)):
        total += enrolled.get(month, 0)
        rows.append(MonthCount(month, screened.get(month, 0), enrolled.get(month, 0), total))
    return rows


@dataclass(frozen=True)
class FailureReason:
    criterion: str
    label: str
    screen_failures: int  # attempts closed as screen failure failing this criterion
    open_ineligible: int  # attempts still in screening, latest evaluation failing it

    @property
    def total(self):
        return self.screen_failures + self.open_ineligible


def failure_reasons():
    """Per criterion (protocol order, only those with a count): screen failures and open ineligible attempts."""
    closed, still_open = Counter(), Counter()
    rows = (
        Candidate.objects.filter(state__in=(State.SCREEN_FAILURE, State.SCREENING))
        .exclude(latest_evaluation__failing="")
        .exclude(latest_evaluation__isnull=True)
        .values_list("state", "latest_evaluation__failing")
    )
    for state, failing in rows:
        counter = closed if state == State.SCREEN_FAILURE else still_open
        counter.update(criterion_ids.decode(failing))
    return [
        FailureReason(criterion.id, verdicts.label(criterion), closed[criterion.id], still_open[criterion.id])
        for criterion in protocols.all_criteria()
        if closed[criterion.id] or still_open[criterion.id]
    ]


def state_counts():
    """Attempts per state (screening, enrolled, screen_failure, declined, not_enrolled)."""
    counts = dict(Candidate.objects.values_list("state").annotate(n=Count("id")).order_by())
    return {state: counts.get(state, 0) for state in State.values}
