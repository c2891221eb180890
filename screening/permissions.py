"""May this user sign / enrol / close / re-screen this candidate now? One predicate per action (and may a
subject's 6-month DFS be recorded: ``dfs_refusal``; may this user re-evaluate under an amendment:
``may_reevaluate``).

``refusal(action, user=..., standing=...)`` (a ``selectors.signoff.Standing``) is None when the action is allowed, else the message saying why
not: first the role (``role_refusal``), then the candidate's standing now (``state_refusal``). The services
call them under their row lock and raise ``Refused`` with the message; the candidate page shows an action
only when ``may`` allows it. What the person types (a date, a reason, a password) is checked by the service.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from screening import roles, verdicts
from screening.models import Candidate
from screening.selectors.signoff import SUPERSEDED, meaning_for

ACTIONS = {  # action: (roles that may take it, the refusal of any other role)
    "sign": (roles.SIGNERS, gettext_lazy("Your role does not allow you to sign eligibility decisions.")),
    "enrol": (roles.EDITORS, gettext_lazy("Your role does not allow you to enrol candidates.")),
    "close": (roles.EDITORS, gettext_lazy("Your role does not allow you to close candidates.")),
    "rescreen": (roles.EDITORS, gettext_lazy("Your role does not allow you to re-screen candidates.")),
}


def may_override(user):
    """May this user enrol beyond the planned subjects (an override, with a reason)? Administrators only."""
    return roles.has_role(user, (roles.ADMIN,))


REEVALUATORS = (roles.ADMIN,)  # who may re-evaluate the candidates in screening under a protocol amendment


def may_reevaluate(user):
    """May this user re-evaluate the candidates in screening under a protocol amendment? Administrators only
    (the view's role check and the service's guard both ask this)."""
    return roles.has_role(user, REEVALUATORS)


def role_refusal(user, action):
    allowed, refusal = ACTIONS[action]
    return None if roles.has_role(user, allowed) else str(refusal)


def _sign(standing):
    candidate, evaluation = standing.candidate, standing.evaluation
    if evaluation is None:
        return _("%(number)s has no evaluation to sign.") % {"number": candidate.screening_number}
    if meaning_for(evaluation) is None:
        return (_("The evaluation is incomplete (criteria missing: %(criteria)s): complete the data before signing.")
                % {"criteria": pgettext("list separator", ", ").join(
                    verdicts.label(row) for row in evaluation.criteria if row["status"] == "missing")})
    if standing.signature is not None:
        return _("The current evaluation is already signed.")
    return None


def _enrol(standing):
    candidate, evaluation = standing.candidate, standing.evaluation
    if candidate.state == Candidate.State.ENROLLED:
        return (_("%(number)s is already enrolled as %(subject)s.")
                % {"number": candidate.screening_number, "subject": candidate.subject_number})
    if candidate.is_closed:
        return (_("%(number)s is closed (%(state)s).")
                % {"number": candidate.screening_number, "state": verdicts.state_word(candidate.state)})
    if evaluation is None or evaluation.outcome != "eligible":
        outcome = verdicts.outcome_word(evaluation.outcome if evaluation else None)
        return _("Only an eligible candidate can be enrolled; the current evaluation is %(outcome)s.") % {
            "outcome": outcome}
    if standing.signature is None or not standing.signature.eligible:
        if standing.signoff_state == SUPERSEDED:
            return _("The investigator's signature is superseded by a later change: the current evaluation "
                     "needs a new signature before enrolment.")
        return _("An investigator must sign the eligibility decision before enrolment.")
    return None


def _close(standing):
    candidate = standing.candidate
    if candidate.is_closed:
        return (_("%(number)s is already closed (%(state)s).")
                % {"number": candidate.screening_number, "state": verdicts.state_word(candidate.state)})
    return None


def _rescreen(standing):
    candidate = standing.candidate
    if candidate.state != Candidate.State.SCREEN_FAILURE:
        return (_("Only a screen failure can be re-screened; %(number)s is %(state)s.")
                % {"number": candidate.screening_number, "state": verdicts.state_word(candidate.state)})
    if standing.rescreened_as:
        return (_("%(number)s was already re-screened as %(newer)s.")
                % {"number": candidate.screening_number, "newer": standing.rescreened_as})
    return None


def dfs_refusal(candidate):
    """Why 6-month DFS cannot be recorded for ``candidate`` (not an enrolled subject), or None."""
    if candidate.state == Candidate.State.ENROLLED and candidate.enrolment_date is not None:
        return None
    return (_("%(number)s is not enrolled (%(state)s): 6-month DFS is recorded for enrolled subjects only.")
            % {"number": candidate.screening_number, "state": verdicts.state_word(candidate.state)})


STATE_RULES = {"sign": _sign, "enrol": _enrol, "close": _close, "rescreen": _rescreen}


def state_refusal(action, standing):
    """Why the candidate's standing does not allow ``action`` now, or None."""
    return STATE_RULES[action](standing)


def refusal(action, *, user, standing):
    return role_refusal(user, action) or state_refusal(action, standing)


def may(action, *, user, standing):
    return refusal(action, user=user, standing=standing) is None
