"""Candidate-form fields that apply only with certain answers to others (issue 13: fewer Tab stops).

A field that does not apply is hidden, so it is not a Tab stop: the washout's last date while no blood
component or growth factor was given, the partner's childbearing potential of a female candidate, and so on.
Each entry restates when the engine reads the field (``screening.eligibility.criteria``);
tests/test_entry_conditions.py evaluates every one against the engine, which must give the same verdict whatever
the hidden field holds.

A value is never hidden away: a field that holds one stays in sight, marked "does not apply", until the
coordinator clears it (or changes the answer back). It is neither dropped nor kept unseen; where the engine
refuses the combination (a last washout date with "No") its error says so too.

``CONDITIONS``: field name -> {controlling field of the same form: the values with which the field applies}
("" is the controlling field left blank: the field may still apply, it stays in sight).
"""

import json

from django import forms
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

CONDITIONS = {
    "ne_component_percent": {"diagnosis_type": ("MINEN", "")},  # diagnosis: read for a MiNEN only
    "washout_last_date": {"washout_any": ("True",)},  # supportive_care_washout: read once any was given
    "childbearing_potential": {"sex": ("female", "")},  # pregnancy_test: a male is not applicable
    "partner_childbearing_potential": {"sex": ("male", "")},  # contraception: a female's own potential counts
    "progressed_after_local_treatment": {"locally_treated": ("True", "")},  # measurable_disease: after treatment
}
# The pregnancy tests (pregnancy_test: not applicable to a male or without childbearing potential), and the
# one blank row offered for typing once childbearing potential is Yes.
PREGNANCY_TESTS = {"sex": ("female", ""), "childbearing_potential": ("True", "")}
PREGNANCY_TEST_OFFERED = {"childbearing_potential": ("True",)}

NOT_APPLICABLE = _("Does not apply with the answers above and is not used for the verdict: clear it if it was "
                   "typed by mistake.")


def shown(value):
    """A field's value as the page sends it ("True", "female", "" for blank)."""
    return "" if value is None else str(value)


def applies(condition, form):
    return all(shown(form[name].value()) in values for name, values in condition.items())


def holds_value(fields):
    """True when one of ``fields`` holds something the coordinator typed or chose (a ticked box, "No" too)."""
    for field in fields:
        if field.is_hidden or field.name == "DELETE":
            continue
        value = field.value()
        if value if isinstance(field.field.widget, forms.CheckboxInput) else shown(value).strip():
            return True
    return False


def attributes(condition, form, fields, prefix=""):
    """The attributes of the element that holds ``fields``: the condition for the page's script, and ``hidden``
    when it does not apply and nothing is typed in it."""
    hidden = not applies(condition, form) and not holds_value(fields)
    return format_html(' data-applies="{}" data-applies-prefix="{}"{}', json.dumps(condition), prefix,
                       " hidden" if hidden else "")


def note(condition, form, fields):
    """The "does not apply" mark beside a field that holds a value although it does not apply."""
    hidden = applies(condition, form) or not holds_value(fields)
    return format_html('<div class="form-text not-applicable" data-not-applicable{}>'
                       '<i class="bi bi-exclamation-triangle" aria-hidden="true"></i> {}</div>',
                       " hidden" if hidden else "", NOT_APPLICABLE)
