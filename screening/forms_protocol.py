"""The protocol pages' forms (``views.protocol``): compare two versions, re-evaluate under an amendment."""

from django import forms

from screening import protocols


def version_choices():
    return [(protocol.version, f"{protocol.version} (from {protocol.effective_from.isoformat()})")
            for protocol in reversed(protocols.registry().all())]


class DiffForm(forms.Form):
    older = forms.ChoiceField(label="Compare version", choices=version_choices)
    newer = forms.ChoiceField(label="with version", choices=version_choices)



class ReevaluateForm(forms.Form):
    reason = forms.CharField(
        label="Reason for the re-evaluation", max_length=1000, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Recorded in each candidate's audit trail with the amendment, e.g. the approval reference.",
    )
