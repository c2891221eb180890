"""measurable_disease (RECIST 1.1, rules revision 2): size limits, slice
thickness, imaging methods, the 28-day imaging window in the site's date,
local treatment, and undecided lesions.

The base record's first dose is 2026-03-10 09:00 +08:00; its lesion was
imaged on 2026-02-26."""

import pytest

from screening.eligibility import Status

from .records import ABSENT, candidate, lesion, result, status



def lesions_status(*lesions, **overrides) -> Status:
    return status("measurable_disease", lesions=list(lesions), **overrides)


# --- sizes and methods -------------------------------------------------------

@pytest.mark.requirement("URS-ELIG-011")
@pytest.mark.parametrize("method", ["CT", "MRI"])
@pytest.mark.parametrize("size, expected", [("10", Status.PASS), ("9.9", Status.FAIL), ("10.0", Status.PASS)])
def test_non_nodal_lesion_by_ct_or_mri_measurable_from_10_mm(method, size, expected):
    assert lesions_status(lesion(method=method, size_mm=size, slice_thickness_mm="5")) is expected


@pytest.mark.requirement("URS-ELIG-013")
@pytest.mark.parametrize("size", ["10", "45"])
def test_caliper_measurement_never_qualifies(size):
    row = result("measurable_disease", lesions=[lesion(method="CALIPER", size_mm=size, slice_thickness_mm=None)])
    assert row.status is Status.FAIL
    assert "caliper" in row.detail and "imaging required" in row.detail


@pytest.mark.requirement("URS-ELIG-013", "URS-ELIG-012")
def test_caliper_lesion_without_size_or_date_is_still_not_undecided():
    assert lesions_status(lesion(method="CALIPER", size_mm=None, imaged_on=None)) is Status.FAIL


@pytest.mark.requirement("URS-ELIG-011")
@pytest.mark.parametrize("size, expected", [("20", Status.PASS), ("19.9", Status.FAIL), ("12", Status.FAIL)])
def test_non_nodal_lesion_by_chest_xray_measurable_from_20_mm(size, expected):
    assert lesions_status(lesion(method="CHEST_XRAY", size_mm=size, slice_thickness_mm=None)) is expected


@pytest.mark.requirement("URS-ELIG-011")
def test_chest_xray_needs_no_slice_thickness_and_ignores_one_given():
    assert lesions_status(lesion(method="CHEST_XRAY", size_mm="25", slice_thickness_mm=None)) is Status.PASS
    assert lesions_status(lesion(method="CHEST_XRAY", size_mm="25", slice_thickness_mm="20")) is Status.PASS


@pytest.mark.requirement("URS-ELIG-011")
@pytest.mark.parametrize(
    "slice_mm, size, expected",
    [("5", "10", Status.PASS), ("6", "11.9", Status.FAIL), ("6", "12", Status.PASS), ("7.5", "15", Status.PASS),
     ("7.5", "14.99", Status.FAIL)],
)
def test_non_nodal_lesion_by_ct_with_thick_slices_needs_twice_the_slice(slice_mm, size, expected):
    assert lesions_status(lesion(size_mm=size, slice_thickness_mm=slice_mm)) is expected


@pytest.mark.requirement("URS-ELIG-011")
@pytest.mark.parametrize(
    "slice_mm, size, expected",
    [("5", "15", Status.PASS), ("5", "14.9", Status.FAIL), ("7.5", "15", Status.PASS), ("8", "15.9", Status.FAIL),
     ("8", "16", Status.PASS)],
)
def test_nodal_lesion_by_ct_needs_a_short_axis_of_15_mm_or_twice_the_slice(slice_mm, size, expected):
    assert lesions_status(lesion(kind="nodal", method="MRI", size_mm=size, slice_thickness_mm=slice_mm)) is expected


@pytest.mark.requirement("URS-ELIG-013")
@pytest.mark.parametrize("method", ["CALIPER", "CHEST_XRAY"])
def test_nodal_lesion_by_caliper_or_xray_is_never_measurable(method):
    assert lesions_status(lesion(kind="nodal", method=method, size_mm="40")) is Status.FAIL
    assert lesions_status(lesion(kind="nodal", method=method, size_mm=None)) is Status.FAIL


# --- slice thickness absent (r2) ----------------------------------------------

@pytest.mark.requirement("URS-ELIG-013", "URS-ELIG-012")
@pytest.mark.parametrize("kind, size", [("non_nodal", "10"), ("non_nodal", "40"), ("nodal", "15")])
def test_ct_lesion_reaching_the_plain_limit_without_slice_thickness_is_undecided(kind, size):
    row = result("measurable_disease", lesions=[lesion(kind=kind, size_mm=size, slice_thickness_mm=None)])
    assert row.status is Status.MISSING
    assert "slice thickness" in row.detail


@pytest.mark.requirement("URS-ELIG-011")
@pytest.mark.parametrize("kind, size", [("non_nodal", "9.9"), ("nodal", "14.9")])
def test_ct_lesion_below_the_plain_limit_fails_whatever_the_slice(kind, size):
    assert lesions_status(lesion(kind=kind, size_mm=size, slice_thickness_mm=None)) is Status.FAIL


@pytest.mark.requirement("URS-ELIG-012")
def test_ct_lesion_without_size_or_slice_is_undecided():
    assert lesions_status(lesion(size_mm=None, slice_thickness_mm=None)) is Status.MISSING


# --- imaging date (r2) -----------------------------------------------------------

@pytest.mark.requirement("URS-ELIG-013")
@pytest.mark.parametrize(
    "imaged_on, expected",
    [
        ("2026-03-10", Status.PASS),  # 0 days before the first dose
        ("2026-02-10", Status.PASS),  # 28 days
        ("2026-02-09", Status.FAIL),  # 29 days
        ("2026-03-11", Status.FAIL),  # after the first dose
    ],
)
def test_lesion_must_be_imaged_within_28_days_before_the_first_dose(imaged_on, expected):
    screening = {"screening_date": "2026-03-02"}
    assert lesions_status(lesion(imaged_on=imaged_on), **screening) is expected


@pytest.mark.requirement("URS-ELIG-013", "URS-ELIG-024")
def test_a_lesion_imaged_after_the_first_dose_says_after():
    row = result("measurable_disease", lesions=[lesion(imaged_on="2026-03-12")])
    assert "2 days after the first dose" in row.detail
    assert "−" not in row.detail and "-2" not in row.detail


@pytest.mark.requirement("URS-ELIG-013", "URS-ELIG-024")
def test_a_lesion_imaged_too_early_names_the_days_and_window():
    row = result("measurable_disease", lesions=[lesion(imaged_on="2026-02-09")])
    assert "29 days before the first dose" in row.detail and "28 days" in row.detail


@pytest.mark.requirement("URS-ELIG-013")
def test_imaging_after_the_screening_date_but_before_the_first_dose_counts():
    assert lesions_status(lesion(imaged_on="2026-03-05")) is Status.PASS


@pytest.mark.requirement("URS-ELIG-013", "URS-ELIG-015")
def test_imaging_window_uses_the_first_dose_date_in_the_site_time_zone():
    # 2026-03-15T23:30-05:00 is 2026-03-16 in Hangzhou: 2026-02-16 is 28 days before, 2026-02-15 is 29.
    first_dose = {"planned_first_dose": "2026-03-15T23:30:00-05:00", "pregnancy_tests": None}
    assert lesions_status(lesion(imaged_on="2026-02-16"), **first_dose) is Status.PASS
    assert lesions_status(lesion(imaged_on="2026-02-15"), **first_dose) is Status.FAIL
    # 2026-03-16T16:30+14:00 is 2026-03-16 10:30 in Hangzhou: imaged on the 16th is 0 days before.
    kiritimati = {"planned_first_dose": "2026-03-16T16:30:00+14:00", "pregnancy_tests": None}
    assert lesions_status(lesion(imaged_on="2026-03-16"), **kiritimati) is Status.PASS
    # 2026-03-09T16:00-00:00 is 2026-03-10 00:00 in Hangzhou: imaged on the 10th is 0 days before.
    minus_zero = {"planned_first_dose": "2026-03-09T16:00:00-00:00", "pregnancy_tests": None}
    assert lesions_status(lesion(imaged_on="2026-03-10"), **minus_zero) is Status.PASS


@pytest.mark.requirement("URS-ELIG-012", "URS-ELIG-013")
@pytest.mark.parametrize("absent", [None, ABSENT])
def test_lesion_without_imaging_date_is_undecided(absent):
    row = result("measurable_disease", lesions=[lesion(imaged_on=absent)])
    assert row.status is Status.MISSING
    assert "imaging date" in row.detail


@pytest.mark.requirement("URS-ELIG-012", "URS-ELIG-013")
def test_lesion_without_planned_first_dose_is_undecided():
    assert lesions_status(lesion(), planned_first_dose=None, pregnancy_tests=None) is Status.MISSING


@pytest.mark.requirement("URS-ELIG-012")
def test_lesion_failing_on_a_present_value_is_not_undecided():
    assert lesions_status(lesion(imaged_on="2026-01-01", size_mm=None, locally_treated=None)) is Status.FAIL
    assert lesions_status(lesion(size_mm="5", imaged_on=None)) is Status.FAIL


# --- local treatment ----------------------------------------------------------------

@pytest.mark.requirement("URS-ELIG-011")
def test_locally_treated_lesion_that_progressed_qualifies():
    assert lesions_status(lesion(locally_treated=True, progressed_after_local_treatment=True)) is Status.PASS


@pytest.mark.requirement("URS-ELIG-011")
def test_locally_treated_lesion_without_progression_does_not_qualify_whatever_its_size():
    assert lesions_status(lesion(locally_treated=True, progressed_after_local_treatment=False)) is Status.FAIL
    assert lesions_status(
        lesion(locally_treated=True, progressed_after_local_treatment=False, size_mm=None)
    ) is Status.FAIL


@pytest.mark.requirement("URS-ELIG-012")
def test_treated_lesion_with_unknown_progression_is_missing():
    assert lesions_status(lesion(locally_treated=True, progressed_after_local_treatment=None)) is Status.MISSING


@pytest.mark.requirement("URS-ELIG-012")
def test_lesion_with_unknown_local_treatment_is_missing():
    assert lesions_status(lesion(locally_treated=None)) is Status.MISSING
    assert lesions_status(lesion(locally_treated=None, progressed_after_local_treatment=False)) is Status.MISSING


@pytest.mark.requirement("URS-ELIG-011", "URS-ELIG-012")
def test_lesion_with_unknown_treatment_that_progressed_qualifies_either_way():
    assert lesions_status(lesion(locally_treated=None, progressed_after_local_treatment=True)) is Status.PASS


@pytest.mark.requirement("URS-ELIG-012")
def test_lesion_without_size_is_missing():
    assert lesions_status(lesion(size_mm=None)) is Status.MISSING


@pytest.mark.requirement("URS-ELIG-012")
def test_small_lesion_with_unknown_treatment_does_not_qualify():
    assert lesions_status(lesion(size_mm="8", locally_treated=None)) is Status.FAIL


# --- the row ---------------------------------------------------------------------------

@pytest.mark.requirement("URS-ELIG-011")
def test_one_qualifying_lesion_is_enough():
    assert lesions_status(
        lesion(size_mm=None), lesion(kind="nodal", method="CALIPER"), lesion(method="MRI", size_mm="30")
    ) is Status.PASS


@pytest.mark.requirement("URS-ELIG-012")
def test_undecided_lesion_makes_the_row_missing_when_no_lesion_qualifies():
    row = result("measurable_disease", lesions=[lesion(size_mm="5"), lesion(size_mm=None)])
    assert row.status is Status.MISSING
    assert "lesion 2" in row.detail


@pytest.mark.requirement("URS-ELIG-012")
def test_empty_lesion_list_fails():
    assert lesions_status() is Status.FAIL


@pytest.mark.requirement("URS-ELIG-012")
@pytest.mark.parametrize("absent", [None, ABSENT])
def test_lesions_absent_is_missing(absent):
    assert status("measurable_disease", lesions=absent) is Status.MISSING


@pytest.mark.requirement("URS-ELIG-024")
def test_measurable_detail_names_the_size_limit_and_imaging_date():
    detail = result("measurable_disease", lesions=[lesion(size_mm="23", slice_thickness_mm="7")]).detail
    assert "23 mm" in detail and "14 mm" in detail
    assert "imaged 2026-02-26 (12 days before)" in detail


@pytest.mark.requirement("URS-INPUT-007")
def test_lesion_site_is_free_text_and_checked():
    assert lesions_status(lesion(site="liver segment VI（肝）")) is Status.PASS
    record = candidate(lesions=[lesion(site="liver\u200bVI")])
    from .records import error

    assert error(record).startswith("lesions[0].site:")
