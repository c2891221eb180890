"""Strict records (spec sections 4-5, r2): unknown keys with a hint,
duplicate keys, invalid Unicode, the screening-number pattern, decimal
places, size, first dose before screening, a byte order mark."""

import json
from decimal import Decimal

import pytest

from screening.eligibility import evaluate_entry, loads, parse_candidate
from screening.eligibility.fields import decimal_places

from .records import candidate, error, lab, lesion, pregnancy



# --- unknown keys -----------------------------------------------------------------

@pytest.mark.requirement("URS-INPUT-005")
@pytest.mark.parametrize(
    "record, expected",
    [
        (candidate(sex_="female"), "sex_: unknown key (did you mean sex?)"),
        (candidate(site_note=None), "site_note: unknown key"),
        (candidate(lesions=[{**lesion(), "slice_thickness": 5}]),
         "lesions[0].slice_thickness: unknown key (did you mean slice_thickness_mm?)"),
        (candidate(diagnosis_fields={"primary": "lung"}), "diagnosis.primary: unknown key (did you mean primary_site?)"),
        (candidate(transfusion_or_growth_factor={"any": False, "lastdate": None}),
         "transfusion_or_growth_factor.lastdate: unknown key (did you mean last_date?)"),
        (candidate(labs=[{**lab("anc"), "units": "10*9/L"}]), "labs[0].units: unknown key (did you mean unit?)"),
        (candidate(pregnancy_tests=[{**pregnancy(), "specimen_type": "serum"}]),
         "pregnancy_tests[0].specimen_type: unknown key (did you mean specimen?)"),
    ],
)
def test_unknown_keys_are_refused_at_every_level_with_a_hint(record, expected):
    assert error(record).startswith(expected)


@pytest.mark.requirement("URS-INPUT-005")
def test_an_unknown_key_with_a_null_value_is_refused_too():
    assert error(candidate(ecog_score=None)).startswith("ecog_score: unknown key")


# --- duplicate keys -------------------------------------------------------------

@pytest.mark.requirement("URS-INPUT-005")
def test_a_duplicate_key_is_refused_not_resolved():
    text = json.dumps(candidate())[:-1] + ', "sex": "male"}'
    entry = evaluate_entry(loads(text)[0] if text.startswith("[") else loads(text))
    assert entry["error"] == "sex: appears more than once in the same object; give it once"
    assert entry["screening_number"] == "NLX-T-001"


@pytest.mark.requirement("URS-INPUT-005")
def test_a_duplicate_key_in_a_nested_object_names_its_path():
    record = json.dumps(candidate()).replace('"kind": "non_nodal"', '"kind": "non_nodal", "kind": "nodal"')
    assert error(loads(record)).startswith("lesions[0].kind: appears more than once")


@pytest.mark.requirement("URS-INPUT-005")
def test_duplicate_keys_with_the_same_value_are_still_refused():
    record = json.dumps(candidate()).replace('"ecog": 1', '"ecog": 1, "ecog": 1')
    assert error(loads(record)).startswith("ecog: appears more than once")


# --- invalid Unicode -------------------------------------------------------------

@pytest.mark.requirement("URS-INPUT-007")
@pytest.mark.parametrize("field", ["screening_number", "primary_site", "site", "sex"])
def test_a_lone_surrogate_is_refused_naming_the_field(field):
    text = json.dumps(candidate(lesions=[lesion(site="liver")]))
    target = {"screening_number": '"NLX-T-001"', "primary_site": '"pancreas"', "site": '"liver"', "sex": '"female"'}
    record = loads(text.replace(target[field], '"a\\ud800b"'))
    entry = evaluate_entry(record)
    assert "error" in entry
    path = {"primary_site": "diagnosis.primary_site", "site": "lesions[0].site"}.get(field, field)
    assert entry["error"].startswith(path + ":")
    json.dumps(entry, ensure_ascii=False).encode("utf-8")  # the message itself is printable
    if field == "screening_number":
        assert entry["screening_number"] is None


@pytest.mark.requirement("URS-INPUT-005")
def test_a_byte_order_mark_is_accepted():
    text = "\ufeff" + json.dumps([candidate()])
    assert loads(text)[0]["screening_number"] == "NLX-T-001"
    assert loads(text.encode("utf-8"))[0]["screening_number"] == "NLX-T-001"


# --- screening number ----------------------------------------------------------------

@pytest.mark.requirement("URS-INPUT-007")
@pytest.mark.parametrize("number", ["A", "NLX-S-001", "nlx_s.01", "0" * 40, "9-a"])
def test_screening_numbers_of_the_pattern_are_accepted(number):
    assert parse_candidate(candidate(screening_number=number)).screening_number == number


@pytest.mark.requirement("URS-INPUT-007")
@pytest.mark.parametrize(
    "number", ["", " ", "-NLX", ".NLX", "_NLX", "NLX S 001", "NLX-001\n", "NLX\t1", "0" * 41, "NLX/1", "ＮＬＸ1", "NLX–1"]
)
def test_screening_numbers_outside_the_pattern_are_refused(number):
    entry = evaluate_entry(candidate(screening_number=number))
    assert entry["error"].startswith("screening_number:")
    assert entry["screening_number"] is None


# --- numbers --------------------------------------------------------------------------

@pytest.mark.requirement("URS-INPUT-003")
@pytest.mark.parametrize(
    "text, places",
    [("3.000", 0), ("3", 0), ("1.5e-7", 8), ("1.5E-6", 7), ("0.000001", 6), ("1e3", 0), ("12.3400", 2),
     ("0.0000010", 6), ("0", 0), ("0.0000000", 0)],
)
def test_decimal_places_are_counted_after_dropping_trailing_zeros(text, places):
    assert decimal_places(Decimal(text)) == places


@pytest.mark.requirement("URS-INPUT-003")
@pytest.mark.parametrize("value", ["58.123456", "58.1234560000", Decimal("5.81234560e1"), "5.8123456e1"])
def test_six_decimal_places_are_accepted(value):
    assert parse_candidate(candidate(weight_kg=value)).weight_kg == Decimal("58.123456")


@pytest.mark.requirement("URS-INPUT-003")
@pytest.mark.parametrize("value", ["58.1234567", "5.81234567e1", "0.5e-6", "86.400000000000005684341886080801486968994140625"])
def test_more_than_six_decimal_places_are_refused(value):
    message = error(candidate(weight_kg=value))
    assert message.startswith("weight_kg:") and "more than 6 decimal places" in message


@pytest.mark.requirement("URS-INPUT-003", "URS-CALC-001")
def test_a_json_float_with_more_than_six_places_is_refused_in_a_lab_value():
    record = loads(json.dumps(candidate()).replace('"value": "2.1"', '"value": 2.1000001', 1))
    assert error(record).startswith("labs[0].value: 2.1000001 has more than 6 decimal places")


@pytest.mark.requirement("URS-INPUT-003")
@pytest.mark.parametrize("value", ["999999999.999999", "999999999"])
def test_numbers_below_a_billion_are_not_refused_for_size(value):
    message = evaluate_entry(candidate(life_expectancy_months=value))
    assert "error" not in message


@pytest.mark.requirement("URS-INPUT-003")
@pytest.mark.parametrize("value", ["1000000000", "1e9", "1E+9", 10**9, "1e400"])
def test_numbers_of_a_billion_or_more_are_refused(value):
    assert "implausibly large" in error(candidate(life_expectancy_months=value))


@pytest.mark.requirement("URS-INPUT-003", "URS-BATCH-001")
@pytest.mark.parametrize("token", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_tokens_make_their_record_bad_input_naming_the_field(token):
    record = loads(json.dumps(candidate()).replace('"ecog": 1', f'"ecog": {token}'))
    assert error(record).startswith("ecog:")


# --- first dose before screening --------------------------------------------------------

@pytest.mark.requirement("URS-INPUT-008")
@pytest.mark.parametrize(
    "first_dose, refused",
    [
        ("2026-03-02T00:00:00+08:00", False),  # the screening date itself
        ("2026-03-01T23:59:59+08:00", True),
        ("2026-03-01T16:00:00Z", False),  # 2026-03-02 00:00 in Hangzhou
        ("2026-03-01T15:59:59Z", True),
        ("2026-03-01T11:00:00-05:00", False),  # 2026-03-02 00:00 +08:00
        ("2026-03-01T10:59:00-05:00", True),
    ],
)
def test_a_first_dose_date_before_the_screening_date_in_the_site_zone_is_refused(first_dose, refused):
    record = candidate(planned_first_dose=first_dose, pregnancy_tests=None)
    if refused:
        assert error(record).startswith("planned_first_dose:") and "before the screening date 2026-03-02" in error(record)
    else:
        assert "error" not in evaluate_entry(record)


# --- other r2 checks ---------------------------------------------------------------------

@pytest.mark.requirement("URS-INPUT-001")
def test_washout_none_given_with_a_last_date_contradicts_itself():
    record = candidate(transfusion_or_growth_factor={"any": False, "last_date": "2026-02-01"})
    assert error(record).startswith("transfusion_or_growth_factor.last_date:")


@pytest.mark.requirement("URS-INPUT-001")
@pytest.mark.parametrize("initials, ok", [("WXL", True), ("w", True), ("", True), (None, True), ("ABCDE", True),
                                          ("ABCDEF", False), ("W.X", False), ("  ", False), ("王", False), (5, False)])
def test_initials_are_one_to_five_ascii_letters(initials, ok):
    entry = evaluate_entry(candidate(initials=initials))
    assert ("error" not in entry) is ok
    if not ok:
        assert entry["error"].startswith("initials:")


@pytest.mark.requirement("URS-INPUT-001")
def test_a_lesion_imaged_on_must_be_a_date():
    assert error(candidate(lesions=[lesion(imaged_on="2026-02-30")])).startswith("lesions[0].imaged_on:")


@pytest.mark.requirement("URS-INPUT-001")
@pytest.mark.parametrize("text", ["2026-03-10T09:00:00+0800", "2026-03-10T09:00:00+08", "2026-03-10 09:00:00+08:00",
                                  "2026-03-10T09:00:00z", "2026-03-10T09:00:00+08:60", "2026-03-10T09:00:00+24:00",
                                  "2026-03-10T09:00:00.1234567+08:00"])
def test_datetime_forms_outside_the_spec_are_refused(text):
    assert error(candidate(planned_first_dose=text)).startswith("planned_first_dose:")


@pytest.mark.requirement("URS-INPUT-001")
@pytest.mark.parametrize("text", ["2026-03-10T09:00+08:00", "2026-03-10T09:00:00.5Z", "2026-03-10T01:00:00-00:00",
                                  "2026-03-09T19:00:00+14:00"])
def test_datetime_forms_of_the_spec_are_accepted(text):
    assert parse_candidate(candidate(planned_first_dose=text, pregnancy_tests=None)).planned_first_dose is not None
