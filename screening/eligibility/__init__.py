"""NALIRIFOX screening eligibility rules, pure Python (no Django).

    record = parse_candidate(loads(text)[0])   # raises InvalidRecord
    evaluation = evaluate(record)              # Evaluation
    evaluation.as_dict()                       # the batch interface's entry
    evaluate_entry(obj)                        # never raises: as_dict() or an error entry
"""

from .engine import evaluate, evaluate_entry
from .parsing import InvalidRecord, loads, parse_candidate
from .protocol import CRITERIA, PROTOCOL, PROTOCOL_VERSION, Criterion, Protocol
from .types import (
    CONFIRMATIONS,
    DIAGNOSIS_TYPES,
    LESION_KINDS,
    LESION_METHODS,
    PREGNANCY_RESULTS,
    SEXES,
    SPECIMENS,
    CandidateRecord,
    CriterionResult,
    Diagnosis,
    Evaluation,
    LabResult,
    Lesion,
    Outcome,
    PregnancyTest,
    Status,
    Washout,
)
from .units import LAB_TESTS, LAB_UNITS, TEST_LABELS, ULN_REQUIRED, UNIT_LABELS

__all__ = [
    "CONFIRMATIONS",
    "CRITERIA",
    "DIAGNOSIS_TYPES",
    "LAB_TESTS",
    "LAB_UNITS",
    "LESION_KINDS",
    "LESION_METHODS",
    "PREGNANCY_RESULTS",
    "PROTOCOL",
    "PROTOCOL_VERSION",
    "SEXES",
    "SPECIMENS",
    "TEST_LABELS",
    "ULN_REQUIRED",
    "UNIT_LABELS",
    "CandidateRecord",
    "Criterion",
    "CriterionResult",
    "Diagnosis",
    "Evaluation",
    "InvalidRecord",
    "LabResult",
    "Lesion",
    "Outcome",
    "PregnancyTest",
    "Protocol",
    "Status",
    "Washout",
    "evaluate",
    "evaluate_entry",
    "loads",
    "parse_candidate",
]
