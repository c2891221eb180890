"""consent and age."""

from datetime import date

import pytest

from screening.eligibility import Status
from screening.eligibility.criteria.demographics import completed_years

from .records import ABSENT, candidate, result, status

# Age tests move the screening date; labs and pregnancy tests are dropped so
# that no result lies after it.
NO_DATED_ENTRIES = {"labs": None, "pregnancy_tests": None, "planned_first_dose": None}


def age_status(born: str, screened: str = "2026-03-02") -> Status:
    record = candidate(date_of_birth=born, screening_date=screened, consent_signed_on=None, **NO_DATED_ENTRIES)
    return status("age", record)


@pytest.mark.requirement("URS-ELIG-003")
def test_consent_signed_before_screening_passes():
    assert status("consent", consent_signed_on="2026-02-20") is Status.PASS


@pytest.mark.requirement("URS-ELIG-003")
def test_consent_signed_on_the_screening_date_passes():
    assert status("consent", consent_signed_on="2026-03-02") is Status.PASS


@pytest.mark.requirement("URS-ELIG-003")
def test_consent_signed_after_screening_fails():
    row = result("consent", consent_signed_on="2026-03-03")
    assert row.status is Status.FAIL
    assert "2026-03-03" in row.detail


@pytest.mark.requirement("URS-ELIG-003")
@pytest.mark.parametrize("absent", [None, ABSENT])
def test_consent_date_absent_is_missing(absent):
    assert status("consent", consent_signed_on=absent) is Status.MISSING


@pytest.mark.requirement("URS-ELIG-004")
@pytest.mark.parametrize(
    "born, expected",
    [
        ("2008-03-02", Status.PASS),  # 18th birthday on the screening date
        ("2008-03-03", Status.FAIL),  # 18 tomorrow
        ("1951-03-02", Status.PASS),  # 75th birthday
        ("1950-03-03", Status.PASS),  # the day before the 76th birthday: still 75
        ("1950-03-02", Status.FAIL),  # 76th birthday
        ("1961-05-14", Status.PASS),
    ],
)
def test_age_boundaries_in_completed_years(born, expected):
    assert age_status(born) is expected


@pytest.mark.requirement("URS-ELIG-004", "URS-ELIG-024")
def test_age_detail_shows_the_age_and_the_dates():
    detail = result("age").detail
    assert "64" in detail and "1961-05-14" in detail and "2026-03-02" in detail


@pytest.mark.requirement("URS-ELIG-004")
def test_29_february_birthday_is_not_reached_on_28_february_of_a_common_year():
    assert age_status("2008-02-29", "2026-02-28") is Status.FAIL  # still 17


@pytest.mark.requirement("URS-ELIG-004")
def test_29_february_birthday_is_reached_on_1_march_of_a_common_year():
    assert age_status("2008-02-29", "2026-03-01") is Status.PASS  # 18


@pytest.mark.requirement("URS-ELIG-004")
def test_29_february_birthday_in_a_leap_year_is_reached_on_29_february():
    assert age_status("1952-02-29", "2028-02-28") is Status.PASS  # 75
    assert age_status("1952-02-29", "2028-02-29") is Status.FAIL  # 76


@pytest.mark.requirement("URS-ELIG-004")
@pytest.mark.parametrize(
    "born, on, years",
    [
        (date(2000, 2, 29), date(2001, 2, 28), 0),
        (date(2000, 2, 29), date(2001, 3, 1), 1),
        (date(2000, 2, 29), date(2004, 2, 29), 4),
        (date(1961, 5, 14), date(2026, 5, 13), 64),
        (date(1961, 5, 14), date(2026, 5, 14), 65),
        (date(1961, 12, 31), date(2026, 1, 1), 64),
    ],
)
def test_completed_years(born, on, years):
    assert completed_years(born, on) == years


@pytest.mark.requirement("URS-ELIG-004")
@pytest.mark.parametrize("absent", [None, ABSENT])
def test_age_without_date_of_birth_is_missing(absent):
    assert status("age", date_of_birth=absent) is Status.MISSING


@pytest.mark.requirement("URS-ELIG-004")
def test_birth_on_the_screening_date_is_age_0_and_fails():
    assert age_status("2026-03-02") is Status.FAIL
