"""The candidate form: the protocol's sections, three row formsets, and the
conversion of what the coordinator typed into the engine's interchange record
(``screening.candidate_entry`` puts them together for the candidate page).

Form fields only parse what the browser sends (a date, a number, a choice);
every rule (ranges, units per test, dates after screening) is checked by the
engine, and its ``InvalidRecord`` is attached back to the field it names, so
the web form refuses exactly what a JSON file would, with the same words.
"""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from screening import entry_fields, eligibility, interchange, vocabulary
from screening.eligibility import LAB_TESTS, LAB_UNITS, ULN_REQUIRED, UNIT_LABELS
from screening.free_text import free_text, reason_field
from screening.models import ULN_SITE_DEFAULT, ULN_SOURCES, plain_decimal
from screening.selectors.candidates import screening_number_taken
from screening.validators import validate_initials, validate_screening_number

NEW_CANDIDATE = "NEW"  # stands in for a screening number not typed yet, in the live preview only
ROW_LIMIT = 50


# --- fields ---------------------------------------------------------------

class Select(forms.Select):
    """A <select> rendered in Python: the form holds about a hundred of them, and Django's
    one-template-per-option rendering made the page (and the live preview's re-render) slow."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = set(self.format_value(value))
        options = format_html_join("", '<option value="{}"{}>{}</option>', (
            (option, " selected" if str(option) in chosen else "", label) for option, label in self.choices
        ))
        return format_html('<select name="{}"{}>{}</select>', name, flatatt(self.build_attrs(self.attrs, attrs)),
                           options)


class YesNoField(forms.TypedChoiceField):
    """True / False / not recorded (None)."""

    widget = Select

    def __init__(self, blank=_("Not recorded"), **kwargs):
        super().__init__(choices=[("", blank), ("True", _("Yes")), ("False", _("No"))], empty_value=None,
                         coerce=lambda value: value in ("True", True), required=False, **kwargs)


def choice_field(values, labels=None, **kwargs):
    labels = labels or {}
    return forms.ChoiceField(choices=[("", "—")] + [(value, labels.get(value, value)) for value in values],
                             required=False, widget=Select, **kwargs)


# Numbers and dates are text inputs read strictly on the server (screening.entry_fields): the browser neither
# drops characters nor withholds the live preview; ranges and whole numbers are the engine's to refuse.
number_field = entry_fields.NumberField


def whole_number_field(**kwargs):
    return entry_fields.NumberField(whole=True, **kwargs)


date_field = entry_fields.DateField
datetime_field = entry_fields.DateTimeField  # a wall-clock time in the site's timezone (Asia/Shanghai)


def initial_value(value):
    return plain_decimal(value) if isinstance(value, Decimal) else value


# --- the candidate --------------------------------------------------------

class CandidateForm(forms.Form):
    use_required_attribute = False  # the server says what is missing; the browser never blocks the preview
    screening_number = forms.CharField(label=_("Screening number"), max_length=40,
                                       help_text=_("As on the screening log, e.g. NLX-S-013."))
    initials = forms.CharField(label=_("Initials"), required=False, validators=[validate_initials],
                               widget=forms.TextInput(attrs={"maxlength": "5"}),  # the validator says why
                               help_text=_("Initials only (1–5 letters), never names."))
    screening_date = date_field(label=_("Screening date"), required=True)
    consent_signed_on = date_field(label=_("Informed consent signed on"))
    date_of_birth = date_field(label=_("Date of birth"))
    sex = choice_field(eligibility.SEXES, vocabulary.SEX, label=_("Sex"))
    weight_kg = number_field(label=_("Weight (kg)"))

    diagnosis_type = choice_field(eligibility.DIAGNOSIS_TYPES, vocabulary.DIAGNOSIS_TYPE, label=_("Diagnosis type"))
    diagnosis_confirmation = choice_field(eligibility.CONFIRMATIONS, vocabulary.CONFIRMATION,
                                          label=_("Confirmation"))
    primary_site = forms.CharField(label=_("Primary site"), max_length=1000, required=False, validators=[free_text],
                                   help_text=_("Free text; “unknown” is allowed."))
    metastatic = YesNoField(label=_("Metastatic disease"))
    ne_component_percent = number_field(label=_("NE component (%)"))

    prior_systemic_lines = whole_number_field(label=_("Prior systemic therapy lines"))
    prior_line_failed = YesNoField(label=_("Prior line failed (progression or intolerance)"))
    ecog = whole_number_field(label=_("ECOG performance status"))
    life_expectancy_months = number_field(label=_("Life expectancy (months)"))

    liver_metastases = YesNoField(label=_("Liver metastases"))
    labs_drawn_on = date_field(
        label=_("Blood drawn on"),
        help_text=_("Copied to every result of the panel unless its own date is given below."),
    )
    ulns_confirmed = forms.BooleanField(
        required=False, label=_("Site-default ULNs checked against the laboratory report"),
        help_text=_("Tick when the report's upper limits of normal are the ones shown as “site default”."),
    )
    lesions_assessed = forms.BooleanField(
        required=False, label=_("Baseline imaging reviewed"),
        help_text=_("Tick when imaging was reviewed; with no lesion rows this records that no lesion was found."),
    )

    planned_first_dose = datetime_field(
        label=_("Planned first dose (Asia/Shanghai)"),
    )
    washout_any = YesNoField(label=_("Blood components or growth factors given"))
    washout_last_date = date_field(label=_("Last given on"))

    childbearing_potential = YesNoField(label=_("Childbearing potential"))
    partner_childbearing_potential = YesNoField(label=_("Partner of childbearing potential (male candidates)"))
    contraception_agreed = YesNoField(label=_("Agrees to use contraception"))

    version = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput)
    reason = reason_field(
        label=_("Reason for change"),
        help_text=_("Required when the candidate's evaluation was signed or the candidate is closed."),
    )

    def __init__(self, *args, editing=False, preview=False, hints=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.editing = editing
        for name, hint in (hints or {}).items():
            if name in self.fields:
                self.fields[name].help_text = hint
        if preview:
            del self.fields["screening_number"]  # the preview never saves: the number does not matter
        elif editing:
            self.fields["version"].required = True  # without it the lost-update check could be skipped
            self.fields["screening_number"].disabled = True
            self.fields["screening_number"].help_text = _("Fixed once the candidate exists.")

    def clean_screening_number(self):
        number = self.cleaned_data["screening_number"].strip()
        if self.editing:
            return number
        validate_screening_number(number)  # the model field's rule
        if screening_number_taken(number):
            raise ValidationError(
                gettext("%(number)s already exists: open it from the candidate list to edit it.") % {"number": number}
            )
        return number


# --- rows: lesions, laboratory results, pregnancy tests -----------------------

class RowForm(forms.Form):
    use_required_attribute = False
    id = forms.IntegerField(required=False, min_value=1, max_value=2**63 - 1, widget=forms.HiddenInput)
    fields_in_record = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # compact Bootstrap widgets for table cells
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs["class"] = "form-check-input"
            elif isinstance(widget, forms.Select):
                widget.attrs["class"] = "form-select form-select-sm"
            elif not widget.is_hidden:
                widget.attrs["class"] = "form-control form-control-sm"

    def entry(self):
        entry = {name: interchange.typed_value(self.cleaned_data.get(name)) for name in self.fields_in_record}
        entry["id"] = self.cleaned_data.get("id")
        return entry


class LesionForm(RowForm):
    site = forms.CharField(max_length=1000, required=False, label=_("Site"), validators=[free_text])
    kind = choice_field(eligibility.LESION_KINDS, vocabulary.LESION_KIND, label=_("Kind"))
    method = choice_field(eligibility.LESION_METHODS, vocabulary.LESION_METHOD, label=_("Method"))
    size_mm = number_field(label=_("Size (mm)"))
    slice_thickness_mm = number_field(label=_("Slice (mm)"))
    imaged_on = date_field(label=_("Imaged on"))
    locally_treated = YesNoField(blank=_("Unknown"), label=_("Locally treated"))
    progressed_after_local_treatment = YesNoField(blank=_("Unknown"), label=_("Progressed since"))
    fields_in_record = interchange.LESIONS.entered


def unit_choices():
    seen = []
    for units in LAB_UNITS.values():
        seen.extend(unit for unit in units if unit not in seen)
    return [("", "—")] + [(unit, UNIT_LABELS.get(unit, unit)) for unit in seen]


class LabForm(RowForm):
    test = choice_field(LAB_TESTS, vocabulary.LAB_TEST, label=_("Test"))
    value = number_field(label=_("Value"))
    unit = forms.ChoiceField(choices=unit_choices, required=False, label=_("Unit"), widget=Select)
    uln = number_field(label=_("ULN"))
    uln_source = forms.ChoiceField(choices=[("", "")] + ULN_SOURCES, required=False, widget=forms.HiddenInput)
    collected = date_field(label=_("Collected"))
    fields_in_record = interchange.LABS.entered

    def has_changed(self):
        """A panel row counts once a value, a date or a ULN of the coordinator's own is typed in; the site default
        ULN the page fills in (for the candidate's sex) is not a change."""
        if self.initial.get("id"):
            return super().has_changed()
        uln, shown = self["uln"].data, self.initial.get("uln")
        typed_uln = uln not in (None, "", None if shown is None else str(shown)) and \
            self["uln_source"].data != ULN_SITE_DEFAULT
        return bool(self["value"].data or self["collected"].data or typed_uln)

    def entry(self):
        return super().entry() | {"uln_source": self.cleaned_data.get("uln_source") or ""}

    @property
    def test_label(self):
        return str(vocabulary.LAB_TEST.get(self["test"].value(), self["test"].value()))

    @property
    def needs_uln(self):
        return self["test"].value() in ULN_REQUIRED


class PregnancyTestForm(RowForm):
    specimen = choice_field(eligibility.SPECIMENS, vocabulary.SPECIMEN, label=_("Specimen"))
    result = choice_field(eligibility.PREGNANCY_RESULTS, vocabulary.PREGNANCY_RESULT, label=_("Result"))
    collected = datetime_field(label=_("Collected (Asia/Shanghai)"))
    fields_in_record = interchange.PREGNANCY_TESTS.entered


class RowFormSet(forms.BaseFormSet):
    """Existing rows first, then template rows (blank, or a protocol lab test) that count only once typed in."""

    title = ""
    row_name = ""

    def __init__(self, *args, existing=0, **kwargs):
        self.existing = existing
        super().__init__(*args, **kwargs)
        self.extra = len(self.initial or ()) - existing  # the template rows

    def initial_form_count(self):
        return super().initial_form_count() if self.is_bound else self.existing

    def clean(self):
        if self.initial_form_count() != self.existing or self.total_form_count() < self.existing:
            raise ValidationError(
                _("The rows sent do not match the rows on file: reload the page and enter the change again.")
            )

    def counted_forms(self):
        """The forms that make up the record's list, in order (deleted and untouched template rows skipped)."""
        return [form for form in self.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")]


def row_formset(form, title, row_name):
    formset = forms.formset_factory(
        form, formset=RowFormSet, extra=0, can_delete=True, max_num=ROW_LIMIT, validate_max=True,
        absolute_max=ROW_LIMIT,
    )
    formset.title, formset.row_name = title, row_name
    return formset


ROW_FORMSETS = {
    # interchange key -> (formset, model related name)
    rows.key: (row_formset(form, title, row_name), rows.related_name) for rows, form, title, row_name in (
        (interchange.LESIONS, LesionForm, _("Target and non-target lesions"), _("Lesion")),
        (interchange.LABS, LabForm, _("Laboratory results"), _("Laboratory result")),
        (interchange.PREGNANCY_TESTS, PregnancyTestForm, _("Pregnancy tests"), _("Pregnancy test")),
    )
}

SECTIONS = (
    # (html id, heading, main-form fields, row formset key)
    ("consent", _("Consent & demographics"),
     ("screening_number", "initials", "screening_date", "consent_signed_on", "date_of_birth", "sex", "weight_kg"),
     None),
    ("diagnosis", _("Diagnosis"),
     ("diagnosis_type", "diagnosis_confirmation", "primary_site", "metastatic", "ne_component_percent"), None),
    ("therapy", _("Prior therapy & performance status"),
     ("prior_systemic_lines", "prior_line_failed", "ecog", "life_expectancy_months"), None),
    ("disease", _("Disease assessment (RECIST 1.1)"), ("liver_metastases", "lesions_assessed"), "lesions"),
    ("labs", _("Laboratory results"), ("labs_drawn_on", "ulns_confirmed"), "labs"),
    ("washout", _("Supportive-care washout"), ("planned_first_dose", "washout_any", "washout_last_date"), None),
    ("reproductive", _("Reproductive status & pregnancy tests"),
     ("childbearing_potential", "partner_childbearing_potential", "contraception_agreed"), "pregnancy_tests"),
)
