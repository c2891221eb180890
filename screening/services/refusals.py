"""The one hierarchy of what a service raises when it refuses: nothing was changed, and the person is told why.

Every refusal is ``Refusal(message, field=None)``: ``message`` for the person (it names the field),
``field`` the form field at fault, if any. Views and commands catch the kind they handle.
"""

from django.utils import timezone
from django.utils.translation import gettext as _


class Refusal(Exception):
    field = None  # a kind's default form field

    def __init__(self, message, field=None):
        super().__init__(message)
        self.message = message
        self.field = field if field is not None else type(self).field


class Refused(Refusal):
    """The action is not allowed now (sign-off, enrolment, closure, re-screen, DFS, queries, SDV, amendments)."""


class ReasonRequired(Refusal):
    """Editing data that an investigator signed, or a closed candidate, needs a reason for change."""

    field = "reason"


class StaleCandidate(Refusal):
    """Someone else saved the candidate since this user loaded it."""

    def __init__(self, candidate):
        self.candidate = candidate
        who = candidate.updated_by.get_username() if candidate.updated_by else _("another user")
        when = timezone.localtime(candidate.updated_at).strftime("%Y-%m-%d %H:%M:%S")
        super().__init__(
            _("%(number)s was changed by %(who)s at %(when)s after you opened it. "
              "Reload the page to see the current data, then make your change again.")
            % {"number": candidate.screening_number, "who": who, "when": when}
        )


class PlanChanged(Refusal):
    """The rows to apply are no longer those the user reviewed (the mapping table or the data changed)."""
