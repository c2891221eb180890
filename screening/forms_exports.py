"""The exports page's form (``views.exports``): dataset, format, identification, dates, screening-date range."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from screening.deidentification import MONTH, SHIFT, Policy
from screening import vocabulary
from screening.services import exports as service

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DEIDENTIFIED, IDENTIFIED = "deidentified", "identified"


class ExportForm(forms.Form):
    dataset = forms.ChoiceField(
        label=gettext_lazy("Data"), choices=vocabulary.choices(service.DATASETS, vocabulary.DATASET), initial=service.LOG,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": gettext_lazy(
            "Data: choose the screening log or the full candidate data (got “%(value)s”).")},
    )
    format = forms.ChoiceField(
        label=gettext_lazy("Format"), choices=[(service.CSV, "CSV"), (service.XLSX, gettext_lazy("XLSX (Excel workbook)"))],
        initial=service.CSV, widget=forms.RadioSelect,
        error_messages={"invalid_choice": gettext_lazy(
            "Format: unknown export format “%(value)s”; choose CSV or XLSX.")},
    )
    identification = forms.ChoiceField(
        label=gettext_lazy("Identification"),
        choices=[(DEIDENTIFIED, gettext_lazy("De-identified")), (IDENTIFIED, gettext_lazy("Identified (admins only)"))],
        initial=DEIDENTIFIED, widget=forms.RadioSelect,
        error_messages={"invalid_choice": gettext_lazy(
            "Identification: choose de-identified or identified (got “%(value)s”).")},
    )
    dates = forms.ChoiceField(
        label=gettext_lazy("Dates in a de-identified export"),
        choices=[(SHIFT, gettext_lazy("Shift by a random offset (keeps intervals)")),
                 (MONTH, gettext_lazy("Reduce to month (YYYY-MM)"))],
        initial=SHIFT, required=False, widget=forms.RadioSelect,
        error_messages={"invalid_choice": gettext_lazy("Dates: choose shift or month (got “%(value)s”).")},
    )
    date_from = forms.DateField(
        label=gettext_lazy("Screening date from"), required=False, widget=DATE_INPUT,
        error_messages={"invalid": gettext_lazy("Screening date from: enter a date as YYYY-MM-DD.")},
    )
    date_to = forms.DateField(
        label=gettext_lazy("Screening date to"), required=False, widget=DATE_INPUT,
        error_messages={"invalid": gettext_lazy("Screening date to: enter a date as YYYY-MM-DD.")},
    )

    def __init__(self, *args, may_identify=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.may_identify = may_identify
        if not may_identify:
            self.fields["identification"].choices = [
                (DEIDENTIFIED, _("De-identified (monitors export de-identified data)"))
            ]
            self.fields["identification"].error_messages["invalid_choice"] = _(
                "Identification: identified exports are for admins only; monitors export de-identified data."
            )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error(
                "date_to",
                _("Screening date to (%(end)s) is before screening date from (%(start)s): the date range is reversed.")
                % {"end": end.isoformat(), "start": start.isoformat()},
            )
        return cleaned

    def policy(self):
        if self.cleaned_data["identification"] == IDENTIFIED:
            return Policy.identified()
        return Policy.deidentify(self.cleaned_data["dates"] or SHIFT)
