"""The primary endpoint: 6-month disease-free survival (DFS) of an enrolled subject.

One user action, one transaction; the change is audited by django-simple-history
on ``EndpointAssessment`` (who, when, old → new, reason). Refused, with a
message naming the field and nothing saved, when:

- the candidate is not enrolled (field ``candidate``);
- the value is not yes / no / not_evaluable (``dfs_6_month``);
- yes or no is given without an assessment date (``assessed_on``);
- the assessment date is before the enrolment date, or in the future;
- "yes" is dated less than 6 months after enrolment (6-month DFS cannot be
  known earlier; "no" can be, when the disease recurs before 6 months);
- an existing yes/no result is changed without a reason (``reason``).
"""

import calendar
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from screening import permissions
from screening.models import Candidate, EndpointAssessment, mark_change
from screening.services.refusals import Refused

Dfs = EndpointAssessment.Dfs


def six_months_after(day):
    """The same day six months later; the month's last day when it has no such day (31 Aug → 28/29 Feb)."""
    month_index = day.month - 1 + 6
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def record_dfs(*, candidate, dfs_6_month, assessed_on, user, reason=""):
    """Create or update the subject's 6-month DFS assessment; returns the EndpointAssessment."""
    reason = (reason or "").strip()
    with transaction.atomic():
        candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
        refusal = permissions.dfs_refusal(candidate)
        if refusal:
            raise Refused(refusal, field="candidate")
        if dfs_6_month not in Dfs.values:
            raise Refused(
                _("6-month DFS: choose yes, no or not yet evaluable (got %(value)s).") % {"value": repr(dfs_6_month)},
                field="dfs_6_month",
            )
        enrolled = candidate.enrolment_date
        if dfs_6_month != Dfs.NOT_EVALUABLE and assessed_on is None:
            raise Refused(_("Assessment date: required when 6-month DFS is yes or no."), field="assessed_on")
        if assessed_on is not None:
            if assessed_on < enrolled:
                raise Refused(
                    _("Assessment date %(date)s is before enrolment on %(enrolled)s.")
                    % {"date": assessed_on.isoformat(), "enrolled": enrolled.isoformat()},
                    field="assessed_on",
                )
            today = timezone.localdate()
            if assessed_on > today:
                raise Refused(
                    _("Assessment date %(date)s is in the future (today is %(today)s).")
                    % {"date": assessed_on.isoformat(), "today": today.isoformat()}, field="assessed_on"
                )
            earliest = six_months_after(enrolled)
            if dfs_6_month == Dfs.YES and assessed_on < earliest:
                raise Refused(
                    _("Assessment date: 6-month DFS “yes” needs an assessment on or after %(earliest)s "
                      "(6 months after enrolment on %(enrolled)s).")
                    % {"earliest": earliest.isoformat(), "enrolled": enrolled.isoformat()},
                    field="assessed_on",
                )
        assessment = EndpointAssessment.objects.select_for_update().filter(candidate=candidate).first()
        if assessment is None:
            assessment = EndpointAssessment(candidate=candidate)
        elif assessment.dfs_6_month != Dfs.NOT_EVALUABLE and not reason and (
            assessment.dfs_6_month != dfs_6_month or assessment.assessed_on != assessed_on
        ):
            raise Refused(_("Reason for change: required to change a recorded yes/no result."), field="reason")
        assessment.dfs_6_month = dfs_6_month
        assessment.assessed_on = assessed_on
        assessment.updated_at = timezone.now()
        assessment.updated_by = user
        mark_change(assessment, reason=reason or None, user=user)
        assessment.full_clean()
        assessment.save()
        return assessment
