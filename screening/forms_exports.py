"""The exports page's form (``views.exports``): dataset, format, identification, dates, screening-date range."""

from django import forms

from screening.resources import MONTH, SHIFT, Policy
from screening.services import exports as service

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DEIDENTIFIED, IDENTIFIED = "deidentified", "identified"


class ExportForm(forms.Form):
    dataset = forms.ChoiceField(
        label="Data", choices=list(service.DATASETS.items()), initial=service.LOG, widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Data: choose the screening log or the full candidate data "
                                          "(got “%(value)s”)."},
    )
    format = forms.ChoiceField(
        label="Format", choices=[(service.CSV, "CSV"), (service.XLSX, "XLSX (Excel workbook)")],
        initial=service.CSV, widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Format: unknown export format “%(value)s”; choose CSV or XLSX."},
    )
    identification = forms.ChoiceField(
        label="Identification",
        choices=[(DEIDENTIFIED, "De-identified"), (IDENTIFIED, "Identified (admins only)")],
        initial=DEIDENTIFIED, widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Identification: choose de-identified or identified "
                                          "(got “%(value)s”)."},
    )
    dates = forms.ChoiceField(
        label="Dates in a de-identified export",
        choices=[(SHIFT, "Shift by a random offset (keeps intervals)"), (MONTH, "Reduce to month (YYYY-MM)")],
        initial=SHIFT, required=False, widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Dates: choose shift or month (got “%(value)s”)."},
    )
    date_from = forms.DateField(
        label="Screening date from", required=False, widget=DATE_INPUT,
        error_messages={"invalid": "Screening date from: enter a date as YYYY-MM-DD."},
    )
    date_to = forms.DateField(
        label="Screening date to", required=False, widget=DATE_INPUT,
        error_messages={"invalid": "Screening date to: enter a date as YYYY-MM-DD."},
    )

    def __init__(self, *args, may_identify=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.may_identify = may_identify
        if not may_identify:
            self.fields["identification"].choices = [
                (DEIDENTIFIED, "De-identified (monitors export de-identified data)")
            ]
            self.fields["identification"].error_messages["invalid_choice"] = (
                "Identification: identified exports are for admins only; monitors export de-identified data."
            )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error(
                "date_to",
                f"Screening date to ({end.isoformat()}) is before screening date from ({start.isoformat()}): "
                "the date range is reversed.",
            )
        return cleaned

    def policy(self):
        if self.cleaned_data["identification"] == IDENTIFIED:
            return Policy.identified()
        return Policy.deidentify(self.cleaned_data["dates"] or SHIFT)
