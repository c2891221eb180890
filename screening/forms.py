"""The candidate form: the protocol's sections, three row formsets, and the
conversion of what the coordinator typed into the engine's interchange record.

Form fields only parse what the browser sends (a date, a number, a choice);
every rule (ranges, units per test, dates after screening) is checked by the
engine, and its ``InvalidRecord`` is attached back to the field it names, so
the web form refuses exactly what a JSON file would, with the same words.
"""

import json
import re
from datetime import date, datetime
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from screening import eligibility, vocabulary
from screening.eligibility import LAB_TESTS, LAB_UNITS, ULN_REQUIRED, UNIT_LABELS, InvalidRecord
from screening.models import plain_decimal
from screening.selectors.candidates import screening_number_taken
from screening.services.candidates import CANDIDATE_FIELD_PATHS, check_screening_number, engine_record

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


def number_field(**kwargs):
    return forms.DecimalField(required=False, widget=forms.NumberInput(attrs={"step": "any", "min": "0"}), **kwargs)


def whole_number_field(**kwargs):
    return forms.IntegerField(required=False, widget=forms.NumberInput(attrs={"min": "0"}), **kwargs)


def date_field(**kwargs):
    kwargs.setdefault("required", False)
    return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), **kwargs)


def datetime_field(**kwargs):
    """A wall-clock time in the site's timezone (Asia/Shanghai); Django makes it aware."""
    return forms.DateTimeField(
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        **kwargs,
    )


def interchange(value):
    """A cleaned form value as the interchange record writes it (text for numbers, ISO for dates)."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.isoformat()  # aware, in the site's timezone: keeps the +08:00 offset
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def initial_value(value):
    return plain_decimal(value) if isinstance(value, Decimal) else value


# --- the candidate --------------------------------------------------------

class CandidateForm(forms.Form):
    screening_number = forms.CharField(label=_("Screening number"), max_length=40,
                                       help_text=_("As on the screening log, e.g. NLX-S-013."))
    initials = forms.CharField(label=_("Initials"), max_length=5, required=False,
                               help_text=_("Initials only (1–5 letters), never names."))
    screening_date = date_field(label=_("Screening date"), required=True)
    consent_signed_on = date_field(label=_("Informed consent signed on"))
    date_of_birth = date_field(label=_("Date of birth"))
    sex = choice_field(eligibility.SEXES, vocabulary.SEX, label=_("Sex"))
    weight_kg = number_field(label=_("Weight (kg)"))

    diagnosis_type = choice_field(eligibility.DIAGNOSIS_TYPES, vocabulary.DIAGNOSIS_TYPE, label=_("Diagnosis type"))
    diagnosis_confirmation = choice_field(eligibility.CONFIRMATIONS, vocabulary.CONFIRMATION,
                                          label=_("Confirmation"))
    primary_site = forms.CharField(label=_("Primary site"), max_length=1000, required=False,
                                   help_text=_("Free text; “unknown” is allowed."))
    metastatic = YesNoField(label=_("Metastatic disease"))
    ne_component_percent = number_field(label=_("NE component (%)"), help_text=_("MiNEN only: must be above 30 %."))

    prior_systemic_lines = whole_number_field(label=_("Prior systemic therapy lines"))
    prior_line_failed = YesNoField(label=_("Prior line failed (progression or intolerance)"))
    ecog = whole_number_field(label=_("ECOG performance status"), help_text="0–5")
    life_expectancy_months = number_field(label=_("Life expectancy (months)"))

    liver_metastases = YesNoField(label=_("Liver metastases"))
    lesions_assessed = forms.BooleanField(
        required=False, label=_("Baseline imaging reviewed"),
        help_text=_("Tick when imaging was reviewed; with no lesion rows this records that no lesion was found."),
    )

    planned_first_dose = datetime_field(
        label=_("Planned first dose (Asia/Shanghai)"),
        help_text=_("Starts the 72 h pregnancy-test window and the 14-day washout."),
    )
    washout_any = YesNoField(label=_("Blood components or growth factors given"))
    washout_last_date = date_field(label=_("Last given on"))

    childbearing_potential = YesNoField(label=_("Childbearing potential"))
    partner_childbearing_potential = YesNoField(label=_("Partner of childbearing potential (male candidates)"))
    contraception_agreed = YesNoField(label=_("Agrees to use contraception"))

    version = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput)
    reason = forms.CharField(
        max_length=1000, required=False, label=_("Reason for change"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when the candidate's evaluation was signed or the candidate is closed."),
    )

    def __init__(self, *args, editing=False, preview=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.editing = editing
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
        try:
            check_screening_number(number)
        except InvalidRecord as error:
            raise ValidationError(error.message) from None
        if screening_number_taken(number):
            raise ValidationError(
                gettext("%(number)s already exists: open it from the candidate list to edit it.") % {"number": number}
            )
        return number


# Form field -> interchange path (spec section 4). Also maps the engine's error paths back to fields.
FIELD_PATHS = {"screening_number": "screening_number", "initials": "initials"} | CANDIDATE_FIELD_PATHS
FIELD_OF_PATH = {path: name for name, path in FIELD_PATHS.items()} | {
    "diagnosis": "diagnosis_type",
    "transfusion_or_growth_factor": "washout_any",
    "lesions": "lesions_assessed",
}


# --- rows: lesions, laboratory results, pregnancy tests -----------------------

class RowForm(forms.Form):
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
        entry = {name: interchange(self.cleaned_data.get(name)) for name in self.fields_in_record}
        entry["id"] = self.cleaned_data.get("id")
        return entry


class LesionForm(RowForm):
    site = forms.CharField(max_length=1000, required=False, label=_("Site"))
    kind = choice_field(eligibility.LESION_KINDS, vocabulary.LESION_KIND, label=_("Kind"))
    method = choice_field(eligibility.LESION_METHODS, vocabulary.LESION_METHOD, label=_("Method"))
    size_mm = number_field(label=_("Size (mm)"))
    slice_thickness_mm = number_field(label=_("Slice (mm)"))
    imaged_on = date_field(label=_("Imaged on"))
    locally_treated = YesNoField(blank=_("Unknown"), label=_("Locally treated"))
    progressed_after_local_treatment = YesNoField(blank=_("Unknown"), label=_("Progressed since"))
    fields_in_record = ("site", "kind", "method", "size_mm", "slice_thickness_mm", "imaged_on", "locally_treated",
                        "progressed_after_local_treatment")


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
    collected = date_field(label=_("Collected"))
    fields_in_record = ("test", "value", "unit", "uln", "collected")


class PregnancyTestForm(RowForm):
    specimen = choice_field(eligibility.SPECIMENS, vocabulary.SPECIMEN, label=_("Specimen"))
    result = choice_field(eligibility.PREGNANCY_RESULTS, vocabulary.PREGNANCY_RESULT, label=_("Result"))
    collected = datetime_field(label=_("Collected (Asia/Shanghai)"))
    fields_in_record = ("specimen", "result", "collected")


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
    "lesions": (row_formset(LesionForm, _("Target and non-target lesions"), _("Lesion")), "lesions"),
    "labs": (row_formset(LabForm, _("Laboratory results"), _("Laboratory result")), "lab_results"),
    "pregnancy_tests": (row_formset(PregnancyTestForm, _("Pregnancy tests"), _("Pregnancy test")), "pregnancy_tests"),
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
    ("labs", _("Laboratory results"), (), "labs"),
    ("washout", _("Supportive-care washout"), ("planned_first_dose", "washout_any", "washout_last_date"), None),
    ("reproductive", _("Reproductive status & pregnancy tests"),
     ("childbearing_potential", "partner_childbearing_potential", "contraception_agreed"), "pregnancy_tests"),
)


def existing_rows(candidate, related_name, fields):
    if candidate is None:
        return []
    return [{"id": row.pk, **{name: initial_value(getattr(row, name)) for name in fields}}
            for row in getattr(candidate, related_name).all()]


def template_rows(key, rows, ulns, units):
    """Blank rows offered for typing: every protocol lab test not yet present, in the site's reporting unit
    with its ULN; one lesion when none."""
    if key == "labs":
        present = {row["test"] for row in rows}
        return [
            {"test": test, "unit": units[test], "uln": ulns.get(test, {}).get(units[test])}
            for test in LAB_TESTS if test not in present
        ]
    if key == "lesions" and not rows:
        return [{}]
    return []


# --- the whole entry ----------------------------------------------------------

class CandidateEntry:
    """The candidate form and its three row formsets, validated and converted as one.

    ``record()`` builds the interchange record (plus ``initials``, row ``id``s
    and lesion ``site``s) and remembers which form made each list entry, so an
    engine error such as ``labs[2].unit`` lands on the right row even when
    deleted or untouched rows were skipped.
    """

    def __init__(self, data=None, *, candidate=None, ulns=None, units=None, preview=False):
        self.candidate = candidate
        self.ulns = ulns or {}
        self.units = {test: LAB_UNITS[test][0] for test in LAB_TESTS} | (units or {})
        self.is_bound = data is not None
        initial = None
        if candidate is not None:
            initial = {name: initial_value(getattr(candidate, name)) for name in CandidateForm.base_fields
                       if hasattr(candidate, name)} | {"version": candidate.version}
        self.form = CandidateForm(data, initial=initial, editing=candidate is not None, preview=preview)
        self.formsets = {}
        for key, (formset_class, related_name) in ROW_FORMSETS.items():
            rows = existing_rows(candidate, related_name, formset_class.form.fields_in_record)
            self.formsets[key] = formset_class(
                data, prefix=key, initial=rows + template_rows(key, rows, self.ulns, self.units),
                existing=len(rows)
            )
        self.rows = {}  # interchange key -> the form behind each list entry

    @property
    def lab_units_json(self):
        return json.dumps(LAB_UNITS)

    @property
    def reporting_units_json(self):
        return json.dumps(self.units)

    @property
    def reference_ulns_json(self):
        return json.dumps({test: {unit: str(uln) for unit, uln in units.items()} for test, units in self.ulns.items()})

    def is_valid(self):
        results = [self.form.is_valid()] + [formset.is_valid() for formset in self.formsets.values()]
        return all(results)

    @property
    def screening_number(self):
        if self.candidate is not None:
            return self.candidate.screening_number
        return self.form.cleaned_data.get("screening_number") or NEW_CANDIDATE

    @property
    def reason(self):
        return self.form.cleaned_data.get("reason") or ""

    @property
    def expected_version(self):
        """The version the user loaded; 0 for a new candidate (someone creating the same number meanwhile)."""
        return self.form.cleaned_data.get("version") if self.candidate is not None else 0

    def record(self):
        """The interchange record of a valid entry (call ``is_valid()`` first)."""
        data = self.form.cleaned_data
        record = {}
        for name, path in FIELD_PATHS.items():
            head, _, key = path.rpartition(".")
            (record.setdefault(head, {}) if head else record)[key] = interchange(data.get(name))
        record["screening_number"] = self.screening_number
        for key, formset in self.formsets.items():
            self.rows[key] = formset.counted_forms()
            record[key] = [form.entry() for form in self.rows[key]]
        for lab in record["labs"]:
            if lab["uln"] is None and lab["test"] in ULN_REQUIRED:
                lab["uln"] = self.ulns.get(lab["test"], {}).get(lab["unit"])  # the site's reference ULN
        if not record["lesions"] and not data.get("lesions_assessed"):
            record["lesions"] = None  # imaging not reviewed yet: missing, not "no lesion"
        return record

    def evaluate(self):
        """The engine's verdict on the entry as typed (nothing saved), or None when it has errors."""
        if not self.is_valid():
            return None
        try:
            return eligibility.evaluate(eligibility.parse_candidate(engine_record(self.record())))
        except InvalidRecord as error:
            self.add_record_error(error)
            return None

    def add_record_error(self, error):
        """Attach an ``InvalidRecord`` (``labs[2].unit``, ``diagnosis.type``, ``weight_kg``) to its field."""
        match = re.fullmatch(r"(lesions|labs|pregnancy_tests)\[(\d+)\](?:\.(\w+))?", error.field)
        if match and int(match[2]) < len(self.rows.get(match[1], ())):
            form = self.rows[match[1]][int(match[2])]
            name = match[3] if match[3] in form.fields else None
            form.add_error(name, error.message if name else f"{match[3] or gettext('row')}: {error.message}")
            return
        name = FIELD_OF_PATH.get(error.field, error.field)
        if name in self.form.fields and not self.form.fields[name].disabled:
            self.form.add_error(name, error.message)
        else:
            self.form.add_error(None, str(error))

    def add_error(self, message, field=None):
        if field:
            self.form.fields[field].required = True
        self.form.add_error(field, message)

    def sections(self):
        for section_id, heading, names, key in SECTIONS:
            fields = [self.form[name] for name in names if name in self.form.fields]
            yield {"id": section_id, "heading": heading, "fields": fields, "formset": self.formsets.get(key)}

    def problems(self):
        """Every error as (where, message, input id), in page order, for the summary and the preview."""
        found = []
        for error in self.form.non_field_errors():
            found.append((gettext("Candidate"), error, ""))
        for name, errors in self.form.errors.items():
            if name != "__all__":
                field = self.form[name]
                found.extend((field.label, error, field.id_for_label) for error in errors)
        for formset in self.formsets.values():
            found.extend((formset.title, error, "") for error in formset.non_form_errors())
            number = 0
            for form in formset.forms:
                if form.is_bound and form["DELETE"].data:
                    continue
                number += 1
                for name, errors in form.errors.items():
                    where = f"{formset.row_name} {number}"  # "Lesion 2", "实验室检查结果 2"
                    target = form[name] if name in form.fields else None
                    if target is not None:
                        where += f" · {target.label}"
                    found.extend((where, error, target.id_for_label if target else "") for error in errors)
        return found
