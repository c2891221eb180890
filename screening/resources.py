"""Export tables (django-import-export resources), their data dictionary, and what de-identification does to
each column (the value policy itself is ``screening.deidentification.Policy``).

Every exported column is declared once, here, with its type and description;
the data dictionary is generated from the same declarations, so it cannot
miss a column.

Identified exports (admins only) show the data as stored. De-identified
exports (the default; the only choice for monitors):

- drop ``initials``, ``date_of_birth`` and the free-text ``state_reason``;
- give ``age_at_screening`` in completed years instead of the birth date
  (90 or older reads ``90+``);
- treat every date and datetime as the person exporting chooses: either
  shifted by one random number of days drawn for this export (1–365 days
  earlier, the same offset for every date in the file, so intervals between
  dates are kept; the offset is not written to the file or stored anywhere),
  or reduced to its month (``YYYY-MM``).

Screening and subject numbers are kept: they are study codes, the key that
joins the tables, and carry no personal data.

No value computed from the identified data leaves in a de-identified file
as it is: a digest of the identified record (``input_sha256``) would let
anyone holding the file confirm guesses of the date offset and the birth
date by hashing them (everything else in the record is in the file). Such
columns are of kind ``digest`` and are keyed with the server's secret
(HMAC-SHA256, ``Policy.digest``), which only this server can recompute.

Values: dates ISO ``YYYY-MM-DD``; datetimes ISO 8601 in Asia/Shanghai with
the offset (in XLSX workbooks: date cells, ``yyyy-mm-dd`` and ``yyyy-mm-dd
hh:mm:ss`` in Asia/Shanghai; a date reduced to its month stays text); yes/no fields ``yes``/``no``; unknown values empty. Text that a
spreadsheet would read as a formula (starting with = + - @) gets a leading
apostrophe.
"""

from datetime import date, datetime

import tablib
from django.utils import translation
from django.utils.translation import gettext_noop
from import_export import resources
from import_export.fields import Field

from screening import criterion_ids, protocols, verdicts, vocabulary
from screening.deidentification import AS_STORED, DATE_TREATMENTS, MONTH, SHIFT, Policy
from screening.selectors.signoff import SIGNOFF_MEANINGS

REMOVED = gettext_noop("removed")
AS_CHOSEN = gettext_noop("as chosen: %(shift)s, or %(month)s")
# The data dictionary's type words (the "type" column keeps these English codes; the page shows them translated).
TYPES = (gettext_noop("text"), gettext_noop("date"), gettext_noop("datetime"), gettext_noop("age"), gettext_noop("code"), gettext_noop("list"), gettext_noop("decimal"), gettext_noop("integer"), gettext_noop("yes/no"), gettext_noop("digest"))
DESCRIPTION_LANGUAGES = {"description": "en", "description_zh": "zh-hans"}


def codes_of(kind):
    """The codes of a status kind for a description ("eligible, ineligible or incomplete"), "or" in the
    description's language."""
    return lambda: vocabulary.listing(kind, last=translation.gettext("or"))


def describe(description, language):
    """A dictionary description (text, or (template, values)) in ``language``, from the catalogue. A value
    is text (translated), a callable (called in the language) or a criterion (its label)."""
    if not description:
        return ""
    with translation.override(language):
        if isinstance(description, tuple):
            template, values = description
            return translation.gettext(template) % {
                key: value() if callable(value) else translation.gettext(value) if isinstance(value, str)
                else verdicts.label(value)
                for key, value in values.items()
            }
        return translation.gettext(description)


def bilingual(description):
    """[English, Chinese] for the description and description_zh columns."""
    return [describe(description, language) for language in DESCRIPTION_LANGUAGES.values()]


IDENTIFYING = ("initials", "date_of_birth", "state_reason")
# ISO text (``Policy.present``) back to values, for workbook cells; datetimes in local time, without offset.
READERS = {
    "date": date.fromisoformat,
    "datetime": lambda text: datetime.fromisoformat(text).replace(tzinfo=None),
}

COMMON = {
    "screening_number": ("text", gettext_noop("Screening number of the screening attempt (study code; joins the tables).")),
    "rescreen_of": ("text", gettext_noop("Screening number of the earlier attempt this one re-screens; empty for a first attempt.")),
    "initials": ("text", gettext_noop("Patient initials (identified exports only).")),
    "date_of_birth": ("date", gettext_noop("Date of birth (identified exports only).")),
    "age_at_screening": ("age", gettext_noop("Age in completed years on the screening date.")),
    "sex": ("code", gettext_noop("female or male.")),
    "screening_date": ("date", gettext_noop("Screening date.")),
    "state": ("code", (gettext_noop("%(codes)s."), {"codes": codes_of("state")})),
    "state_reason": ("text", gettext_noop("Free-text reason for the screening outcome (identified exports only).")),
    "subject_number": ("text", gettext_noop("Subject number given at enrolment (NLX-001 …); empty if not enrolled.")),
    "enrolment_date": ("date", gettext_noop("Date of enrolment; empty if not enrolled.")),
    "outcome": ("code", (gettext_noop("Outcome of the latest evaluation: %(codes)s."), {"codes": codes_of("outcome")})),
    "protocol_version": ("text", gettext_noop("Protocol version the evaluation applied.")),
}


def common(*names):
    return {name: COMMON[name] for name in names}


class ExportResource(resources.Resource):
    """A table of an export: declared columns, values passed through the policy."""

    table = ""  # sheet name / CSV file name
    columns = {}  # column -> (type, description), in export order

    def __init__(self, policy):
        super().__init__()
        self.policy = policy
        for name in self.columns:
            self.fields.setdefault(name, Field(attribute=name, column_name=name))
        self._export_fields = [
            self.fields[name]
            for name in self.columns
            if not (policy.deidentified and name in IDENTIFYING)
        ]

    def get_export_fields(self, selected_fields=None):
        return self._export_fields

    def export_field(self, field, instance, **kwargs):
        dehydrate = getattr(self, f"dehydrate_{field.column_name}", None)
        value = dehydrate(instance) if dehydrate else field.get_value(instance)
        return self.policy.present(value)

    def export(self, queryset=None, **kwargs):
        dataset = super().export(queryset, **kwargs)
        dataset.title = self.table
        return dataset

    def typed(self, dataset):
        """``dataset`` (this resource's export) with its dates and datetimes as date and datetime values,
        for a workbook: spreadsheet dates, not text. Datetimes are the site's local time (a spreadsheet
        cell has no offset); dates reduced to the month stay text (YYYY-MM)."""
        readers = {
            index: READERS[self.columns[name][0]]
            for index, name in enumerate(dataset.headers)
            if self.columns.get(name, ("",))[0] in READERS
        }
        if not readers or self.policy.dates == MONTH:
            return dataset
        typed = tablib.Dataset(headers=dataset.headers, title=dataset.title)
        for row in dataset:
            typed.append([readers[index](value) if index in readers and value else value
                          for index, value in enumerate(row)])
        return typed

    def dictionary_rows(self):
        for field in self._export_fields:
            kind, description = self.columns[field.column_name]
            yield [self.table, field.column_name, kind, *bilingual(description), self.policy.treatment(kind)]


class ScreeningLogResource(ExportResource):
    """One row per screening attempt; rows are dicts from ``selectors.exports.screening_log``."""

    table = "screening_log"
    columns = {
        **common("screening_number", "rescreen_of", "initials", "screening_date", "age_at_screening", "sex",
                 "outcome"),
        "failing_criteria": ("list", gettext_noop("Ids of the criteria the latest evaluation fails, separated by ';'.")),
        "missing_criteria": ("list", gettext_noop("Ids of the criteria with data missing in the latest evaluation, ';'-separated.")),
        "sign_off": ("code", (gettext_noop("%(codes)s: %(meanings)s."),
                              {"codes": codes_of("signoff"), "meanings": SIGNOFF_MEANINGS})),
        **common("state", "state_reason", "subject_number", "enrolment_date", "protocol_version"),
        "evaluated_at": ("datetime", gettext_noop("Time of the latest evaluation.")),
        "open_queries": ("integer", gettext_noop("Data queries on the attempt not closed yet (open or answered).")),
    }
    rescreen_of = Field(attribute="rescreen_of_number", column_name="rescreen_of")
    sign_off = Field(attribute="signoff_state", column_name="sign_off")

    def dehydrate_age_at_screening(self, row):
        return self.policy.age(row["date_of_birth"], row["screening_date"])

    def dehydrate_failing_criteria(self, row):
        return ";".join(criterion_ids.decode(row["failing_criteria"]))

    def dehydrate_missing_criteria(self, row):
        return ";".join(criterion_ids.decode(row["missing_criteria"]))


class CandidateResource(ExportResource):
    table = "candidates"
    columns = {
        **common("screening_number", "rescreen_of", "initials", "date_of_birth", "age_at_screening", "sex"),
        "weight_kg": ("decimal", gettext_noop("Body weight, kg.")),
        **common("screening_date"),
        "consent_signed_on": ("date", gettext_noop("Date informed consent was signed.")),
        "planned_first_dose": ("datetime", gettext_noop("Planned first dose.")),
        "diagnosis_type": ("code", gettext_noop("NEC, NET_G3, MINEN or OTHER.")),
        "diagnosis_confirmation": ("code", gettext_noop("histological, cytological or clinical.")),
        "primary_site": ("text", gettext_noop("Primary tumour site (free text).")),
        "metastatic": ("yes/no", gettext_noop("Metastatic disease.")),
        "ne_component_percent": ("decimal", gettext_noop("MINEN: neuroendocrine component, %.")),
        "prior_systemic_lines": ("integer", gettext_noop("Number of prior lines of systemic therapy.")),
        "prior_line_failed": ("yes/no", gettext_noop("The prior line failed.")),
        "ecog": ("integer", gettext_noop("ECOG performance status 0–5.")),
        "life_expectancy_months": ("decimal", gettext_noop("Life expectancy, months.")),
        "liver_metastases": ("yes/no", gettext_noop("Liver metastases present.")),
        "lesions_assessed": ("yes/no", gettext_noop("Baseline imaging reviewed (with no lesion rows: no lesion found).")),
        "washout_any": ("yes/no", gettext_noop("Blood components or growth factors given before the first dose.")),
        "washout_last_date": ("date", gettext_noop("Last date blood components or growth factors were given.")),
        "childbearing_potential": ("yes/no", gettext_noop("Childbearing potential.")),
        "partner_childbearing_potential": ("yes/no", gettext_noop("Male candidate: partner of childbearing potential.")),
        "contraception_agreed": ("yes/no", gettext_noop("Agreed to use contraception.")),
        **common("outcome", "state", "state_reason"),
        "closed_at": ("datetime", gettext_noop("Time the screening was closed (enrolled, screen failure, declined, other).")),
        **common("subject_number", "enrolment_date"),
        "dfs_6_month": ("code", (gettext_noop("Primary endpoint, 6-month disease-free survival: %(codes)s "
                                              "(not yet evaluable); empty if not recorded."), {"codes": codes_of("dfs")})),
        "dfs_assessed_on": ("date", gettext_noop("Date of the 6-month DFS assessment.")),
    }
    rescreen_of = Field(attribute="rescreen_of__screening_number", column_name="rescreen_of")
    outcome = Field(attribute="latest_evaluation__outcome", column_name="outcome")
    dfs_6_month = Field(attribute="endpoint__dfs_6_month", column_name="dfs_6_month")
    dfs_assessed_on = Field(attribute="endpoint__assessed_on", column_name="dfs_assessed_on")

    def dehydrate_age_at_screening(self, candidate):
        return self.policy.age(candidate.date_of_birth, candidate.screening_date)


class LabResultResource(ExportResource):
    table = "lab_results"
    columns = {
        **common("screening_number"),
        "position": ("integer", gettext_noop("Order of entry (the last listed wins on the same date).")),
        "test": ("code", gettext_noop("anc, platelets, haemoglobin, bilirubin, alt, ast or creatinine.")),
        "value": ("decimal", gettext_noop("Result value, in unit.")),
        "unit": ("code", gettext_noop("UCUM unit code of value and uln (e.g. 10*9/L, umol/L, U/L).")),
        "uln": ("decimal", gettext_noop("Upper limit of normal of the reporting laboratory, in unit.")),
        "collected": ("date", gettext_noop("Date the sample was collected.")),
        "uln_source": ("code", gettext_noop("Where the uln came from: report (typed or confirmed from the laboratory "
                                            "report) or site_default (the site's reference range); empty without a uln "
                                            "or for rows saved before this was recorded.")),
    }
    screening_number = Field(attribute="candidate__screening_number", column_name="screening_number")


class LesionResource(ExportResource):
    table = "lesions"
    columns = {
        **common("screening_number"),
        "position": ("integer", gettext_noop("Order of entry.")),
        "site": ("text", gettext_noop("Anatomical site (free text).")),
        "kind": ("code", gettext_noop("non_nodal or nodal.")),
        "method": ("code", gettext_noop("CT, MRI, CALIPER or CHEST_XRAY.")),
        "size_mm": ("decimal", gettext_noop("Longest diameter (non-nodal) or short axis (nodal), mm.")),
        "slice_thickness_mm": ("decimal", gettext_noop("CT/MRI slice thickness, mm.")),
        "imaged_on": ("date", gettext_noop("Date of the baseline imaging that measured the lesion.")),
        "locally_treated": ("yes/no", gettext_noop("Lesion previously treated locally.")),
        "progressed_after_local_treatment": ("yes/no", gettext_noop("Progressed after local treatment.")),
    }
    screening_number = Field(attribute="candidate__screening_number", column_name="screening_number")


class PregnancyTestResource(ExportResource):
    table = "pregnancy_tests"
    columns = {
        **common("screening_number"),
        "position": ("integer", gettext_noop("Order of entry.")),
        "specimen": ("code", gettext_noop("serum or urine (only serum counts).")),
        "result": ("code", gettext_noop("negative or positive.")),
        "collected": ("datetime", gettext_noop("Time the specimen was collected.")),
    }
    screening_number = Field(attribute="candidate__screening_number", column_name="screening_number")


class EvaluationResource(ExportResource):
    """Every stored evaluation (the history), one column per criterion with its status."""

    table = "evaluations"
    columns = {
        "evaluation_id": ("integer", gettext_noop("Identifier of the evaluation snapshot.")),
        **common("screening_number"),
        "evaluated_at": ("datetime", gettext_noop("Time of the evaluation.")),
        "evaluated_by": ("text", gettext_noop("User who saved the data evaluated (empty for batch imports).")),
        **common("protocol_version"),
        "protocol_sha256": ("text", gettext_noop("SHA-256 of the protocol definition file evaluated under (empty "
                                                 "before revision 2).")),
        **common("outcome"),
        "is_latest": ("yes/no", gettext_noop("This is the candidate's current (latest) evaluation.")),
        "signed": ("yes/no", gettext_noop("An investigator electronically signed this evaluation.")),
        "input_sha256": ("digest", gettext_noop("SHA-256 of the exact input record evaluated (de-identified "
                                                "exports: keyed, see the treatment).")),
        **{
            f"status_{criterion.id}": (
                "code", (gettext_noop("%(label)s: %(codes)s (criterion id %(id)s)."),
                         {"label": criterion, "codes": codes_of("criterion"), "id": lambda id_=criterion.id: id_}),
            )
            for criterion in protocols.all_criteria()
        },
    }
    evaluation_id = Field(attribute="id", column_name="evaluation_id")
    screening_number = Field(attribute="candidate__screening_number", column_name="screening_number")
    evaluated_at = Field(attribute="created_at", column_name="evaluated_at")
    evaluated_by = Field(attribute="created_by__username", column_name="evaluated_by")

    def dehydrate_input_sha256(self, evaluation):
        return self.policy.digest(evaluation.input_sha256)

    def dehydrate_is_latest(self, evaluation):
        return evaluation.candidate.latest_evaluation_id == evaluation.id

    def export_field(self, field, instance, **kwargs):
        name = field.column_name
        if name.startswith("status_"):
            if not hasattr(instance, "_statuses"):
                instance._statuses = instance.statuses()
            return instance._statuses.get(name.removeprefix("status_"), "")
        return super().export_field(field, instance, **kwargs)


FULL_DATA = (CandidateResource, LabResultResource, LesionResource, PregnancyTestResource, EvaluationResource)
from screening.resources_monitoring import QueryResource, VerificationResource  # noqa: E402 (issue 16)

FULL_DATA += (QueryResource, VerificationResource)


def dictionary_entries(language):
    """(table, column, type, description, identified, de-identified) of every column of both datasets,
    the words in ``language`` (the column names and type codes are machine names, the same in every language)."""
    for resource in (ScreeningLogResource, *FULL_DATA):
        for name, (kind, description) in resource.columns.items():
            if name in IDENTIFYING or name in getattr(resource, "free_text", ()):
                deidentified = describe(REMOVED, language)
            elif kind in ("date", "datetime"):
                deidentified = describe(AS_CHOSEN, language) % {
                    "shift": describe(DATE_TREATMENTS[SHIFT], language),
                    "month": describe(DATE_TREATMENTS[MONTH], language)}
            else:
                deidentified = describe(Policy(deidentified=True).treatment(kind), language)
            yield resource.table, name, kind, describe(description, language), describe(AS_STORED, language), deidentified


def reference_dictionary():
    """Every column of both datasets, with its treatment in identified and de-identified exports;
    descriptions in English and Chinese."""
    dataset = tablib.Dataset(
        headers=["table", "column", "type", *DESCRIPTION_LANGUAGES, "identified_exports", "deidentified_exports"]
    )
    dataset.title = "data_dictionary"
    chinese = dictionary_entries("zh-hans")
    for table, name, kind, description, identified, deidentified in dictionary_entries("en"):
        dataset.append([table, name, kind, description, next(chinese)[3], identified, deidentified])
    return dataset


def dictionary_for_reader():
    """The data dictionary for the exports page, in the active language."""
    language = translation.get_language()
    keys = ("table", "column", "type", "description", "identified_exports", "deidentified_exports")
    return [dict(zip(keys, (table, name, describe(kind, language), *rest)))
            for table, name, kind, *rest in dictionary_entries(language)]


def data_dictionary(resources_):
    """The data dictionary sheet for these (instantiated) resources."""
    dataset = tablib.Dataset(headers=["table", "column", "type", *DESCRIPTION_LANGUAGES, "in_this_export"])
    dataset.title = "data_dictionary"
    for resource in resources_:
        for row in resource.dictionary_rows():
            dataset.append(row)
    return dataset
