"""The vocabulary words that appear as values of facts (test ids, units, specimens, methods, lesion kinds, field
names, ...), keyed by the value itself, and ``gettext_noop``, which marks every English text of the engine for
Django's ``makemessages`` (a local no-op: the engine has no Django).
"""


def gettext_noop(text: str) -> str:
    return text


_ = gettext_noop


# Vocabulary words that appear as values (test ids, units, specimens,
# methods, lesion kinds, field names, ...), keyed by the value itself.
TERMS: dict[str, str] = {
    "anc": _("ANC"),
    "platelets": _("Platelets"),
    "haemoglobin": _("Haemoglobin"),
    "bilirubin": _("Bilirubin"),
    "alt": _("ALT"),
    "ast": _("AST"),
    "creatinine": _("Creatinine"),
    "10*9/L": _("×10⁹/L"),
    "10*3/uL": _("×10³/µL"),
    "10*3/mm3": _("×10³/mm³"),
    "/uL": _("/µL"),
    "/mm3": _("/mm³"),
    "g/dL": _("g/dL"),
    "g/L": _("g/L"),
    "mmol/L": _("mmol/L"),
    "umol/L": _("µmol/L"),
    "mg/dL": _("mg/dL"),
    "U/L": _("U/L"),
    "IU/L": _("IU/L"),
    "serum": _("serum"),
    "urine": _("urine"),
    "non_nodal": _("non-nodal"),
    "nodal": _("nodal"),
    "CT": _("CT"),
    "MRI": _("MRI"),
    "CHEST_XRAY": _("chest X-ray"),
    "CALIPER": _("caliper"),
    "NEC": _("NEC"),
    "NET_G3": _("NET G3"),
    "MINEN": _("MINEN"),
    "OTHER": _("OTHER"),
    "histological": _("histological"),
    "cytological": _("cytological"),
    "clinical": _("clinical"),
    "positive": _("positive"),
    "negative": _("negative"),
    "candidate": _("Candidate"),
    "partner": _("Partner"),
    "diagnosis_type": _("type"),
    "confirmation": _("confirmation"),
    "metastatic": _("metastatic"),
    "primary_site": _("primary site"),
    "ne_component_percent": _("NE component % (MINEN)"),
    "size_mm": _("size"),
    "slice_thickness_mm": _("slice thickness"),
    "imaged_on": _("imaging date"),
    "planned_first_dose": _("planned first dose"),
    "locally_treated": _("whether locally treated"),
    "progressed_after_local_treatment": _("progression after local treatment"),
    "weight_kg": _("weight"),
    "sex": _("sex"),
    "date_of_birth": _("date of birth"),
    "not_locally_treated": _("not locally treated"),
    "progressed_treatment_not_recorded": _("progressed (local treatment not recorded)"),
    "or": _("or"),
    "day": _("{count} day"),
    "days": _("{count} days"),
}


# Values with these names are vocabulary (rendered through TERMS).
VOCABULARY = frozenset(
    {"test", "unit", "min_unit", "canonical_unit", "specimen", "kind", "method", "type", "types", "confirmation",
     "confirmations", "whose", "fields", "history", "result", "fitting_units"}
)
