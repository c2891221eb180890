"""The forms of the one-step actions on a candidate: sign, enrol, close, re-screen (``views.signoff``)."""

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from screening.free_text import reason_field
from screening.services import signoff


class SignForm(forms.Form):
    evaluation = forms.IntegerField(widget=forms.HiddenInput)
    password = forms.CharField(
        label=gettext_lazy("Your password"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=gettext_lazy("Re-enter your password to sign (electronic signature)."),
    )


class EnrolForm(forms.Form):
    """The override reason is an administrator's field: other roles never see it, and a value they post
    anyway is passed on, for the service to refuse (never silently dropped)."""

    enrolment_date = forms.DateField(label=gettext_lazy("Enrolment date"),
                                     widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    override_reason = reason_field(
        label=gettext_lazy("Override reason"),
        help_text=lazy(lambda: _("Administrators only, and only beyond the %(count)s planned subjects.")
                       % {"count": signoff.PLANNED_SUBJECTS}, str)(),
    )

    def __init__(self, *args, may_override=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_override:
            del self.fields["override_reason"]

    def clean(self):
        cleaned = super().clean()
        cleaned.setdefault("override_reason", self.data.get("override_reason", ""))
        return cleaned


class CloseForm(forms.Form):
    state = forms.ChoiceField(
        label=gettext_lazy("Outcome"), widget=forms.RadioSelect,
        choices=[(state.value, state.label) for state in signoff.CLOSING_STATES],
    )
    reason = reason_field(
        label=gettext_lazy("Reason"),
        help_text=gettext_lazy("Required for “not enrolled (other reason)”; optional when declined; "
                               "a screen failure's reasons are its failing criteria, filled in automatically."),
    )


class RescreenForm(forms.Form):
    screening_date = forms.DateField(label=gettext_lazy("Screening date"),
                                     widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
