"""The unit table of lab-import.md: every written form, and what is refused."""

import pytest

from screening.labimport.units import is_percentage, normalise, to_ucum

pytestmark = pytest.mark.requirement("URS-LAB-002")

TABLE = [
    ("10^9/L", "10*9/L"), ("×10^9/L", "10*9/L"), ("×10⁹/L", "10*9/L"), ("10E9/L", "10*9/L"),
    ("10*9/L", "10*9/L"), ("G/L", "10*9/L"),
    ("10^3/uL", "10*3/uL"), ("×10³/µL", "10*3/uL"), ("K/uL", "10*3/uL"), ("10*3/uL", "10*3/uL"),
    ("/uL", "/uL"), ("/µL", "/uL"), ("cells/uL", "/uL"),
    ("g/L", "g/L"), ("g/dL", "g/dL"), ("mmol/L", "mmol/L"),
    ("umol/L", "umol/L"), ("μmol/L", "umol/L"), ("µmol/L", "umol/L"),
    ("mg/dL", "mg/dL"),
    ("U/L", "U/L"), ("IU/L", "IU/L"), ("[IU]/L", "IU/L"),
]


@pytest.mark.parametrize(("written", "ucum"), TABLE)
def test_each_written_unit(written, ucum):
    assert to_ucum(written) == ucum


@pytest.mark.parametrize("written", ["x10^9/L", "X10^9/L", "*10^9/L", " ×10⁹ / L ", "×１０⁹/L"])
def test_multiplication_signs_blanks_and_full_width(written):
    assert to_ucum(written) == "10*9/L"


def test_superscripts_become_a_power_before_compatibility_normalisation():
    # NFKC alone turns ×10⁹ into ×109; the power must survive.
    assert normalise("×10⁹/L") == "10*9/L"
    assert to_ucum("×109/L") is None
    assert to_ucum("109/L") is None


@pytest.mark.parametrize("written", ["g/l", "10^12/L", "mg/L", "/mm3", "×10³/mm³", "mEq/L", "", "IU", "u/l"])
def test_units_not_in_the_table_are_refused(written):
    assert to_ucum(written) is None


def test_giga_per_litre_is_not_grams_per_litre():
    assert to_ucum("G/L") == "10*9/L"
    assert to_ucum("g/L") == "g/L"


def test_micro_signs_both_read_u():
    assert to_ucum("\u00b5mol/L") == to_ucum("\u03bcmol/L") == "umol/L"


def test_percentage():
    assert is_percentage("%") and is_percentage("％")
    assert not is_percentage("g/L")
