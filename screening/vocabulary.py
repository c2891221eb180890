"""Every status the application shows, defined once: code → label, word, icon and printed word.

- ``label``: the capitalised name (checklist column, filters, form and model choices): "Pass", "Screen failure";
- ``word``: the short form in sentences, badges and tables: "pass", "screen failure";
- ``icon``: the Bootstrap icon shown beside it (a status is always an icon and a word, never colour alone);
- ``printed``: the word on paper (the PDF checklist); the label unless given;
- ``choice``: the label in a form's or model's choices, when it says more than the label;
- ``tone``: the Bootstrap colour of a card or headline that shows it (trial decisions).

Kinds: ``criterion`` (a criterion's status), ``outcome`` (an evaluation's), ``signoff`` (``selectors.signoff``),
``state`` (a screening attempt's, ``Candidate.State``) and ``dfs`` (6-month disease-free survival,
``EndpointAssessment.Dfs``), ``query`` (a data query's, ``Query.State``) and ``decision`` (a trial stage's,
``trial_design``). Templates show them with ``{% status_word kind code %}`` (``status_tags``); the
PDF, the filters, the exports' data dictionary and the model choices read them here. The codes never change
(exports and the interchange format keep them); labels and words are translatable.

The words of the engine's other codes (``female``, ``NEC``, ``serum`` …), the roles, the audit trail's
actions and details, and the protocol's parameters are here too, for the same reason: model choices, form
choices, filters, tables and documents all take them from here.
"""

from dataclasses import dataclass

from django.utils.functional import Promise, lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


@dataclass(frozen=True)
class Term:
    label: str | Promise
    word: str | Promise
    icon: str
    printed: str | Promise = ""
    choice: str | Promise = ""
    tone: str = ""

    @property
    def on_paper(self):
        return self.printed or self.label

    @property
    def choice_label(self):
        return self.choice or self.label


STATUSES = {
    "criterion": {
        "pass": Term(pgettext_lazy("criterion status", "Pass"), pgettext_lazy("criterion status word", "pass"),
                     "bi-check-circle-fill"),
        "fail": Term(pgettext_lazy("criterion status", "Fail"), pgettext_lazy("criterion status word", "fail"),
                     "bi-x-octagon-fill"),
        "missing": Term(pgettext_lazy("criterion status", "Missing"),
                        pgettext_lazy("criterion status word", "missing"), "bi-question-circle-fill"),
        "not_applicable": Term(pgettext_lazy("criterion status", "Not applicable"),
                               pgettext_lazy("criterion status word", "not applicable"), "bi-dash-circle"),
    },
    "outcome": {
        "eligible": Term(_("Eligible"), pgettext_lazy("outcome word", "eligible"), "bi-check-circle-fill",
                         pgettext_lazy("outcome printed", "ELIGIBLE")),
        "ineligible": Term(_("Ineligible"), pgettext_lazy("outcome word", "ineligible"), "bi-x-octagon-fill",
                           pgettext_lazy("outcome printed", "INELIGIBLE")),
        "incomplete": Term(_("Incomplete"), pgettext_lazy("outcome word", "incomplete"), "bi-hourglass-split",
                           pgettext_lazy("outcome printed", "INCOMPLETE")),
    },
    "signoff": {
        "unsigned": Term(_("Unsigned"), _("unsigned"), "bi-circle"),
        "signed": Term(_("Signed"), _("signed"), "bi-pen-fill"),
        "superseded": Term(_("Superseded"), _("superseded"), "bi-exclamation-triangle-fill"),
    },
    "state": {
        "screening": Term(_("Screening"), pgettext_lazy("state word", "screening"), "bi-hourglass-split"),
        "enrolled": Term(_("Enrolled"), pgettext_lazy("state word", "enrolled"), "bi-person-check-fill"),
        "screen_failure": Term(_("Screen failure"), pgettext_lazy("state word", "screen failure"),
                               "bi-x-circle-fill"),
        "declined": Term(_("Declined to participate"), pgettext_lazy("state word", "declined"), "bi-person-x-fill"),
        "not_enrolled": Term(_("Not enrolled (other reason)"),
                             pgettext_lazy("state word", "not enrolled (other reason)"), "bi-slash-circle"),
    },
    "dfs": {
        "yes": Term(_("Yes"), pgettext_lazy("dfs word", "yes"), "bi-check-circle-fill",
                    choice=_("Yes — reached 6-month DFS")),
        "no": Term(_("No"), pgettext_lazy("dfs word", "no"), "bi-x-circle-fill"),
        "not_evaluable": Term(_("Not yet evaluable"), pgettext_lazy("dfs word", "not yet evaluable"),
                              "bi-hourglass-split"),
    },
    "query": {
        "open": Term(_("Open"), pgettext_lazy("query state word", "open"), "bi-chat-left-dots-fill"),
        "answered": Term(_("Answered"), pgettext_lazy("query state word", "answered"), "bi-reply-fill"),
        "closed": Term(_("Closed"), pgettext_lazy("query state word", "closed"), "bi-check-circle-fill"),
    },
    "decision": {  # trial_design.PASSED …; the dashboard's headlines say them per stage
        "passed": Term(pgettext_lazy("trial decision", "Passed"), pgettext_lazy("trial decision word", "passed"),
                       "bi-check-circle-fill", tone="success"),
        "possible": Term(pgettext_lazy("trial decision", "Still possible"),
                         pgettext_lazy("trial decision word", "still possible"), "bi-hourglass-split", tone="primary"),
        "cannot_pass": Term(pgettext_lazy("trial decision", "Cannot pass any more"),
                            pgettext_lazy("trial decision word", "cannot pass any more"), "bi-x-octagon-fill",
                            tone="danger"),
        "stopped": Term(pgettext_lazy("trial decision", "Stopped"), pgettext_lazy("trial decision word", "stopped"),
                        "bi-sign-stop-fill", tone="danger"),
    },
}
QUERY_ICON = STATUSES["query"]["open"].icon  # a query as such (badges, the sign-off block): an open one's
NOTE_ICONS = {"expiry": "bi-clock-history", "caution": "bi-exclamation-triangle-fill"}  # eligibility.note_kind
NOT_EVALUATED = Term(_("Not evaluated"), _("not evaluated"), "bi-dash-circle")  # an attempt with no evaluation


def term(kind, code):
    """The term of ``code`` (a string, or the engine's ``Status`` / ``Outcome``); an outcome of None reads
    "not evaluated", an unknown code as itself."""
    if code is None and kind == "outcome":
        return NOT_EVALUATED
    code = getattr(code, "value", code)
    known = STATUSES[kind].get(code)
    if known is not None:
        return known
    text = str(code or "—")
    return Term(text, text, "bi-circle")


def codes(kind):
    """The codes of a kind, in their order."""
    return tuple(STATUSES[kind])


def status_choices(kind):
    """[(code, label)]: form, filter and model choices."""
    return [(code, entry.choice_label) for code, entry in STATUSES[kind].items()]


def listing(kind, *, last="or"):
    """"eligible, ineligible or incomplete": the codes of a kind, for documentation (the data dictionary)."""
    *others, final = codes(kind)
    return f"{', '.join(others)} {last} {final}" if others else final


# --- the words of the other codes -----------------------------------------------------

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
YES_NO = {True: _("Yes"), False: _("No")}
# The fields of an interchange lab or pregnancy-test entry (spec section 4), as words.
ENTRY_FIELD = {
    "test": _("test"), "value": _("result"), "unit": _("unit"), "uln": _("ULN"), "collected": _("collection date"),
    "specimen": _("specimen"), "result": _("result"),
}
# The columns of an LIS export (``screening.labimport.headers``), as words.
LIS_COLUMN = {
    "code": _("test code"), "name": _("test name"), "value": _("result"), "unit": _("unit"),
    "range": _("reference range"), "collected": _("collection time"), "reported": _("report time"),
    "specimen": _("specimen"),
}
DATASET = {"screening_log": _("Screening log"), "candidate_data": _("Full candidate data")}


def choices(values, labels=None):
    """[(code, label)] for ``values`` in their order; a code without a label reads as itself."""
    labels = labels or {}
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
    return [(criterion.id, _lazy_label(criterion)) for criterion in criteria]


def _label(criterion):
    from screening import verdicts

    return verdicts.label(criterion)


_lazy_label = lazy(_label, str)  # made once: lazy() builds a proxy class, costly per call


# The audit trail's actions and the keys of AuditEvent.details, as words.
AUDIT_ACTION = {  # English: the action codes themselves (the trail and its CSV read the same)
    "created": pgettext_lazy("audit action", "created"), "changed": pgettext_lazy("audit action", "changed"),
    "deleted": pgettext_lazy("audit action", "deleted"), "sign": pgettext_lazy("audit action", "sign"),
    "enrol": pgettext_lazy("audit action", "enrol"), "close": pgettext_lazy("audit action", "close"),
    "rescreen": pgettext_lazy("audit action", "rescreen"), "export": pgettext_lazy("audit action", "export"),
    "export_audit_csv": pgettext_lazy("audit action", "export_audit_csv"),
    "export_checklist_pdf": pgettext_lazy("audit action", "export_checklist_pdf"),
    "export_study_audit_csv": pgettext_lazy("audit action", "export_study_audit_csv"),
    "lab_import": pgettext_lazy("audit action", "lab_import"),
    "amendment_reevaluation": pgettext_lazy("audit action", "amendment_reevaluation"),
    "password_reentry_failed": pgettext_lazy("audit action", "password_reentry_failed"),
    "password_lockout": pgettext_lazy("audit action", "password_lockout"),
    "query_raise": pgettext_lazy("audit action", "query_raise"),
    "query_answer": pgettext_lazy("audit action", "query_answer"),
    "query_close": pgettext_lazy("audit action", "query_close"),
    "query_reopen": pgettext_lazy("audit action", "query_reopen"),
    "sdv_verify": pgettext_lazy("audit action", "sdv_verify"),
}
AUDIT_DETAIL = {
    "outcome": _("outcome"), "meaning": _("meaning"), "sha256": _("sha256"), "subject_number": _("subject number"),
    "enrolment_date": _("enrolment date"), "override_reason": _("override reason"), "state": _("state"),
    "new_attempt": _("new attempt"), "rescreen_of": _("re-screen of"), "rows": _("rows"), "dataset": _("dataset"),
    "format": _("format"), "identified": _("identified"), "dates": _("dates"), "scope": _("scope"),
    "deidentified": _("de-identified"), "purpose": _("purpose"), "address": _("address"),
    "file_name": _("file name"), "added": _("added"), "duplicates": _("duplicates"), "rejected": _("rejected"),
    "amendment": _("amendment"), "from_version": _("from version"), "to_version": _("to version"),
    "protocol_sha256": _("protocol SHA-256"), "changes": _("changes"),
    "query": _("data query"), "item": _("item"), "assigned_role": _("assigned to"), "value": _("value"),
    "message": _("message"), "corrected": _("corrected"), "items": _("items"), "count": _("count"),
}

# The protocol definition's settings and criterion parameters (protocol-<version>.toml keys), as words.
PARAMETER = {  # English: the key itself, spaced (as the protocol page always read)
    "trial": _("trial"), "effective_from": _("effective from"), "site_timezone": _("site timezone"),
    "lab_window_days": _("lab window days"), "min_years": _("min years"), "max_years": _("max years"),
    "types": _("types"), "confirmations": _("confirmations"),
    "minen_ne_component_above_percent": _("minen ne component above percent"), "lines": _("lines"),
    "max": _("max"), "min": _("min"), "min_months": _("min months"), "non_nodal_min_mm": _("non nodal min mm"),
    "chest_xray_min_mm": _("chest xray min mm"), "nodal_short_axis_min_mm": _("nodal short axis min mm"),
    "imaging_window_days": _("imaging window days"), "days": _("days"), "max_uln": _("max uln"),
    "max_uln_liver_metastases": _("max uln liver metastases"), "creatinine_max_uln": _("creatinine max uln"),
    "clearance_above": _("clearance above"), "window_hours": _("window hours"),
}
