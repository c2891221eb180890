"""diagnosis, prior_therapy, measurable_disease (RECIST 1.1)."""

import pytest

from screening.eligibility import Status

from .records import ABSENT, candidate, lesion, result, status


def diagnosis_status(**fields) -> Status:
    return status("diagnosis", candidate(diagnosis_fields=fields))


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
