"""Template tags for sign-off: ``{% signoff_panel candidate user %}`` and the ``printed_name`` filter."""

from django import template

from screening import roles
from screening.models import Candidate
from screening.selectors.history import evaluation_history
from screening.selectors.signoff import SIGNED, SUPERSEDED, signoff_state_of
from screening.services import signoff

register = template.Library()
register.filter("printed_name", signoff.printed_name)


@register.inclusion_tag("screening/signoff/panel.html")
def signoff_panel(candidate, user):
    """Evaluation history, sign-off state and the actions this user may take on the candidate."""
    history = evaluation_history(candidate)
    state = signoff_state_of(candidate)
    current = [sig for entry in history if entry.current for sig in entry.signatures]
    superseded = [sig for entry in history if not entry.current for sig in entry.signatures]
    signature = current[0] if state == SIGNED else None
    evaluation = candidate.latest_evaluation
    screening = candidate.state == Candidate.State.SCREENING
    editor = roles.has_role(user, roles.EDITORS)
    rescreened = candidate.rescreens.exists()
    attempts = signoff.attempts_of(candidate) if candidate.rescreen_of_id or rescreened else []
    return {
        "candidate": candidate,
        "evaluation": evaluation,
        "history": history[:5],
        "more_history": len(history) > 5,
        "signature": signature,
        "latest_superseded": superseded[0] if state == SUPERSEDED else None,
        "signoff_state": state,
        "attempts": attempts,
        "can_sign": roles.has_role(user, roles.SIGNERS) and signature is None
        and signoff.meaning_for(evaluation) is not None,
        "can_enrol": editor and screening and signature is not None and signature.eligible,
        "can_close": editor and screening,
        "can_rescreen": editor and candidate.state == Candidate.State.SCREEN_FAILURE and not rescreened,
        "can_audit": roles.has_role(user, roles.AUDITORS),
    }
