"""evaluate(): rows in the spec's order, the outcome, the batch entry."""

import json
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from screening.eligibility import (
    CRITERIA,
    PROTOCOL,
    PROTOCOL_VERSION,
    Evaluation,
    Outcome,
    Status,
    evaluate,
    evaluate_entry,
    load_protocol,
    loads,
    parse_candidate,
)

from .records import PROTOCOL_FILE, BASE, candidate, evaluation, lab, status, with_labs

SPEC_ORDER = [
    "consent", "age", "diagnosis", "prior_therapy", "ecog", "life_expectancy", "measurable_disease",
    "supportive_care_washout", "anc", "platelets", "haemoglobin", "bilirubin", "alt", "ast",
    "renal_function", "pregnancy_test", "contraception",
]


@pytest.mark.requirement("URS-ELIG-001")
def test_criteria_are_in_the_spec_order_with_labels():
    assert [criterion.id for criterion in CRITERIA] == SPEC_ORDER
    assert all(criterion.label for criterion in CRITERIA)
    assert CRITERIA[SPEC_ORDER.index("anc")].label == "Absolute neutrophil count ≥ 1.5 ×10⁹/L"
    assert PROTOCOL_VERSION == "1.0"


@pytest.mark.requirement("URS-ELIG-001", "URS-ELIG-002")
def test_base_record_is_eligible_with_one_row_per_criterion_in_order():
    result = evaluation(candidate())
    assert isinstance(result, Evaluation)
    assert result.outcome is Outcome.ELIGIBLE
    assert [row.id for row in result.criteria] == SPEC_ORDER
    assert {row.status for row in result.criteria} == {Status.PASS}
    assert result.screening_number == "NLX-T-001"
    assert result.protocol_version == "1.0"


@pytest.mark.requirement("URS-ELIG-002")
def test_any_fail_makes_the_candidate_ineligible_even_with_missing_rows():
    result = evaluation(candidate(ecog=2, consent_signed_on=None))
    assert result.result("consent").status is Status.MISSING
    assert result.outcome is Outcome.INELIGIBLE


@pytest.mark.requirement("URS-ELIG-002")
def test_missing_without_fail_makes_the_candidate_incomplete():
    assert evaluation(candidate(ecog=None)).outcome is Outcome.INCOMPLETE


@pytest.mark.requirement("URS-ELIG-002")
def test_not_applicable_rows_do_not_stop_eligibility():
    result = evaluation(candidate(sex="male", partner_childbearing_potential=False, pregnancy_tests=[]))
    assert result.result("pregnancy_test").status is Status.NOT_APPLICABLE
    assert result.result("contraception").status is Status.NOT_APPLICABLE
    assert result.outcome is Outcome.ELIGIBLE


@pytest.mark.requirement("URS-BATCH-001")
def test_as_dict_is_exactly_the_batch_entry_and_serialisable():
    entry = evaluation(candidate()).as_dict()
    assert list(entry) == ["screening_number", "protocol_version", "protocol_sha256", "outcome", "criteria"]
    assert entry["outcome"] == "eligible" and type(entry["outcome"]) is str
    assert all(list(row) == ["id", "status", "detail"] for row in entry["criteria"])
    assert all(type(row["status"]) is str for row in entry["criteria"])
    assert json.loads(json.dumps(entry)) == entry


@pytest.mark.requirement("URS-ELIG-001")
def test_status_and_outcome_read_as_their_values():
    assert str(Status.NOT_APPLICABLE) == "not_applicable"
    assert f"{Outcome.INCOMPLETE}" == "incomplete"
    assert Status.PASS == "pass"


@pytest.mark.requirement("URS-BATCH-001")
def test_evaluate_entry_equals_evaluate_as_dict():
    record = candidate(ecog=2)
    assert evaluate_entry(record) == evaluate(parse_candidate(record)).as_dict()


@pytest.mark.requirement("URS-ELIG-001")
def test_thresholds_come_from_the_protocol_given():
    source = PROTOCOL_FILE.read_text().replace('version = "1.0"', 'version = "test"')
    stricter = load_protocol(source.replace("min = 1.5", "min = 2.5").encode())
    result = evaluate(parse_candidate(candidate()), stricter)
    assert result.result("anc").status is Status.FAIL
    assert result.protocol_version == "test"


# --- exact decimals where binary floats give the wrong answer -----------------

@pytest.mark.requirement("URS-CALC-001")
def test_1_65_is_within_1_5_times_uln_1_1():
    assert status("renal_function", with_labs(lab("creatinine", "1.65", "mg/dL", "1.1"), weight_kg=None)) is Status.PASS


@pytest.mark.requirement("URS-CALC-001", "URS-ELIG-017")
def test_bilirubin_0_9_is_within_1_5_times_uln_0_6_although_floats_say_otherwise():
    assert not 0.9 <= 1.5 * 0.6  # the binary-float answer
    assert status("bilirubin", with_labs(lab("bilirubin", "0.9", "mg/dL", "0.6"))) is Status.PASS


@pytest.mark.requirement("URS-CALC-001", "URS-ELIG-019")
def test_creatinine_1_8_is_within_1_5_times_uln_1_2_although_floats_say_otherwise():
    assert not 1.8 <= 1.5 * 1.2
    record = with_labs(lab("creatinine", "1.8", "mg/dL", "1.2"), weight_kg=None)
    assert status("renal_function", record) is Status.PASS


@pytest.mark.requirement("URS-CALC-001", "URS-CALC-003", "URS-ELIG-019")
def test_clearance_of_exactly_60_fails_although_floats_compute_more():
    assert (140 - 20) * 61.2 / (72 * 1.7) > 60  # the binary-float answer
    record = with_labs(lab("creatinine", "1.7", "mg/dL", "1.0"), sex="male", date_of_birth="2006-03-02", weight_kg="61.2")
    assert status("renal_function", record) is Status.FAIL


@pytest.mark.requirement("URS-CALC-001", "URS-CALC-003", "URS-ELIG-019")
def test_female_clearance_of_exactly_60_fails_although_floats_compute_more():
    assert (140 - 20) * 72.0 * 0.85 / (72 * 1.7) > 60
    record = with_labs(lab("creatinine", "1.7", "mg/dL", "1.0"), sex="female", date_of_birth="2006-03-02", weight_kg="72")
    assert status("renal_function", record) is Status.FAIL


@pytest.mark.requirement("URS-CALC-001")
def test_traps_hold_for_numbers_read_from_json_text():
    text = json.dumps(candidate(weight_kg="WEIGHT", labs=[lab("bilirubin", "VALUE", "mg/dL", "ULN")]))
    text = text.replace('"WEIGHT"', "58.5").replace('"VALUE"', "0.9").replace('"ULN"', "0.6")
    record = loads(text)
    assert record["labs"][0]["value"] == Decimal("0.9")
    assert evaluate(parse_candidate(record)).result("bilirubin").status is Status.PASS


# --- evaluate_entry never raises ------------------------------------------------

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.decimals(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12)
    | st.sampled_from(["2026-03-02", "2026-03-08T10:30:00+08:00", "female", "serum", "anc", "1.5", "NaN", "1e999999"]),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=8,
)

PATHS = [(key,) for key in BASE] + [
    ("diagnosis", key) for key in BASE["diagnosis"]
] + [("labs", 0, key) for key in BASE["labs"][0]] + [("lesions", 0, key) for key in BASE["lesions"][0]] + [
    ("pregnancy_tests", 0, key) for key in BASE["pregnancy_tests"][0]
] + [("transfusion_or_growth_factor", "any"), ("transfusion_or_growth_factor", "last_date")]


def is_entry(entry) -> bool:
    if "error" in entry:
        return set(entry) == {"screening_number", "error"} and isinstance(entry["error"], str)
    return entry["outcome"] in ("eligible", "ineligible", "incomplete") and len(entry["criteria"]) == 17


@pytest.mark.requirement("URS-INPUT-003")
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=json_values)
def test_evaluate_entry_never_raises_for_any_json_value(value):
    assert is_entry(evaluate_entry(value))


@pytest.mark.requirement("URS-INPUT-003")
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(path=st.sampled_from(PATHS), value=json_values)
def test_evaluate_entry_never_raises_when_one_field_holds_any_json_value(path, value):
    record = candidate()
    target = record
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    entry = evaluate_entry(record)
    assert is_entry(entry)
    json.dumps(entry)
