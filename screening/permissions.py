"""May this user sign / enrol / close / re-screen this candidate now? One predicate per action.

``refusal(action, user=..., standing=...)`` (a ``selectors.signoff.Standing``) is None when the action is allowed, else the message saying why
not: first the role (``role_refusal``), then the candidate's standing now (``state_refusal``). The services
call them under their row lock and raise ``Refused`` with the message; the candidate page shows an action
only when ``may`` allows it. What the person types (a date, a reason, a password) is checked by the service.
"""

from screening import roles
from screening.models import Candidate
from screening.selectors.signoff import SUPERSEDED, meaning_for
ACTIONS = {  # action: (roles that may take it, what the refusal calls it)
    "sign": (roles.SIGNERS, "sign eligibility decisions"),
    "enrol": (roles.EDITORS, "enrol candidates"),
    "close": (roles.EDITORS, "close candidates"),
    "rescreen": (roles.EDITORS, "re-screen candidates"),
}


def role_refusal(user, action):
    allowed, verb = ACTIONS[action]
    return None if roles.has_role(user, allowed) else f"Your role does not allow you to {verb}."


def _sign(standing):
    candidate, evaluation = standing.candidate, standing.evaluation
    if evaluation is None:
        return f"{candidate.screening_number} has no evaluation to sign."
    if meaning_for(evaluation) is None:
        return (
            f"The evaluation is incomplete (criteria missing: {', '.join(evaluation.missing_criteria)}): "
            "complete the data before signing."
        )
    if standing.signature is not None:
        return "The current evaluation is already signed."
    return None


def _enrol(standing):
    candidate, evaluation = standing.candidate, standing.evaluation
    if candidate.state == Candidate.State.ENROLLED:
        return f"{candidate.screening_number} is already enrolled as {candidate.subject_number}."
    if candidate.is_closed:
        return f"{candidate.screening_number} is closed ({candidate.get_state_display()})."
    if evaluation is None or evaluation.outcome != "eligible":
        outcome = evaluation.outcome if evaluation else "not evaluated"
        return f"Only an eligible candidate can be enrolled; the current evaluation is {outcome}."
    if standing.signature is None or not standing.signature.eligible:
        if standing.signoff_state == SUPERSEDED:
            return ("The investigator's signature is superseded by a later change: the current evaluation "
                    "needs a new signature before enrolment.")
        return "An investigator must sign the eligibility decision before enrolment."
    return None


def _close(standing):
    candidate = standing.candidate
    if candidate.is_closed:
        return f"{candidate.screening_number} is already closed ({candidate.get_state_display()})."
    return None


def _rescreen(standing):
    candidate = standing.candidate
    if candidate.state != Candidate.State.SCREEN_FAILURE:
        return (
            f"Only a screen failure can be re-screened; {candidate.screening_number} is "
            f"{candidate.get_state_display().lower()}."
        )
    if standing.rescreened_as:
        return f"{candidate.screening_number} was already re-screened as {standing.rescreened_as}."
    return None


STATE_RULES = {"sign": _sign, "enrol": _enrol, "close": _close, "rescreen": _rescreen}


def state_refusal(action, standing):
    """Why the candidate's standing does not allow ``action`` now, or None."""
    return STATE_RULES[action](standing)


def refusal(action, *, user, standing):
    return role_refusal(user, action) or state_refusal(action, standing)


def may(action, *, user, standing):
    return refusal(action, user=user, standing=standing) is None
