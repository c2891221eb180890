"""ecog and life_expectancy."""

import pytest

from screening.eligibility import Status

from .records import ABSENT, status


@pytest.mark.requirement("URS-ELIG-009")
@pytest.mark.parametrize("score", [0, 1, "1", "1.0", "0"])
def test_ecog_0_or_1_passes(score):
    assert status("ecog", ecog=score) is Status.PASS


@pytest.mark.requirement("URS-ELIG-009")
@pytest.mark.parametrize("score", [2, 3, 4, 5, "2.0"])
def test_ecog_2_to_5_fails(score):
    assert status("ecog", ecog=score) is Status.FAIL


@pytest.mark.requirement("URS-ELIG-009")
@pytest.mark.parametrize("absent", [None, ABSENT])
def test_ecog_absent_is_missing(absent):
    assert status("ecog", ecog=absent) is Status.MISSING


@pytest.mark.requirement("URS-ELIG-010")
@pytest.mark.parametrize("months", ["3", 3, "3.0", "3.5", 24])
def test_life_expectancy_of_3_months_or_more_passes(months):
    assert status("life_expectancy", life_expectancy_months=months) is Status.PASS


@pytest.mark.requirement("URS-ELIG-010")
@pytest.mark.parametrize("months", ["2.99", 2, 0])
def test_life_expectancy_under_3_months_fails(months):
    assert status("life_expectancy", life_expectancy_months=months) is Status.FAIL


@pytest.mark.requirement("URS-ELIG-010")
@pytest.mark.parametrize("absent", [None, ABSENT])
def test_life_expectancy_absent_is_missing(absent):
    assert status("life_expectancy", life_expectancy_months=absent) is Status.MISSING
