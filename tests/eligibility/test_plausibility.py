"""Plausibility limits (spec section 3, r2): every limit at, just inside and
just outside, in each unit; counts converted to 10⁹/L and haemoglobin to
g/dL first; the message names the field, the range and the unit."""

from decimal import Decimal

import pytest

from screening.eligibility import PLAUSIBLE_ULNS, PLAUSIBLE_VALUES, fitting_units, is_plausible, range_in_unit

from .records import candidate, error, lab, parse_candidate, with_labs


STEP = Decimal("0.000001")  # the smallest step a value can have (6 decimal places)

# (test, unit, low, high) of the value, in the unit given.
VALUE_LIMITS = [
    ("anc", "10*9/L", "0", "100"), ("anc", "10*3/uL", "0", "100"), ("anc", "10*3/mm3", "0", "100"),
    ("anc", "/uL", "0", "100000"), ("anc", "/mm3", "0", "100000"),
    ("platelets", "10*9/L", "0", "3000"), ("platelets", "10*3/uL", "0", "3000"), ("platelets", "10*3/mm3", "0", "3000"),
    ("platelets", "/uL", "0", "3000000"), ("platelets", "/mm3", "0", "3000000"),
    ("haemoglobin", "g/dL", "2", "25"), ("haemoglobin", "g/L", "20", "250"),
    ("bilirubin", "umol/L", "0", "1000"), ("bilirubin", "mg/dL", "0", "60"),
    ("alt", "U/L", "0", "10000"), ("alt", "IU/L", "0", "10000"), ("ast", "U/L", "0", "10000"),
    ("ast", "IU/L", "0", "10000"),
    ("creatinine", "umol/L", "10", "2000"), ("creatinine", "mg/dL", "0.1", "25"),
]
ULN_LIMITS = [
    ("bilirubin", "umol/L", "5", "50"), ("bilirubin", "mg/dL", "0.3", "3"),
    ("alt", "U/L", "10", "200"), ("alt", "IU/L", "10", "200"), ("ast", "U/L", "10", "200"), ("ast", "IU/L", "10", "200"),
    ("creatinine", "umol/L", "40", "200"), ("creatinine", "mg/dL", "0.4", "2.5"),
]
ULN_FOR = {"bilirubin": {"umol/L": "21", "mg/dL": "1.2"}, "alt": "40", "ast": "40",
           "creatinine": {"umol/L": "84", "mg/dL": "1.1"}}


def uln_for(test, unit):
    if test not in ULN_FOR:
        return None
    uln = ULN_FOR[test]
    return uln[unit] if isinstance(uln, dict) else uln


def record_with(test, unit, value, uln="default"):
    return with_labs(lab(test, value, unit, uln_for(test, unit) if uln == "default" else uln))


def accepted(record) -> bool:
    parse_candidate(record)
    return True


@pytest.mark.requirement("URS-INPUT-006")
@pytest.mark.parametrize("test, unit, low, high", VALUE_LIMITS)
def test_value_limits_at_inside_and_outside(test, unit, low, high):
    low, high = Decimal(low), Decimal(high)
    assert accepted(record_with(test, unit, str(low)))
    assert accepted(record_with(test, unit, str(low + STEP)))
    assert accepted(record_with(test, unit, str(high)))
    assert accepted(record_with(test, unit, str(high - STEP)))
    message = error(record_with(test, unit, str(high + STEP)))
    assert message.startswith("labs[6].value:") and "check the unit" in message
    if low > 0:
        assert error(record_with(test, unit, str(low - STEP))).startswith("labs[6].value:")


@pytest.mark.requirement("URS-INPUT-006", "URS-CALC-002")
def test_haemoglobin_in_mmol_per_litre_is_converted_to_g_per_dl_first():
    # 2 g/dL = 1.2411567... mmol/L; 25 g/dL = 15.5144594... mmol/L
    assert accepted(record_with("haemoglobin", "mmol/L", "1.241158"))
    assert error(record_with("haemoglobin", "mmol/L", "1.241156")).startswith("labs[6].value:")
    assert accepted(record_with("haemoglobin", "mmol/L", "15.514459"))
    assert error(record_with("haemoglobin", "mmol/L", "15.51446")).startswith("labs[6].value:")
    assert is_plausible("haemoglobin", Decimal("1.241156"), "mmol/L") is False  # 1.9999987... g/dL
    assert is_plausible("haemoglobin", Decimal("1.241157"), "mmol/L") is True  # 2.0000003... g/dL


@pytest.mark.requirement("URS-INPUT-006")
@pytest.mark.parametrize("test, unit, low, high", ULN_LIMITS)
def test_uln_limits_at_inside_and_outside(test, unit, low, high):
    low, high = Decimal(low), Decimal(high)
    value = {"bilirubin": "1", "alt": "30", "ast": "30", "creatinine": "0.5" if unit == "mg/dL" else "50"}[test]
    for uln in (low, low + STEP, high, high - STEP):
        assert accepted(record_with(test, unit, value, str(uln)))
    for uln in (low - STEP, high + STEP):
        message = error(record_with(test, unit, value, str(uln)))
        assert message.startswith("labs[6].uln:") and "check the unit" in message


@pytest.mark.requirement("URS-INPUT-006")
def test_uln_of_a_test_without_uln_limits_is_only_checked_as_a_number():
    assert accepted(record_with("anc", "10*9/L", "2", "99999"))
    assert error(record_with("anc", "10*9/L", "2", "-1")).startswith("labs[6].uln:")


@pytest.mark.requirement("URS-INPUT-006")
@pytest.mark.parametrize(
    "test, value, unit, expected",
    [
        ("haemoglobin", "75", "g/dL", "75 g/dL is outside the plausible Haemoglobin value range 2–25 g/dL: check the unit; 75 would fit g/L"),
        ("anc", "1200", "10*9/L", "1200 ×10⁹/L is outside the plausible ANC value range 0–100 ×10⁹/L: check the unit; 1200 would fit /µL or /mm³"),
        ("creatinine", "1.8", "umol/L", "1.8 µmol/L is outside the plausible Creatinine value range 10–2000 µmol/L: check the unit; 1.8 would fit mg/dL"),
    ],
)
def test_the_issue_examples_are_refused_naming_field_range_and_fitting_unit(test, value, unit, expected):
    assert error(record_with(test, unit, value)) == f"labs[6].value: {expected}"


@pytest.mark.requirement("URS-INPUT-006")
def test_a_converted_range_names_the_unit_given_and_the_stated_one():
    message = error(record_with("anc", "/uL", "100001"))
    assert "0–100000 /µL (0–100 ×10⁹/L)" in message
    message = error(record_with("haemoglobin", "mmol/L", "30"))
    assert "about 1.25–15.51 mmol/L (2–25 g/dL)" in message


@pytest.mark.requirement("URS-INPUT-006")
@pytest.mark.parametrize("weight, ok", [("20", True), ("20.000001", True), ("19.999999", False), ("300", True),
                                        ("299.999999", True), ("300.000001", False), ("0", False)])
def test_weight_limits(weight, ok):
    record = candidate(weight_kg=weight)
    if ok:
        assert accepted(record)
    else:
        message = error(record)
        assert message.startswith("weight_kg:") and "20–300 kg" in message and "check the unit" in message


@pytest.mark.requirement("URS-INPUT-006")
def test_limits_are_data_for_the_form_and_the_lab_import():
    assert set(PLAUSIBLE_VALUES) == {"anc", "platelets", "haemoglobin", "bilirubin", "alt", "ast", "creatinine"}
    assert set(PLAUSIBLE_ULNS) == {"bilirubin", "alt", "ast", "creatinine"}
    assert range_in_unit("haemoglobin", "g/L") == (Decimal(20), Decimal(250))
    assert range_in_unit("anc", "/uL") == (Decimal(0), Decimal(100000))
    assert range_in_unit("anc", "10*9/L", uln=True) is None
    assert fitting_units("haemoglobin", Decimal(75)) == ("g/L",)
    assert fitting_units("creatinine", Decimal("1.8")) == ("mg/dL",)
