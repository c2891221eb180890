"""The protocol pages' forms (``views.protocol``): compare two versions, re-evaluate under an amendment."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from screening import protocols


def version_choices():
    return [(protocol.version, _("%(version)s (from %(day)s)") % {"version": protocol.version,
                                                                  "day": protocol.effective_from.isoformat()})
            for protocol in reversed(protocols.registry().all())]


class DiffForm(forms.Form):
    older = forms.ChoiceField(label=gettext_lazy("Compare version"), choices=version_choices)
    newer = forms.ChoiceField(label=gettext_lazy("with version"), choices=version_choices)



class ReevaluateForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason for the re-evaluation"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Recorded in each candidate's audit trail with the amendment, e.g. the approval "
                               "reference."),
    )
