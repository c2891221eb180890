"""NALIRIFOX screening eligibility rules, pure Python (no Django).

    protocol = default_registry().in_force(day)  # or load_protocol(path)
    record = parse_candidate(loads(text)[0])     # raises InvalidRecord
    completed_years(born, on)                    # age as the age criterion counts it
    evaluation = evaluate(record, protocol)      # Evaluation
    evaluation.as_dict()                         # the batch interface's entry
    evaluate_entry(obj, protocol)                # never raises: as_dict() or an error entry
"""

from .batch import BatchError, check_structure, records
from .criteria import KINDS, Criterion
from .criteria.demographics import completed_years
from .display import ratio
from .engine import current_protocol, evaluate, evaluate_entry
from .facts import Fact
from .fields import InvalidRecord, loads
from .messages import MESSAGES, TERMS, note_kind, render, render_text
from .parsing import KEYS, SITE_TIMEZONE, parse_candidate
from .protocol import PROTOCOLS_DIR, Protocol, ProtocolError, Registry, default_registry, load_protocol
from .text import check_free_text, check_screening_number, free_text_fault, pulmonary_match
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
from .units import (
    LAB_TESTS,
    LAB_UNITS,
    PLAUSIBLE_ULNS,
    PLAUSIBLE_VALUES,
    TEST_LABELS,
    ULN_REQUIRED,
    UNIT_LABELS,
    WEIGHT_KG,
    fitting_units,
    is_plausible,
    range_in_unit,
)

# Protocol version 1.0 as shipped (compatibility for callers written before
# protocol definitions were data; new code asks a Registry).
PROTOCOL = default_registry().get("1.0")
PROTOCOL_VERSION = PROTOCOL.version
CRITERIA = PROTOCOL.criteria

__all__ = [
    "PROTOCOLS_DIR", "BatchError", "check_structure", "completed_years", "records",
    "CONFIRMATIONS", "CRITERIA", "DIAGNOSIS_TYPES", "KEYS", "KINDS", "LAB_TESTS", "LAB_UNITS", "LESION_KINDS",
    "LESION_METHODS", "MESSAGES", "PLAUSIBLE_ULNS", "PLAUSIBLE_VALUES", "PREGNANCY_RESULTS", "PROTOCOL",
    "PROTOCOL_VERSION", "SEXES", "SITE_TIMEZONE", "SPECIMENS", "TERMS", "TEST_LABELS", "ULN_REQUIRED",
    "UNIT_LABELS", "WEIGHT_KG", "CandidateRecord", "Criterion", "CriterionResult", "Diagnosis", "Evaluation",
    "Fact", "InvalidRecord", "LabResult", "Lesion", "Outcome", "PregnancyTest", "Protocol", "ProtocolError",
    "Registry", "Status", "Washout", "check_free_text", "check_screening_number", "free_text_fault", "current_protocol",
    "default_registry", "evaluate", "evaluate_entry", "fitting_units", "is_plausible", "load_protocol", "loads",
    "note_kind", "parse_candidate", "pulmonary_match", "range_in_unit", "ratio", "render", "render_text",
]
