"""Template tags for sign-off: ``{% signoff_panel candidate user %}`` and ``{% status_word kind value %}``."""

import functools

from django import template
from django.utils.html import format_html

from screening import roles
from screening.models import Candidate
from screening.selectors.history import evaluation_history
from screening.selectors.signoff import SIGNED, SUPERSEDED, UNSIGNED, signoff_state_of
from screening.services import signoff

register = template.Library()
register.filter("printed_name", signoff.printed_name)

# (icon, word) — a status is always an icon and a word, never colour alone.
WORDS = {
    "criterion": {
        "pass": ("bi-check-circle-fill", "pass"),
        "fail": ("bi-x-circle-fill", "fail"),
        "missing": ("bi-question-circle", "missing"),
        "not_applicable": ("bi-dash-circle", "not applicable"),
    },
    "outcome": {
        "eligible": ("bi-check-circle-fill", "eligible"),
        "ineligible": ("bi-x-octagon-fill", "ineligible"),
        "incomplete": ("bi-hourglass-split", "incomplete"),
    },
    "signoff": {
        SIGNED: ("bi-pen-fill", "signed"),
        SUPERSEDED: ("bi-exclamation-triangle-fill", "superseded"),
        UNSIGNED: ("bi-circle", "unsigned"),
    },
    "state": {
        Candidate.State.SCREENING: ("bi-hourglass-split", "screening"),
        Candidate.State.ENROLLED: ("bi-person-check-fill", "enrolled"),
        Candidate.State.SCREEN_FAILURE: ("bi-x-circle-fill", "screen failure"),
        Candidate.State.DECLINED: ("bi-person-x-fill", "declined"),
        Candidate.State.NOT_ENROLLED: ("bi-slash-circle", "not enrolled (other reason)"),
    },
}


@register.simple_tag
@functools.lru_cache(maxsize=64)
def status_word(kind, value):
    """<span class="signoff-status signoff-kind-value"><i class="bi ..."></i> word</span>"""
    icon, word = WORDS[kind].get(value, ("bi-circle", str(value or "—")))
    return format_html(
        '<span class="signoff-status signoff-{}-{}"><i class="bi {}" aria-hidden="true"></i> {}</span>',
        kind, value, icon, word,
    )


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
