"""The 6-month DFS form (``views.dashboard``)."""

from django import forms
from django.utils.translation import gettext_lazy

from screening.free_text import reason_field
from screening.models import EndpointAssessment


class DfsForm(forms.Form):
    dfs_6_month = forms.ChoiceField(
        label=gettext_lazy("6-month disease-free survival"), choices=EndpointAssessment.Dfs.choices,
        widget=forms.RadioSelect,
        error_messages={
            "invalid_choice": gettext_lazy("6-month DFS: choose yes, no or not yet evaluable (got “%(value)s”)."),
            "required": gettext_lazy("6-month DFS: choose yes, no or not yet evaluable."),
        },
    )
    assessed_on = forms.DateField(
        label=gettext_lazy("Assessment date"), required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": gettext_lazy("Assessment date: enter a date as YYYY-MM-DD.")},
    )
    reason = reason_field(label=gettext_lazy("Reason for change"),
                          help_text=gettext_lazy("Required when changing a recorded yes/no result."))
