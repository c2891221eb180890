"""Accepted units and exact conversions: the same quantity in any accepted
unit gives the same status."""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from screening.eligibility import LAB_TESTS, LAB_UNITS, ULN_REQUIRED, Status, UNIT_LABELS
from screening.eligibility.units import to_canonical

from .records import lab, result, with_labs

SETTINGS = settings(max_examples=60, deadline=None)


def lab_status(criterion_id, *entries, **overrides) -> Status:
    return result(criterion_id, with_labs(*entries, **overrides)).status


@pytest.mark.requirement("URS-CALC-002")
def test_every_test_has_units_and_the_spec_units():
    assert LAB_TESTS == ("anc", "platelets", "haemoglobin", "bilirubin", "alt", "ast", "creatinine")
    assert set(LAB_UNITS["anc"]) == {"10*9/L", "10*3/uL", "10*3/mm3", "/uL", "/mm3"}
    assert LAB_UNITS["platelets"] == LAB_UNITS["anc"]
    assert LAB_UNITS["anc"][0] == "10*9/L"
    assert LAB_UNITS["haemoglobin"] == ("g/dL", "g/L", "mmol/L")
    assert set(LAB_UNITS["bilirubin"]) == {"umol/L", "mg/dL"}
    assert LAB_UNITS["alt"] == LAB_UNITS["ast"] == ("U/L", "IU/L")
    assert set(LAB_UNITS["creatinine"]) == {"umol/L", "mg/dL"}
    assert ULN_REQUIRED == {"bilirubin", "alt", "ast", "creatinine"}
    assert all(unit in UNIT_LABELS for units in LAB_UNITS.values() for unit in units)


@pytest.mark.requirement("URS-CALC-002")
@pytest.mark.parametrize(
    "test, value, unit, canonical",
    [
        ("anc", "1500", "/uL", "1.5"),
        ("anc", "1500", "/mm3", "1.5"),
        ("platelets", "150", "10*3/mm3", "150"),
        ("haemoglobin", "104", "g/L", "10.4"),
        ("haemoglobin", "5", "mmol/L", "8.057"),
        ("creatinine", "1", "mg/dL", "88.4"),
        ("creatinine", "70", "umol/L", "70"),
    ],
)
def test_conversion_to_the_canonical_unit_is_exact(test, value, unit, canonical):
    assert to_canonical(test, Decimal(value), unit) == Decimal(canonical)


@pytest.mark.requirement("URS-CALC-002")
def test_units_compared_with_their_uln_have_no_conversion():
    with pytest.raises(ValueError):
        to_canonical("alt", Decimal(30), "U/L")


counts = st.decimals(min_value=0, max_value=100, places=3)  # plausible for both (anc <= 100)


@pytest.mark.requirement("URS-CALC-002", "URS-ELIG-016")
@SETTINGS
@given(count=counts, test=st.sampled_from(["anc", "platelets"]))
@example(count=Decimal("1.5"), test="anc")
@example(count=Decimal("1.499"), test="anc")
@example(count=Decimal("100"), test="platelets")
@example(count=Decimal("99.999"), test="platelets")
def test_cell_count_in_every_unit_gives_the_same_status(count, test):
    per_microlitre = count * 1000
    values = {"10*9/L": count, "10*3/uL": count, "10*3/mm3": count, "/uL": per_microlitre, "/mm3": per_microlitre}
    statuses = {lab_status(test, lab(test, str(value), unit)) for unit, value in values.items()}
    assert len(statuses) == 1
    minimum = Decimal("1.5") if test == "anc" else Decimal(100)
    assert statuses == {Status.PASS if count >= minimum else Status.FAIL}


@pytest.mark.requirement("URS-CALC-002", "URS-ELIG-016")
@SETTINGS
@given(mmol=st.decimals(min_value=Decimal("1.25"), max_value=Decimal("15.5"), places=2))  # 2-25 g/dL
@example(mmol=Decimal("4.96"))
@example(mmol=Decimal("4.97"))
def test_haemoglobin_in_every_unit_gives_the_same_status(mmol):
    values = {"mmol/L": mmol, "g/dL": mmol * Decimal("1.6114"), "g/L": mmol * Decimal("16.114")}
    statuses = {lab_status("haemoglobin", lab("haemoglobin", str(value), unit)) for unit, value in values.items()}
    assert statuses == {Status.PASS if Fraction(mmol) * Fraction("1.6114") >= 8 else Status.FAIL}


@pytest.mark.requirement("URS-CALC-002", "URS-ELIG-017")
@SETTINGS
@given(
    value=st.decimals(min_value=0, max_value=10, places=2),
    uln=st.decimals(min_value=Decimal("0.5"), max_value=2, places=2),
)
@example(value=Decimal("1.8"), uln=Decimal("1.2"))
@example(value=Decimal("0.9"), uln=Decimal("0.6"))
def test_bilirubin_in_either_unit_gives_the_same_status(value, uln):
    per_mg = Decimal("17.1")
    in_mg = lab_status("bilirubin", lab("bilirubin", str(value), "mg/dL", str(uln)))
    in_umol = lab_status("bilirubin", lab("bilirubin", str(value * per_mg), "umol/L", str(uln * per_mg)))
    assert in_mg is in_umol
    assert in_mg is (Status.PASS if Fraction(value) <= Fraction(3, 2) * Fraction(uln) else Status.FAIL)


@pytest.mark.requirement("URS-CALC-002", "URS-ELIG-018")
@SETTINGS
@given(
    value=st.decimals(min_value=0, max_value=300, places=1),
    liver=st.sampled_from([True, False, None]),
    test=st.sampled_from(["alt", "ast"]),
)
def test_transaminase_in_u_or_iu_per_litre_gives_the_same_status(value, liver, test):
    statuses = {
        lab_status(test, lab(test, str(value), unit, "40"), liver_metastases=liver) for unit in ("U/L", "IU/L")
    }
    assert len(statuses) == 1


def clearance_oracle(years: int, weight: Decimal, mg_per_dl: Decimal, female: bool) -> Fraction:
    factor = Fraction(17, 20) if female else 1
    return Fraction(140 - years) * Fraction(weight) * factor / (72 * Fraction(mg_per_dl))


@pytest.mark.requirement("URS-CALC-002", "URS-CALC-003", "URS-ELIG-019")
@SETTINGS
@given(
    years=st.integers(min_value=18, max_value=90),
    weight=st.decimals(min_value=30, max_value=200, places=2),
    creatinine=st.decimals(min_value=Decimal("0.3"), max_value=6, places=2),
    uln=st.decimals(min_value=Decimal("0.5"), max_value=Decimal("1.3"), places=2),
    female=st.booleans(),
)
@example(years=60, weight=Decimal("108"), creatinine=Decimal("2.0"), uln=Decimal("1.0"), female=False)
@example(years=20, weight=Decimal("61.2"), creatinine=Decimal("1.7"), uln=Decimal("1.0"), female=False)
@example(years=40, weight=Decimal("86.4"), creatinine=Decimal("1.7"), uln=Decimal("1.0"), female=True)
def test_renal_function_in_either_unit_matches_an_exact_fraction_oracle(years, weight, creatinine, uln, female):
    overrides = {
        "sex": "female" if female else "male",
        "weight_kg": str(weight),
        "date_of_birth": f"{2026 - years}-03-02",  # birthday on the screening date
    }
    per_mg = Decimal("88.4")
    in_mg = lab_status("renal_function", lab("creatinine", str(creatinine), "mg/dL", str(uln)), **overrides)
    in_umol = lab_status(
        "renal_function",
        lab("creatinine", str(creatinine * per_mg), "umol/L", str(uln * per_mg)),
        **overrides,
    )
    assert in_mg is in_umol
    passes = creatinine <= Decimal("1.5") * uln or clearance_oracle(years, weight, creatinine, female) > 60
    assert in_mg is (Status.PASS if passes else Status.FAIL)
