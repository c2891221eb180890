"""Free text typed into forms: one length limit for reasons, one form field that applies it."""

from django import forms

REASON_MAX_LENGTH = 1000


def reason_field(**options):
    """A reason (for change, closure, override): at most REASON_MAX_LENGTH characters."""
    return forms.CharField(
        max_length=REASON_MAX_LENGTH, required=False, widget=forms.Textarea(attrs={"rows": 2}), **options
    )
