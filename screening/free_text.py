"""Free text typed into forms: the engine's character rule (spec section 4, r2) and one length limit.

``free_text`` applies the engine's ``free_text_fault`` (look-alike, invisible and control characters
are bad input) to a form value; a reason may hold several lines, each line is checked.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from screening.eligibility import free_text_fault

REASON_MAX_LENGTH = 1000


def fault_message(fault):
    """The engine's ``free_text_fault`` as a sentence in the active language."""
    kind, character = fault
    if kind == "invalid_unicode":
        message = _("The text is not valid Unicode: contains %(character)s.")
    else:
        message = _("The text contains %(character)s, which is not allowed in free text (letters, Han "
                    "characters, digits, punctuation and spaces only; no control, invisible or look-alike "
                    "characters).")
    return message % {"character": character}


def free_text(value):
    """Validator: the engine's free-text rule, line by line."""
    for line in value.splitlines() or [value]:
        fault = free_text_fault(line)
        if fault is not None:
            raise ValidationError(fault_message(fault), code="free_text")


def reason_field(**options):
    """A reason (for change, closure, override): at most REASON_MAX_LENGTH characters of free text."""
    return forms.CharField(
        max_length=REASON_MAX_LENGTH, required=False, widget=forms.Textarea(attrs={"rows": 2}),
        validators=[free_text], **options,
    )
