"""Build candidate records for tests: a valid base record plus overrides.

The base is an eligible woman of childbearing potential screened on
2026-03-02, first dose 2026-03-10 09:00 +08:00, every lab collected
2026-02-27. Values are written as the JSON interchange would carry them
(numbers as exact strings or ints).
"""

from __future__ import annotations

import copy
from pathlib import Path

from screening.eligibility import Status, evaluate, evaluate_entry, parse_candidate  # noqa: F401 (re-exported)

PROTOCOL_FILE = Path(__file__).resolve().parents[2] / "screening" / "eligibility" / "protocols" / "protocol-1.0.toml"

ABSENT = object()  # an override that removes the key

SCREENING_DATE = "2026-03-02"
LAB_DATE = "2026-02-27"
FIRST_DOSE = "2026-03-10T09:00:00+08:00"

_DEFAULT_LABS = {
    "anc": ("2.1", "10*9/L", None),
    "platelets": ("150", "10*9/L", None),
    "haemoglobin": ("11", "g/dL", None),
    "bilirubin": ("10", "umol/L", "21"),
    "alt": ("30", "U/L", "40"),
    "ast": ("30", "U/L", "40"),
    "creatinine": ("70", "umol/L", "84"),
}


def _apply(base: dict, overrides: dict) -> dict:
    result = copy.deepcopy(base)
    for key, value in overrides.items():
        if value is ABSENT:
            result.pop(key, None)
        else:
            result[key] = value
    return result


def lab(test: str, value=None, unit=None, uln=ABSENT, collected: str = LAB_DATE) -> dict:
    """One lab entry; unspecified parts take the test's default."""
    default_value, default_unit, default_uln = _DEFAULT_LABS[test]
    return {
        "test": test,
        "value": default_value if value is None else value,
        "unit": default_unit if unit is None else unit,
        "uln": default_uln if uln is ABSENT else uln,
        "collected": collected,
    }


def lesion(**overrides) -> dict:
    base = {
        "kind": "non_nodal",
        "method": "CT",
        "size_mm": "23",
        "slice_thickness_mm": "5",
        "imaged_on": "2026-02-26",
        "locally_treated": False,
        "progressed_after_local_treatment": None,
    }
    return _apply(base, overrides)


def pregnancy(result: str = "negative", collected: str = "2026-03-08T10:30:00+08:00", specimen: str = "serum") -> dict:
    return {"specimen": specimen, "result": result, "collected": collected}


BASE = {
    "screening_number": "NLX-T-001",
    "screening_date": SCREENING_DATE,
    "planned_first_dose": FIRST_DOSE,
    "date_of_birth": "1961-05-14",
    "sex": "female",
    "weight_kg": "58.5",
    "consent_signed_on": "2026-03-01",
    "diagnosis": {
        "type": "NEC",
        "confirmation": "histological",
        "primary_site": "pancreas",
        "metastatic": True,
        "ne_component_percent": None,
    },
    "prior_systemic_lines": 1,
    "prior_line_failed": True,
    "ecog": 1,
    "life_expectancy_months": 6,
    "liver_metastases": True,
    "lesions": [lesion()],
    "transfusion_or_growth_factor": {"any": False},
    "labs": [lab(test) for test in _DEFAULT_LABS],
    "childbearing_potential": True,
    "partner_childbearing_potential": None,
    "contraception_agreed": True,
    "pregnancy_tests": [pregnancy()],
}


def candidate(*, replace_labs: dict | None = None, diagnosis_fields: dict | None = None, **overrides) -> dict:
    """The base record with top-level ``overrides``;
    ``replace_labs={"anc": lab(...)}`` replaces that test's entry (``None``
    removes it); ``diagnosis_fields={...}`` overrides fields of the diagnosis."""
    record = _apply(BASE, overrides)
    if replace_labs:
        kept = [entry for entry in record["labs"] if entry["test"] not in replace_labs]
        record["labs"] = kept + [entry for entry in replace_labs.values() if entry is not None]
    if diagnosis_fields:
        record["diagnosis"] = _apply(record["diagnosis"], diagnosis_fields)
    return record


def evaluation(record: dict):
    return evaluate(parse_candidate(record))


def status(criterion_id: str, record: dict | None = None, **overrides) -> Status:
    """The status of one criterion for ``record`` (default: ``candidate(**overrides)``)."""
    if record is None:
        record = candidate(**overrides)
    return evaluation(record).result(criterion_id).status


def result(criterion_id: str, record: dict | None = None, **overrides):
    if record is None:
        record = candidate(**overrides)
    return evaluation(record).result(criterion_id)


def error(record) -> str:
    """The error message of a record that must be refused."""
    entry = evaluate_entry(record)
    assert "error" in entry, f"record was accepted: {entry}"
    return entry["error"]


def with_labs(*entries: dict, **overrides) -> dict:
    """``candidate(**overrides)`` whose results for the tests of ``entries``
    are exactly ``entries`` (several of one test allowed, in this order)."""
    tests = {entry["test"] for entry in entries}
    record = candidate(**overrides)
    record["labs"] = [entry for entry in record["labs"] if entry["test"] not in tests] + list(entries)
    return record
