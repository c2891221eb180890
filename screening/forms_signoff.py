"""The forms of the one-step actions on a candidate: sign, enrol, close, re-screen (``views.signoff``)."""

from django import forms

from screening.free_text import reason_field
from screening.services import signoff


class SignForm(forms.Form):
    evaluation = forms.IntegerField(widget=forms.HiddenInput)
    password = forms.CharField(
        label="Your password", strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="Re-enter your password to sign (electronic signature).",
    )


class EnrolForm(forms.Form):
    enrolment_date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    override_reason = reason_field(
        help_text=f"Administrators only, and only beyond the {signoff.PLANNED_SUBJECTS} planned subjects.",
    )


class CloseForm(forms.Form):
    state = forms.ChoiceField(
        label="Outcome", widget=forms.RadioSelect,
        choices=[(state.value, state.label) for state in signoff.CLOSING_STATES],
    )
    reason = reason_field(
        help_text="Required for “not enrolled (other reason)”; optional when declined; "
        "a screen failure's reasons are its failing criteria, filled in automatically.",
    )


class RescreenForm(forms.Form):
    screening_date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
