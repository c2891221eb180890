"""Free text typed into forms: the engine's character rule (spec section 4, r2) and one length limit.

``free_text`` applies ``eligibility.check_free_text`` (look-alike, invisible and control characters
are bad input) to a form value; a reason may hold several lines, each line is checked.
"""

from django import forms
from django.core.exceptions import ValidationError

from screening import eligibility

REASON_MAX_LENGTH = 1000


def free_text(value):
    """Validator: the engine's free-text rule, line by line."""
    for line in value.splitlines() or [value]:
        problem = eligibility.check_free_text(line)
        if problem:
            raise ValidationError(f"The text {problem}.", code="free_text")


def reason_field(**options):
    """A reason (for change, closure, override): at most REASON_MAX_LENGTH characters of free text."""
    return forms.CharField(
        max_length=REASON_MAX_LENGTH, required=False, widget=forms.Textarea(attrs={"rows": 2}),
        validators=[free_text], **options,
    )
