"""diagnosis, prior_therapy, measurable_disease (RECIST 1.1)."""

import pytest

from screening.eligibility import Status

from .records import ABSENT, candidate, lesion, result, status


def diagnosis_status(**fields) -> Status:
    return status("diagnosis", candidate(diagnosis_fields=fields))


def lesions_status(*lesions) -> Status:
    return status("measurable_disease", lesions=list(lesions))


# --- diagnosis -----------------------------------------------------------

@pytest.mark.requirement("URS-ELIG-005")
@pytest.mark.parametrize("kind", ["NEC", "NET_G3"])
def test_diagnosis_nec_or_net_g3_passes(kind):
    assert diagnosis_status(type=kind) is Status.PASS


@pytest.mark.requirement("URS-ELIG-005")
def test_diagnosis_other_type_fails():
    assert diagnosis_status(type="OTHER") is Status.FAIL


@pytest.mark.requirement("URS-ELIG-005")
@pytest.mark.parametrize("confirmation", ["histological", "cytological"])
def test_diagnosis_histological_or_cytological_confirmation_passes(confirmation):
    assert diagnosis_status(confirmation=confirmation) is Status.PASS


@pytest.mark.requirement("URS-ELIG-005")
def test_diagnosis_clinical_confirmation_fails():
    assert diagnosis_status(confirmation="clinical") is Status.FAIL


@pytest.mark.requirement("URS-ELIG-005")
def test_diagnosis_not_metastatic_fails():
    assert diagnosis_status(metastatic=False) is Status.FAIL


@pytest.mark.requirement("URS-ELIG-006")
@pytest.mark.parametrize("site", ["lung", "Lung", "LUNG", " lung "])
def test_diagnosis_with_lung_primary_fails_whatever_the_case(site):
    assert diagnosis_status(primary_site=site) is Status.FAIL


@pytest.mark.requirement("URS-ELIG-006")
@pytest.mark.parametrize("site", ["left lung", "Lung (right upper lobe)", "lungs", "lung/bronchus"])
def test_diagnosis_naming_the_lung_in_longer_text_fails(site):
    assert diagnosis_status(primary_site=site) is Status.FAIL


@pytest.mark.requirement("URS-ELIG-006")
@pytest.mark.parametrize("site", ["unknown", "pancreas", "rectum", "oesophagus", "extrapulmonary", "Unknown primary"])
def test_diagnosis_with_extrapulmonary_or_unknown_primary_passes(site):
    assert diagnosis_status(primary_site=site) is Status.PASS


@pytest.mark.requirement("URS-ELIG-005", "URS-CALC-003")
@pytest.mark.parametrize("percent, expected", [("30.01", Status.PASS), (31, Status.PASS), (30, Status.FAIL), ("29.9", Status.FAIL), (0, Status.FAIL), (100, Status.PASS)])
def test_minen_needs_an_ne_component_above_30_percent(percent, expected):
    assert diagnosis_status(type="MINEN", ne_component_percent=percent) is expected


@pytest.mark.requirement("URS-ELIG-005")
def test_minen_without_ne_component_is_missing():
    assert diagnosis_status(type="MINEN", ne_component_percent=None) is Status.MISSING


@pytest.mark.requirement("URS-ELIG-005")
def test_ne_component_is_ignored_for_nec():
    assert diagnosis_status(type="NEC", ne_component_percent=10) is Status.PASS


@pytest.mark.requirement("URS-ELIG-005")
@pytest.mark.parametrize("field", ["type", "confirmation", "primary_site", "metastatic"])
def test_diagnosis_with_a_field_absent_is_missing(field):
    assert diagnosis_status(**{field: None}) is Status.MISSING
    assert diagnosis_status(**{field: ABSENT}) is Status.MISSING


@pytest.mark.requirement("URS-ELIG-006")
def test_blank_primary_site_is_missing():
    assert diagnosis_status(primary_site="  ") is Status.MISSING


@pytest.mark.requirement("URS-ELIG-005")
@pytest.mark.parametrize("absent", [None, ABSENT])
def test_diagnosis_absent_is_missing(absent):
    assert status("diagnosis", diagnosis=absent) is Status.MISSING


@pytest.mark.requirement("URS-ELIG-002", "URS-ELIG-005")
def test_a_failing_diagnosis_part_decides_even_when_others_are_missing():
    row = result("diagnosis", candidate(diagnosis_fields={"type": "OTHER", "confirmation": None, "metastatic": None}))
    assert row.status is Status.FAIL
    assert "OTHER" in row.detail


@pytest.mark.requirement("URS-ELIG-002", "URS-ELIG-005")
def test_minen_at_30_percent_fails_even_when_metastatic_is_unknown():
    assert diagnosis_status(type="MINEN", ne_component_percent=30, metastatic=None) is Status.FAIL


# --- prior therapy -------------------------------------------------------

@pytest.mark.requirement("URS-ELIG-008")
@pytest.mark.parametrize("lines", [1, "1", "1.0"])
def test_one_failed_prior_line_passes(lines):
    assert status("prior_therapy", prior_systemic_lines=lines, prior_line_failed=True) is Status.PASS


@pytest.mark.requirement("URS-ELIG-008", "URS-ELIG-002")
@pytest.mark.parametrize("lines", [0, 2, 3])
def test_zero_or_several_prior_lines_fail_whatever_prior_line_failed_says(lines):
    for failed in (True, False, None):
        assert status("prior_therapy", prior_systemic_lines=lines, prior_line_failed=failed) is Status.FAIL


@pytest.mark.requirement("URS-ELIG-008")
def test_a_prior_line_that_did_not_fail_fails():
    assert status("prior_therapy", prior_systemic_lines=1, prior_line_failed=False) is Status.FAIL


@pytest.mark.requirement("URS-ELIG-008", "URS-ELIG-002")
def test_prior_line_not_failed_fails_even_when_lines_are_unknown():
    assert status("prior_therapy", prior_systemic_lines=None, prior_line_failed=False) is Status.FAIL


@pytest.mark.requirement("URS-ELIG-008")
@pytest.mark.parametrize("lines, failed", [(None, True), (1, None), (None, None), (ABSENT, ABSENT)])
def test_prior_therapy_with_a_part_absent_is_missing(lines, failed):
    assert status("prior_therapy", prior_systemic_lines=lines, prior_line_failed=failed) is Status.MISSING


# --- measurable disease --------------------------------------------------

@pytest.mark.requirement("URS-ELIG-011")
@pytest.mark.parametrize("method", ["CT", "MRI", "CALIPER"])
@pytest.mark.parametrize("size, expected", [("10", Status.PASS), ("9.9", Status.FAIL), ("10.0", Status.PASS)])
def test_non_nodal_lesion_measurable_from_10_mm(method, size, expected):
    assert lesions_status(lesion(method=method, size_mm=size, slice_thickness_mm=None)) is expected


@pytest.mark.requirement("URS-ELIG-011")
@pytest.mark.parametrize("size, expected", [("20", Status.PASS), ("19.9", Status.FAIL), ("12", Status.FAIL)])
def test_non_nodal_lesion_by_chest_xray_measurable_from_20_mm(size, expected):
    assert lesions_status(lesion(method="CHEST_XRAY", size_mm=size)) is expected


@pytest.mark.requirement("URS-ELIG-011")
@pytest.mark.parametrize(
    "slice_mm, size, expected",
    [
        ("5", "10", Status.PASS),  # slice of 5 mm: the plain 10 mm
        ("6", "12", Status.PASS),  # thicker than 5 mm: 2 x slice
        ("6", "11.9", Status.FAIL),
        ("7.5", "15", Status.PASS),
        ("7.5", "14.99", Status.FAIL),
    ],
)
def test_non_nodal_lesion_by_ct_with_thick_slices_needs_twice_the_slice(slice_mm, size, expected):
    assert lesions_status(lesion(size_mm=size, slice_thickness_mm=slice_mm)) is expected


def test_slice_thickness_does_not_matter_for_caliper():
    assert lesions_status(lesion(method="CALIPER", size_mm="10", slice_thickness_mm="10")) is Status.PASS


@pytest.mark.requirement("URS-ELIG-011")
@pytest.mark.parametrize(
    "slice_mm, size, expected",
    [
        (None, "15", Status.PASS),
        (None, "14.9", Status.FAIL),
        ("5", "15", Status.PASS),
        ("7.5", "15", Status.PASS),  # 2 x 7.5 = 15, not larger
        ("8", "15.9", Status.FAIL),  # 2 x 8 = 16 is larger than 15
        ("8", "16", Status.PASS),
    ],
)
def test_nodal_lesion_by_ct_needs_a_short_axis_of_15_mm_or_twice_the_slice(slice_mm, size, expected):
    assert lesions_status(lesion(kind="nodal", method="MRI", size_mm=size, slice_thickness_mm=slice_mm)) is expected


@pytest.mark.requirement("URS-ELIG-011")
@pytest.mark.parametrize("method", ["CALIPER", "CHEST_XRAY"])
def test_nodal_lesion_by_caliper_or_xray_is_never_measurable(method):
    assert lesions_status(lesion(kind="nodal", method=method, size_mm="40")) is Status.FAIL
    assert lesions_status(lesion(kind="nodal", method=method, size_mm=None)) is Status.FAIL


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


@pytest.mark.requirement("URS-ELIG-011", "URS-ELIG-012")
def test_lesion_with_unknown_treatment_that_progressed_qualifies_either_way():
    assert lesions_status(lesion(locally_treated=None, progressed_after_local_treatment=True)) is Status.PASS


@pytest.mark.requirement("URS-ELIG-012")
def test_lesion_without_size_is_missing():
    assert lesions_status(lesion(size_mm=None)) is Status.MISSING


@pytest.mark.requirement("URS-ELIG-012")
def test_small_lesion_with_unknown_treatment_does_not_qualify():
    assert lesions_status(lesion(size_mm="8", locally_treated=None)) is Status.FAIL


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
def test_measurable_detail_names_the_size_and_limit():
    detail = result("measurable_disease", lesions=[lesion(size_mm="23", slice_thickness_mm="7")]).detail
    assert "23 mm" in detail and "14 mm" in detail
