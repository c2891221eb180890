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


@pytest.mark.requirement("URS-ELIG-015")
def test_first_dose_date_is_the_calendar_date_in_the_site_time_zone():
    # 2026-03-10 01:00 +08:00 is still 2026-03-09 in UTC; Hangzhou counts 2026-03-10.
    assert washout("2026-02-23", "2026-03-10T01:00:00+08:00").status is Status.PASS
    # 2026-03-09 23:00 -05:00 is 2026-03-10 12:00 in Hangzhou (r2; revision 1 counted 2026-03-09).
    assert washout("2026-02-23", "2026-03-09T23:00:00-05:00").status is Status.PASS


@pytest.mark.requirement("URS-ELIG-015")
def test_the_issue_case_offset_minus_five_counts_the_next_day_in_hangzhou():
    # 2026-03-15T23:30-05:00 is 2026-03-16 in Hangzhou: a transfusion on 03-01 is 15 days before -> pass.
    row = washout("2026-03-01", "2026-03-15T23:30:00-05:00")
    assert row.status is Status.PASS
    assert "15 days before first dose 2026-03-16" in row.detail
    assert washout("2026-03-02", "2026-03-15T23:30:00-05:00").status is Status.FAIL


@pytest.mark.requirement("URS-ELIG-015")
@pytest.mark.parametrize(
    "first_dose, site_date",
    [
        ("2026-03-15T16:00:00-00:00", "2026-03-16"),  # -00:00 is UTC: 16:00Z is 00:00 in Hangzhou
        ("2026-03-15T15:59:59Z", "2026-03-15"),
        ("2026-03-16T09:59:59+14:00", "2026-03-16"),  # 2026-03-15 19:59:59Z = 2026-03-16 03:59:59 +08:00
        ("2026-03-16T02:00:00+14:00", "2026-03-15"),  # 2026-03-15 12:00Z = 2026-03-15 20:00 +08:00
        ("2026-03-15T23:59:59+08:00", "2026-03-15"),
    ],
)
def test_site_date_of_first_dose_across_offsets(first_dose, site_date):
    row = washout("2026-02-01", first_dose)
    assert f"first dose {site_date}" in row.detail


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
