"""supportive_care_washout: nothing within 14 days before the first dose."""

import pytest

from screening.eligibility import Status

from .records import ABSENT, result, status

FIRST_DOSE = "2026-03-10T09:00:00+08:00"  # first-dose date 2026-03-10


def washout(last_date, first_dose=FIRST_DOSE):
    return result(
        "supportive_care_washout",
        transfusion_or_growth_factor={"any": True, "last_date": last_date},
        planned_first_dose=first_dose,
    )


@pytest.mark.requirement("URS-ELIG-014")
def test_nothing_given_passes():
    assert status("supportive_care_washout", transfusion_or_growth_factor={"any": False}) is Status.PASS


@pytest.mark.requirement("URS-ELIG-014")
def test_last_given_15_days_before_first_dose_passes():
    assert washout("2026-02-23").status is Status.PASS


@pytest.mark.requirement("URS-ELIG-014")
def test_last_given_14_days_before_first_dose_fails():
    assert washout("2026-02-24").status is Status.FAIL


@pytest.mark.requirement("URS-ELIG-014")
def test_given_on_the_first_dose_date_fails():
    assert washout("2026-03-10").status is Status.FAIL


def test_first_dose_date_is_the_calendar_date_in_its_own_offset():
    # 2026-03-10 01:00 +08:00 is still 2026-03-09 in UTC; the protocol counts 2026-03-10.
    assert washout("2026-02-23", "2026-03-10T01:00:00+08:00").status is Status.PASS
    assert washout("2026-02-23", "2026-03-09T23:00:00-05:00").status is Status.FAIL


@pytest.mark.requirement("URS-ELIG-014", "URS-ELIG-024")
def test_washout_note_gives_the_earliest_first_dose_date():
    row = washout("2026-03-01")
    assert row.status is Status.FAIL
    assert "first dose must be on or after 2026-03-16" in row.notes


@pytest.mark.requirement("URS-ELIG-014")
def test_washout_without_planned_first_dose_is_missing_and_says_when_it_may_be():
    row = washout("2026-03-01", first_dose=None)
    assert row.status is Status.MISSING
    assert "first dose must be on or after 2026-03-16" in row.notes


@pytest.mark.requirement("URS-ELIG-014")
@pytest.mark.parametrize("given", [{"any": True}, {"any": True, "last_date": None}, {}, {"any": None}])
def test_washout_with_unknown_parts_is_missing(given):
    assert status("supportive_care_washout", transfusion_or_growth_factor=given) is Status.MISSING


@pytest.mark.requirement("URS-ELIG-014")
@pytest.mark.parametrize("absent", [None, ABSENT])
def test_washout_field_absent_is_missing(absent):
    assert status("supportive_care_washout", transfusion_or_growth_factor=absent) is Status.MISSING


@pytest.mark.requirement("URS-ELIG-014")
def test_nothing_given_passes_without_a_planned_first_dose():
    assert status(
        "supportive_care_washout", transfusion_or_growth_factor={"any": False}, planned_first_dose=None
    ) is Status.PASS
