"""Bad input (spec section 5): the record is refused with a message naming
the field; everything else in the batch is still evaluated."""

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

from screening.eligibility import InvalidRecord, evaluate_entry, loads, parse_candidate

from .records import ABSENT, candidate, error, lab, lesion, pregnancy

OLD = "2025-12-01"  # a lab result far outside the window


def lab_list(*entries):
    return {"labs": list(entries)}


BAD_INPUT = {
    # required fields, dates and datetimes
    "screening number absent": ({"screening_number": ABSENT}, "screening_number"),
    "screening number null": ({"screening_number": None}, "screening_number"),
    "screening number not text": ({"screening_number": 101}, "screening_number"),
    "screening number blank": ({"screening_number": "  "}, "screening_number"),
    "screening date absent": ({"screening_date": ABSENT}, "screening_date"),
    "screening date not a calendar date": ({"screening_date": "2026-02-30"}, "screening_date"),
    "screening date in another format": ({"screening_date": "02/03/2026"}, "screening_date"),
    "screening date with a time": ({"screening_date": "2026-03-02T00:00:00Z"}, "screening_date"),
    "birth date without zero padding": ({"date_of_birth": "1961-5-14"}, "date_of_birth"),
    "birth date as a number": ({"date_of_birth": 19610514}, "date_of_birth"),
    "birth date after screening": ({"date_of_birth": "2026-03-03"}, "date_of_birth"),
    "implausible birth year": ({"date_of_birth": "1066-10-14"}, "date_of_birth"),
    "consent date unparsable": ({"consent_signed_on": "yesterday"}, "consent_signed_on"),
    "first dose without utc offset": ({"planned_first_dose": "2026-03-10T09:00:00"}, "planned_first_dose"),
    "first dose as a date only": ({"planned_first_dose": "2026-03-10"}, "planned_first_dose"),
    "first dose unparsable": ({"planned_first_dose": "2026-03-10 9am"}, "planned_first_dose"),
    "first dose with an impossible hour": ({"planned_first_dose": "2026-03-10T25:00:00+08:00"}, "planned_first_dose"),
    "first dose with an impossible offset": ({"planned_first_dose": "2026-03-10T09:00:00+25:00"}, "planned_first_dose"),
    # enumerations
    "sex capitalised": ({"sex": "Female"}, "sex"),
    "sex unknown": ({"sex": "F"}, "sex"),
    "diagnosis type unknown": ({"diagnosis_fields": {"type": "LCNEC"}}, "diagnosis.type"),
    "diagnosis confirmation unknown": ({"diagnosis_fields": {"confirmation": "Histological"}}, "diagnosis.confirmation"),
    "lesion kind unknown": ({"lesions": [lesion(kind="node")]}, "lesions[0].kind"),
    "lesion method unknown": ({"lesions": [lesion(), lesion(method="PET")]}, "lesions[1].method"),
    "lab test not used by the protocol": (lab_list(lab("anc"), {**lab("anc"), "test": "ldh"}), "labs[1].test"),
    "lab test misspelt": (lab_list({**lab("platelets"), "test": "platelet"}), "labs[0].test"),
    "specimen unknown": ({"pregnancy_tests": [pregnancy(specimen="blood")]}, "pregnancy_tests[0].specimen"),
    "pregnancy result unknown": ({"pregnancy_tests": [pregnancy(result="equivocal")]}, "pregnancy_tests[0].result"),
    # units and ULN
    "unit not accepted for the test": (lab_list(lab("anc", "2600", "cells/uL")), "labs[0].unit"),
    "unit of another test": (lab_list(lab("haemoglobin", "11", "U/L")), "labs[0].unit"),
    "unit with different case": (lab_list(lab("creatinine", "70", "UMOL/L")), "labs[0].unit"),
    "uln absent for bilirubin": (lab_list(lab("bilirubin", uln=None)), "labs[0].uln"),
    "uln absent for alt": (lab_list({k: v for k, v in lab("alt").items() if k != "uln"}), "labs[0].uln"),
    "uln zero for ast": (lab_list(lab("ast", uln="0")), "labs[0].uln"),
    "uln negative for creatinine": (lab_list(lab("creatinine", uln="-84")), "labs[0].uln"),
    # entries missing their required parts
    "lab without test": (lab_list({k: v for k, v in lab("anc").items() if k != "test"}), "labs[0].test"),
    "lab without value": (lab_list(lab("anc"), {**lab("anc"), "value": None}), "labs[1].value"),
    "lab without unit": (lab_list({k: v for k, v in lab("anc").items() if k != "unit"}), "labs[0].unit"),
    "lab without collected": (lab_list({k: v for k, v in lab("anc").items() if k != "collected"}), "labs[0].collected"),
    "pregnancy test without specimen": ({"pregnancy_tests": [{"result": "negative", "collected": "2026-03-08T10:30:00+08:00"}]}, "pregnancy_tests[0].specimen"),
    "pregnancy test without result": ({"pregnancy_tests": [{"specimen": "serum", "collected": "2026-03-08T10:30:00+08:00"}]}, "pregnancy_tests[0].result"),
    "pregnancy test without collected": ({"pregnancy_tests": [{"specimen": "serum", "result": "negative"}]}, "pregnancy_tests[0].collected"),
    "pregnancy test without utc offset": ({"pregnancy_tests": [pregnancy(collected="2026-03-08T10:30:00")]}, "pregnancy_tests[0].collected"),
    "lesion without kind": ({"lesions": [lesion(kind=ABSENT)]}, "lesions[0].kind"),
    "lesion without method": ({"lesions": [lesion(method=None)]}, "lesions[0].method"),
    # wrong types
    "text in a yes/no field": ({"diagnosis_fields": {"metastatic": "yes"}}, "diagnosis.metastatic"),
    "number in a yes/no field": ({"prior_line_failed": 1}, "prior_line_failed"),
    "quoted boolean": ({"liver_metastases": "true"}, "liver_metastases"),
    "text in a lesion yes/no field": ({"lesions": [lesion(locally_treated="no")]}, "lesions[0].locally_treated"),
    "yes/no in a washout": ({"transfusion_or_growth_factor": {"any": "no"}}, "transfusion_or_growth_factor.any"),
    "list where an object belongs": ({"transfusion_or_growth_factor": [{"any": False}]}, "transfusion_or_growth_factor"),
    "diagnosis as text": ({"diagnosis": "NEC"}, "diagnosis"),
    "object where a list belongs": ({"labs": lab("anc")}, "labs"),
    "lab entry not an object": (lab_list(lab("anc"), "anc 2.1"), "labs[1]"),
    "lesion entry not an object": ({"lesions": [["CT", 23]]}, "lesions[0]"),
    "text where a number belongs": ({"weight_kg": "heavy"}, "weight_kg"),
    "boolean where a number belongs": ({"weight_kg": True}, "weight_kg"),
    "list where a number belongs": ({"life_expectancy_months": [6]}, "life_expectancy_months"),
    "primary site as a number": ({"diagnosis_fields": {"primary_site": 7}}, "diagnosis.primary_site"),
    # numbers
    "negative weight": ({"weight_kg": "-58"}, "weight_kg"),
    "weight zero": ({"weight_kg": 0}, "weight_kg"),
    "weight above 400 kg": ({"weight_kg": "400.1"}, "weight_kg"),
    "ecog 6": ({"ecog": 6}, "ecog"),
    "ecog 1.5": ({"ecog": "1.5"}, "ecog"),
    "ecog negative": ({"ecog": -1}, "ecog"),
    "ecog as words": ({"ecog": "one"}, "ecog"),
    "prior lines not whole": ({"prior_systemic_lines": "1.5"}, "prior_systemic_lines"),
    "prior lines negative": ({"prior_systemic_lines": -1}, "prior_systemic_lines"),
    "ne component above 100": ({"diagnosis_fields": {"ne_component_percent": "100.5"}}, "diagnosis.ne_component_percent"),
    "ne component negative": ({"diagnosis_fields": {"ne_component_percent": -5}}, "diagnosis.ne_component_percent"),
    "negative life expectancy": ({"life_expectancy_months": "-1"}, "life_expectancy_months"),
    "lesion size zero": ({"lesions": [lesion(size_mm=0)]}, "lesions[0].size_mm"),
    "lesion size negative": ({"lesions": [lesion(size_mm="-12")]}, "lesions[0].size_mm"),
    "slice thickness zero": ({"lesions": [lesion(slice_thickness_mm="0")]}, "lesions[0].slice_thickness_mm"),
    "negative lab value": (lab_list(lab("anc", "-1.2")), "labs[0].value"),
    "negative uln where not required": (lab_list(lab("anc", uln="-1")), "labs[0].uln"),
    "nan as text": ({"weight_kg": "NaN"}, "weight_kg"),
    "nan decimal": ({"weight_kg": Decimal("NaN")}, "weight_kg"),
    "signalling nan decimal": ({"weight_kg": Decimal("sNaN")}, "weight_kg"),
    "infinity as text": ({"life_expectancy_months": "Infinity"}, "life_expectancy_months"),
    "infinity decimal": ({"life_expectancy_months": Decimal("Infinity")}, "life_expectancy_months"),
    "absurdly large": (lab_list(lab("anc", Decimal("1e999999"))), "labs[0].value"),
    "absurdly large as text": (lab_list(lab("anc", "1e999999")), "labs[0].value"),
    "exponent out of decimal range": (lab_list(lab("anc", "1e99999999999999999999")), "labs[0].value"),
    "absurdly small": (lab_list(lab("anc", "1e-999999")), "labs[0].value"),
    "too many decimal places": ({"weight_kg": "58.1234567890123"}, "weight_kg"),
    "binary float": ({"weight_kg": 58.5}, "weight_kg"),
    "numeric text with underscores": ({"weight_kg": "5_8"}, "weight_kg"),
    "numeric text with unicode digits": ({"weight_kg": "٥٨"}, "weight_kg"),
    # dates of results
    "lab collected after screening": (lab_list(lab("anc", collected="2026-03-03")), "labs[0].collected"),
    "washout date unparsable": ({"transfusion_or_growth_factor": {"any": True, "last_date": "2026-02"}}, "transfusion_or_growth_factor.last_date"),
    # the whole record is validated, used or not
    "unused old lab with a bad unit": (lab_list(lab("anc"), lab("anc", "2", "cells/uL", collected=OLD)), "labs[1].unit"),
    "unused old lab without uln": (lab_list(lab("alt"), lab("alt", "20", uln=None, collected=OLD)), "labs[1].uln"),
    "a man's invalid pregnancy test": ({"sex": "male", "pregnancy_tests": [pregnancy(result="pos")]}, "pregnancy_tests[0].result"),
    "urine test without offset": ({"pregnancy_tests": [pregnancy(specimen="urine", collected="2026-03-08T10:30")]}, "pregnancy_tests[0].collected"),
}


@pytest.mark.requirement("URS-INPUT-001", "URS-INPUT-002", "URS-INPUT-003")
@pytest.mark.parametrize("overrides, field", BAD_INPUT.values(), ids=BAD_INPUT.keys())
def test_bad_input_is_refused_naming_the_field(overrides, field):
    record = candidate(**overrides)
    message = error(record)
    assert message.startswith(f"{field}: "), message
    assert len(message) > len(field) + 10
    with pytest.raises(InvalidRecord) as raised:
        parse_candidate(record)
    assert raised.value.field == field
    assert str(raised.value) == f"{field}: {raised.value.message}"


@pytest.mark.requirement("URS-INPUT-001")
def test_bad_input_cases_are_each_valid_without_their_fault():
    assert "error" not in evaluate_entry(candidate())


@pytest.mark.requirement("URS-INPUT-003")
def test_binary_float_is_refused_with_a_message_saying_why():
    assert "floating-point" in error(candidate(weight_kg=58.5))
    assert "floating-point" in error(candidate(labs=[lab("anc", 2.0)]))


@pytest.mark.requirement("URS-INPUT-001")
def test_unit_error_lists_the_accepted_units():
    message = error(candidate(labs=[lab("anc", "2600", "cells/uL")]))
    assert message == (
        "labs[0].unit: 'cells/uL' is not an accepted unit for anc; accepted: 10*9/L, 10*3/uL, 10*3/mm3, /uL, /mm3"
    )


@pytest.mark.requirement("URS-BATCH-001")
def test_error_entry_keeps_a_text_screening_number_and_nulls_any_other():
    assert evaluate_entry(candidate(sex="Male"))["screening_number"] == "NLX-T-001"
    assert evaluate_entry(candidate(screening_number=101))["screening_number"] is None
    assert evaluate_entry(candidate(screening_number=ABSENT))["screening_number"] is None


@pytest.mark.requirement("URS-INPUT-001")
@pytest.mark.parametrize("value", [None, 42, "text", [1, 2], True, Decimal("1.5"), [candidate()]])
def test_a_value_that_is_not_an_object_is_an_error_entry(value):
    entry = evaluate_entry(value)
    assert entry == {"screening_number": None, "error": entry["error"]}
    assert entry["error"].startswith("record: ")


@pytest.mark.requirement("URS-BATCH-001")
def test_a_bad_candidate_does_not_stop_the_others_in_a_batch():
    batch = [candidate(screening_number="A", sex="Female"), candidate(screening_number="B"), "junk", candidate(screening_number="C", ecog=2)]
    entries = [evaluate_entry(obj) for obj in batch]
    assert entries[0]["screening_number"] == "A" and entries[0]["error"].startswith("sex: ")
    assert entries[1]["outcome"] == "eligible"
    assert "error" in entries[2]
    assert entries[3]["outcome"] == "ineligible"


# --- accepted forms -----------------------------------------------------------

@pytest.mark.requirement("URS-INPUT-004")
@pytest.mark.parametrize("value", [1, "1", "1.0", Decimal("1.00")])
def test_whole_number_fields_accept_1_and_1_0(value):
    record = parse_candidate(candidate(ecog=value, prior_systemic_lines=value))
    assert record.ecog == 1 and type(record.ecog) is int
    assert record.prior_systemic_lines == 1


@pytest.mark.requirement("URS-INPUT-004")
@pytest.mark.parametrize("value", ["58.5", Decimal("58.5"), "5.85e1", "585E-1", "58.50"])
def test_numbers_may_be_numeric_text_or_decimal(value):
    assert parse_candidate(candidate(weight_kg=value)).weight_kg == Decimal("58.5")


@pytest.mark.requirement("URS-INPUT-004")
@pytest.mark.parametrize("value", [" 58.5", "58.5 ", ".5", "5.", "058.5", "+58.5", "58,5", "0x3A", "1_000"])
def test_numeric_text_must_have_the_syntax_of_a_json_number(value):
    assert error(candidate(weight_kg=value)).startswith("weight_kg:")


@pytest.mark.requirement("URS-INPUT-003")
def test_trailing_zeros_do_not_count_as_decimal_places():
    assert parse_candidate(candidate(weight_kg="58.500000000000000000")).weight_kg == Decimal("58.5")


@pytest.mark.requirement("URS-INPUT-004")
def test_negative_zero_is_zero():
    record = parse_candidate(candidate(labs=[lab("anc", "-0")]))
    assert str(record.labs[0].value) == "0"


@pytest.mark.requirement("URS-INPUT-001")
@pytest.mark.parametrize(
    "text, expected",
    [
        ("2026-03-10T09:00:00+08:00", datetime(2026, 3, 10, 9, tzinfo=timezone(timedelta(hours=8)))),
        ("2026-03-10T01:00:00Z", datetime(2026, 3, 10, 1, tzinfo=timezone.utc)),
        ("2026-03-10T09:00+08:00", datetime(2026, 3, 10, 9, tzinfo=timezone(timedelta(hours=8)))),
        ("2026-03-09T20:00:00.5-05:00", datetime(2026, 3, 9, 20, 0, 0, 500000, tzinfo=timezone(timedelta(hours=-5)))),
    ],
)
def test_datetimes_with_an_offset_are_accepted(text, expected):
    assert parse_candidate(candidate(planned_first_dose=text)).planned_first_dose == expected


@pytest.mark.requirement("URS-INPUT-004")
def test_absent_and_null_optional_fields_are_the_same():
    optional = [key for key in candidate() if key not in ("screening_number", "screening_date")]
    absent = evaluate_entry(candidate(**{key: ABSENT for key in optional}))
    null = evaluate_entry(candidate(**{key: None for key in optional}))
    assert absent == null
    assert absent["outcome"] == "incomplete"


@pytest.mark.requirement("URS-INPUT-004", "URS-ELIG-002")
def test_a_minimal_record_is_incomplete_not_an_error():
    entry = evaluate_entry({"screening_number": "X", "screening_date": "2026-03-02"})
    assert entry["outcome"] == "incomplete"


# --- loads ------------------------------------------------------------------

@pytest.mark.requirement("URS-CALC-001")
def test_loads_keeps_numbers_exact():
    data = loads('{"a": 1.65, "b": 1.1, "c": 3, "d": 1e-2}')
    assert data == {"a": Decimal("1.65"), "b": Decimal("1.1"), "c": 3, "d": Decimal("0.01")}
    assert not any(isinstance(value, float) for value in data.values())


@pytest.mark.requirement("URS-INPUT-003")
def test_loads_turns_nan_and_infinity_into_field_errors():
    text = '{"screening_number": "X", "screening_date": "2026-03-02", "weight_kg": NaN}'
    assert error(loads(text)).startswith("weight_kg: ")
    text = '{"screening_number": "X", "screening_date": "2026-03-02", "ecog": -Infinity}'
    assert error(loads(text)).startswith("ecog: ")


@pytest.mark.requirement("URS-INPUT-003")
def test_loads_turns_numbers_beyond_decimal_range_into_field_errors():
    text = '{"screening_number": "X", "screening_date": "2026-03-02", "weight_kg": 1e99999999999999999999}'
    assert error(loads(text)).startswith("weight_kg: ")


@pytest.mark.requirement("URS-INPUT-003")
def test_loads_turns_a_5000_digit_integer_into_a_field_error():
    text = '{"screening_number": "X", "screening_date": "2026-03-02", "ecog": ' + "9" * 5000 + "}"
    assert error(loads(text)).startswith("ecog: ")
