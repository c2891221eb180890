"""The words people read for the engine's enumerated values, in the reader's language.

One place for every label of a code (``female``, ``NEC``, ``serum``, ``eligible`` …):
model choices, form choices, filters, tables and documents all take them from here.
The codes themselves never change (exports and the interchange format keep them).
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

SEX = {"female": _("Female"), "male": _("Male")}
DIAGNOSIS_TYPE = {
    "NEC": _("NEC (neuroendocrine carcinoma)"), "NET_G3": _("NET G3"), "MINEN": _("MiNEN"), "OTHER": _("Other"),
}
CONFIRMATION = {"histological": _("Histological"), "cytological": _("Cytological"), "clinical": _("Clinical only")}
LESION_KIND = {"non_nodal": _("Non-nodal"), "nodal": _("Nodal")}
LESION_METHOD = {"CT": _("CT"), "MRI": _("MRI"), "CALIPER": _("Caliper"), "CHEST_XRAY": _("Chest X-ray")}
SPECIMEN = {"serum": _("Serum"), "urine": _("Urine")}
PREGNANCY_RESULT = {"negative": _("Negative"), "positive": _("Positive")}
LAB_TEST = {
    "anc": _("ANC"), "platelets": _("Platelets"), "haemoglobin": _("Haemoglobin"), "bilirubin": _("Bilirubin"),
    "alt": _("ALT"), "ast": _("AST"), "creatinine": _("Creatinine"),
}
OUTCOME = {"eligible": _("Eligible"), "ineligible": _("Ineligible"), "incomplete": _("Incomplete")}
STATUS = {
    "pass": pgettext_lazy("criterion status", "Pass"), "fail": pgettext_lazy("criterion status", "Fail"),
    "missing": pgettext_lazy("criterion status", "Missing"),
    "not_applicable": pgettext_lazy("criterion status", "Not applicable"),
}
YES_NO = {True: _("Yes"), False: _("No")}
DATASET = {"screening_log": _("Screening log"), "candidate_data": _("Full candidate data")}


def choices(values, labels):
    """[(code, label)] for ``values`` in their order; a code without a label reads as itself."""
    return [(value, labels.get(value, value)) for value in values]

ROLE = {
    "coordinator": _("coordinator"), "investigator": _("investigator"), "monitor": _("monitor"),
    "admin": pgettext_lazy("role", "admin"),
}

# Criterion labels of protocol 1.0, until the engine's label facts render them from the parameters.
CRITERION = {
    "consent": _("Informed consent signed before screening"),
    "age": _("Age 18–75 years"),
    "diagnosis": _("Metastatic extrapulmonary high-grade neuroendocrine neoplasm"),
    "prior_therapy": _("Exactly one prior systemic line, failed"),
    "ecog": _("ECOG performance status 0–1"),
    "life_expectancy": _("Life expectancy ≥ 3 months"),
    "measurable_disease": _("Measurable disease (RECIST 1.1)"),
    "supportive_care_washout": _("No blood components or growth factors within 14 days before first dose"),
    "anc": _("Absolute neutrophil count"),
    "platelets": _("Platelet count"),
    "haemoglobin": _("Haemoglobin"),
    "bilirubin": _("Total bilirubin"),
    "alt": _("Alanine aminotransferase (ALT)"),
    "ast": _("Aspartate aminotransferase (AST)"),
    "renal_function": _("Renal function (creatinine / clearance)"),
    "pregnancy_test": _("Negative serum pregnancy test"),
    "contraception": _("Agreement to use contraception"),
}


def criterion_choices(criteria):
    """[(id, label)] of the protocol's criteria, labels in the reader's language."""
    from screening import verdicts

    return [(criterion.id, _lazy_label(verdicts, criterion)) for criterion in criteria]


def _lazy_label(verdicts, criterion):
    from django.utils.functional import lazy

    return lazy(lambda: verdicts.label(criterion), str)()

# Lower-case words for sentences ("platelets: fail → pass").
STATUS_WORD = {
    "pass": pgettext_lazy("criterion status word", "pass"), "fail": pgettext_lazy("criterion status word", "fail"),
    "missing": pgettext_lazy("criterion status word", "missing"),
    "not_applicable": pgettext_lazy("criterion status word", "not applicable"),
}
OUTCOME_WORD = {
    "eligible": pgettext_lazy("outcome word", "eligible"), "ineligible": pgettext_lazy("outcome word", "ineligible"),
    "incomplete": pgettext_lazy("outcome word", "incomplete"),
}

# The audit trail's actions and the keys of AuditEvent.details, as words.
AUDIT_ACTION = {  # English: the action codes themselves (the trail and its CSV read the same)
    "created": pgettext_lazy("audit action", "created"), "changed": pgettext_lazy("audit action", "changed"),
    "deleted": pgettext_lazy("audit action", "deleted"), "sign": pgettext_lazy("audit action", "sign"),
    "enrol": pgettext_lazy("audit action", "enrol"), "close": pgettext_lazy("audit action", "close"),
    "rescreen": pgettext_lazy("audit action", "rescreen"), "export": pgettext_lazy("audit action", "export"),
    "export_audit_csv": pgettext_lazy("audit action", "export_audit_csv"),
    "export_checklist_pdf": pgettext_lazy("audit action", "export_checklist_pdf"),
}
AUDIT_DETAIL = {
    "outcome": _("outcome"), "meaning": _("meaning"), "sha256": "SHA-256", "subject_number": _("subject number"),
    "enrolment_date": _("enrolment date"), "override_reason": _("override reason"), "state": _("state"),
    "new_attempt": _("new attempt"), "rescreen_of": _("re-screen of"), "rows": _("rows"), "dataset": _("dataset"),
    "format": _("format"), "identified": _("identified"), "dates": _("dates"), "scope": _("scope"),
}
