"""Template tags for sign-off: ``{% signoff_panel candidate user %}`` and the ``printed_name`` filter."""

from django import template

from screening import permissions, roles
from screening.selectors.history import evaluation_history
from screening.selectors.signoff import SUPERSEDED, attempts_of, standing
from screening.services import signoff

register = template.Library()
register.filter("printed_name", signoff.printed_name)


@register.inclusion_tag("screening/signoff/panel.html")
def signoff_panel(candidate, user):
    """Evaluation history, sign-off state and the actions this user may take on the candidate now
    (``screening.permissions``: the predicates the services enforce)."""
    history = evaluation_history(candidate)
    now = standing(candidate)
    superseded = [sig for entry in history if not entry.current for sig in entry.signatures]
    return {
        "candidate": candidate,
        "evaluation": candidate.latest_evaluation,
        "history": history[:5],
        "more_history": len(history) > 5,
        "signature": now.signature,
        "latest_superseded": superseded[0] if now.signoff_state == SUPERSEDED else None,
        "signoff_state": now.signoff_state,
        "attempts": attempts_of(candidate) if candidate.rescreen_of_id or now.rescreened_as else [],
        **{f"can_{action}": permissions.may(action, user=user, standing=now) for action in permissions.ACTIONS},
        "can_audit": roles.has_role(user, roles.AUDITORS),
    }
