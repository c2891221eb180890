"""anc, platelets, haemoglobin, bilirubin, alt, ast, renal_function."""

import pytest

from screening.eligibility import Status

from .records import candidate, lab, result, status, with_labs


def lab_row(criterion_id, *entries, **overrides):
    return result(criterion_id, with_labs(*entries, **overrides))


def lab_status(criterion_id, *entries, **overrides) -> Status:
    return lab_row(criterion_id, *entries, **overrides).status


# --- thresholds in canonical units -----------------------------------------

@pytest.mark.requirement("URS-ELIG-016")
@pytest.mark.parametrize(
    "value, unit, expected",
    [
        ("1.5", "10*9/L", Status.PASS),
        ("1.49", "10*9/L", Status.FAIL),
        ("1.51", "10*9/L", Status.PASS),
        ("1500", "/uL", Status.PASS),
        ("1499", "/uL", Status.FAIL),
        ("1.5", "10*3/uL", Status.PASS),
        ("1500", "/mm3", Status.PASS),
        ("1.499", "10*3/mm3", Status.FAIL),
    ],
)
def test_anc_at_least_1_5_per_nl(value, unit, expected):
    assert lab_status("anc", lab("anc", value, unit)) is expected


@pytest.mark.requirement("URS-ELIG-016")
@pytest.mark.parametrize(
    "value, unit, expected",
    [
        ("100", "10*9/L", Status.PASS),
        ("99.9", "10*9/L", Status.FAIL),
        ("100000", "/uL", Status.PASS),
        ("99999", "/mm3", Status.FAIL),
        ("100", "10*3/uL", Status.PASS),
    ],
)
def test_platelets_at_least_100_per_nl(value, unit, expected):
    assert lab_status("platelets", lab("platelets", value, unit)) is expected


@pytest.mark.requirement("URS-ELIG-016")
@pytest.mark.parametrize(
    "value, unit, expected",
    [
        ("8", "g/dL", Status.PASS),
        ("7.99", "g/dL", Status.FAIL),
        ("80", "g/L", Status.PASS),
        ("79.9", "g/L", Status.FAIL),
        ("4.9647", "mmol/L", Status.PASS),  # 8.00011... g/dL
        ("4.9646", "mmol/L", Status.FAIL),  # 7.99995... g/dL
    ],
)
def test_haemoglobin_at_least_8_g_per_dl(value, unit, expected):
    assert lab_status("haemoglobin", lab("haemoglobin", value, unit)) is expected


@pytest.mark.requirement("URS-ELIG-024", "URS-CALC-002")
def test_converted_value_is_shown_in_the_detail():
    detail = lab_row("haemoglobin", lab("haemoglobin", "6.1", "mmol/L")).detail
    assert "6.1 mmol/L" in detail and "9.82954 g/dL" in detail and "2026-02-27" in detail


@pytest.mark.requirement("URS-ELIG-017")
@pytest.mark.parametrize(
    "value, uln, expected",
    [("31.5", "21", Status.PASS), ("31.6", "21", Status.FAIL), ("31.49", "21", Status.PASS), ("0", "21", Status.PASS)],
)
def test_bilirubin_at_most_1_5_times_uln(value, uln, expected):
    assert lab_status("bilirubin", lab("bilirubin", value, uln=uln)) is expected


@pytest.mark.requirement("URS-ELIG-017")
def test_bilirubin_is_compared_with_the_uln_in_its_own_unit():
    assert lab_status("bilirubin", lab("bilirubin", "1.8", "mg/dL", "1.2")) is Status.PASS
    assert lab_status("bilirubin", lab("bilirubin", "1.81", "mg/dL", "1.2")) is Status.FAIL


# --- ALT / AST -------------------------------------------------------------

@pytest.mark.requirement("URS-ELIG-018")
@pytest.mark.parametrize("test", ["alt", "ast"])
@pytest.mark.parametrize("liver", [True, False, None])
def test_transaminase_up_to_2_5_uln_passes_whatever_the_liver(test, liver):
    assert lab_status(test, lab(test, "100", uln="40"), liver_metastases=liver) is Status.PASS


@pytest.mark.requirement("URS-ELIG-018")
@pytest.mark.parametrize("test", ["alt", "ast"])
@pytest.mark.parametrize("liver", [True, False, None])
def test_transaminase_above_5_uln_fails_whatever_the_liver(test, liver):
    assert lab_status(test, lab(test, "200.01", uln="40"), liver_metastases=liver) is Status.FAIL


@pytest.mark.requirement("URS-ELIG-018")
@pytest.mark.parametrize("test", ["alt", "ast"])
@pytest.mark.parametrize("value", ["100.01", "130", "200"])
def test_transaminase_between_2_5_and_5_uln_passes_with_liver_metastases(test, value):
    row = lab_row(test, lab(test, value, uln="40"), liver_metastases=True)
    assert row.status is Status.PASS
    assert "liver metastases" in row.detail


@pytest.mark.requirement("URS-ELIG-018")
@pytest.mark.parametrize("test", ["alt", "ast"])
def test_transaminase_between_2_5_and_5_uln_fails_without_liver_metastases(test):
    assert lab_status(test, lab(test, "130", uln="40"), liver_metastases=False) is Status.FAIL


@pytest.mark.requirement("URS-ELIG-018")
@pytest.mark.parametrize("test", ["alt", "ast"])
def test_transaminase_between_2_5_and_5_uln_is_missing_when_liver_metastases_unknown(test):
    assert lab_status(test, lab(test, "130", uln="40"), liver_metastases=None) is Status.MISSING


@pytest.mark.requirement("URS-ELIG-024")
def test_alt_detail_shows_the_uln_multiple():
    detail = lab_row("alt", lab("alt", "130", uln="40")).detail
    assert "ALT 130 U/L = 3.25 × ULN 40" in detail


@pytest.mark.requirement("URS-CALC-002")
def test_iu_per_litre_reads_like_u_per_litre():
    assert lab_status("ast", lab("ast", "101", "IU/L", "40"), liver_metastases=False) is Status.FAIL
    assert lab_status("ast", lab("ast", "100", "IU/L", "40"), liver_metastases=False) is Status.PASS


# --- missing results and the lab window --------------------------------------

@pytest.mark.requirement("URS-ELIG-020")
@pytest.mark.parametrize("test, criterion_id", [
    ("anc", "anc"), ("platelets", "platelets"), ("haemoglobin", "haemoglobin"), ("bilirubin", "bilirubin"),
    ("alt", "alt"), ("ast", "ast"), ("creatinine", "renal_function"),
])
def test_no_result_is_missing(test, criterion_id):
    assert status(criterion_id, candidate(replace_labs={test: None})) is Status.MISSING


@pytest.mark.requirement("URS-ELIG-020")
def test_no_labs_at_all_leaves_every_lab_row_missing():
    record = candidate(labs=None)
    for criterion_id in ("anc", "platelets", "haemoglobin", "bilirubin", "alt", "ast", "renal_function"):
        assert status(criterion_id, record) is Status.MISSING


@pytest.mark.requirement("URS-ELIG-020")
def test_result_collected_14_days_before_screening_counts():
    assert lab_status("anc", lab("anc", "2.0", collected="2026-02-16")) is Status.PASS


@pytest.mark.requirement("URS-ELIG-020")
def test_result_collected_15_days_before_screening_is_ignored():
    row = lab_row("anc", lab("anc", "2.0", collected="2026-02-15"))
    assert row.status is Status.MISSING
    assert row.notes == ("ANC of 2026-02-15 ignored: 15 days before screening, window is 14 days",)


@pytest.mark.requirement("URS-ELIG-020")
def test_result_collected_on_the_screening_date_counts():
    assert lab_status("anc", lab("anc", "1.2", collected="2026-03-02")) is Status.FAIL


@pytest.mark.requirement("URS-ELIG-020")
def test_most_recent_result_decides_whatever_the_order():
    older_good = lab("anc", "2.0", collected="2026-02-20")
    newer_bad = lab("anc", "1.0", collected="2026-02-25")
    assert lab_status("anc", older_good, newer_bad) is Status.FAIL
    assert lab_status("anc", newer_bad, older_good) is Status.FAIL


@pytest.mark.requirement("URS-ELIG-020")
def test_old_failing_result_is_ignored_for_a_recent_passing_one():
    assert lab_status(
        "anc", lab("anc", "0.5", collected="2026-01-10"), lab("anc", "2.0", collected="2026-02-25")
    ) is Status.PASS


@pytest.mark.requirement("URS-ELIG-020")
def test_same_date_the_last_listed_result_wins():
    good = lab("anc", "2.0", collected="2026-02-25")
    bad = lab("anc", "1.0", collected="2026-02-25")
    assert lab_status("anc", good, bad) is Status.FAIL
    row = lab_row("anc", bad, good)
    assert row.status is Status.PASS
    assert any("same date" in note for note in row.notes)


@pytest.mark.requirement("URS-ELIG-020", "URS-CALC-002")
def test_a_result_on_the_same_date_may_change_the_unit():
    assert lab_status(
        "platelets", lab("platelets", "90", "10*9/L"), lab("platelets", "120000", "/uL")
    ) is Status.PASS


# --- renal function ---------------------------------------------------------

MALE_60 = {"sex": "male", "date_of_birth": "1966-03-02"}  # 60 on 2026-03-02
FEMALE_40 = {"sex": "female", "date_of_birth": "1986-03-02"}  # 40 on 2026-03-02


def renal(value, unit="mg/dL", uln="1.0", **overrides):
    return lab_row("renal_function", lab("creatinine", value, unit, uln), **overrides)


@pytest.mark.requirement("URS-ELIG-019")
@pytest.mark.parametrize("value, unit, uln", [("1.5", "mg/dL", "1.0"), ("126", "umol/L", "84"), ("1.65", "mg/dL", "1.1")])
def test_creatinine_up_to_1_5_uln_passes_without_needing_weight(value, unit, uln):
    row = renal(value, unit, uln, weight_kg=None, sex=None, date_of_birth=None)
    assert row.status is Status.PASS


@pytest.mark.requirement("URS-ELIG-019", "URS-CALC-003")
def test_cockcroft_gault_exactly_60_fails():
    # (140 - 60) x 108 / (72 x 2.0) = 60
    row = renal("2.0", weight_kg="108", **MALE_60)
    assert row.status is Status.FAIL
    assert "CrCl 60 mL/min = (140 − 60) × 108 kg / (72 × 2.0 mg/dL) ≤ 60" in row.detail


@pytest.mark.requirement("URS-ELIG-019")
def test_cockcroft_gault_just_above_60_passes():
    row = renal("2.0", weight_kg="108.01", **MALE_60)
    assert row.status is Status.PASS
    assert "> 60" in row.detail


@pytest.mark.requirement("URS-ELIG-019")
def test_cockcroft_gault_just_below_60_fails():
    assert renal("2.0", weight_kg="107.99", **MALE_60).status is Status.FAIL


@pytest.mark.requirement("URS-ELIG-019")
def test_cockcroft_gault_applies_0_85_for_women():
    # (140 - 40) x 86.4 x 0.85 / (72 x 1.7) = 60 exactly; without the factor it would be 70.6
    row = renal("1.7", weight_kg="86.4", **FEMALE_40)
    assert row.status is Status.FAIL
    assert "× 0.85" in row.detail
    assert renal("1.7", weight_kg="86.41", **FEMALE_40).status is Status.PASS
    assert renal("1.7", weight_kg="86.4", **{**FEMALE_40, "sex": "male"}).status is Status.PASS


@pytest.mark.requirement("URS-ELIG-019", "URS-CALC-002")
def test_cockcroft_gault_with_creatinine_in_umol_per_litre_is_exact():
    # 176.8 umol/L = 2.0 mg/dL exactly: clearance exactly 60 -> fail
    assert renal("176.8", "umol/L", "84", weight_kg="108", **MALE_60).status is Status.FAIL
    assert renal("176.79", "umol/L", "84", weight_kg="108", **MALE_60).status is Status.PASS
    row = renal("176.8", "umol/L", "84", weight_kg="108", **MALE_60)
    assert "176.8 µmol/L ÷ 88.4" in row.detail


@pytest.mark.requirement("URS-ELIG-019")
def test_cockcroft_gault_uses_age_on_the_screening_date():
    # born 1966-03-03: still 59 on 2026-03-02 -> (140 - 59) x 108 / 144 = 60.75 > 60
    assert renal("2.0", weight_kg="108", sex="male", date_of_birth="1966-03-03").status is Status.PASS


@pytest.mark.requirement("URS-ELIG-024")
def test_clearance_display_is_not_rounded_onto_the_threshold():
    detail = renal("2.0", weight_kg="108.0001", **MALE_60).detail
    assert "CrCl 60 " not in detail and "CrCl 60.0" in detail


@pytest.mark.requirement("URS-ELIG-019")
@pytest.mark.parametrize("absent", ["weight_kg", "sex", "date_of_birth"])
def test_cockcroft_gault_without_its_inputs_is_missing(absent):
    row = renal("2.0", **{**MALE_60, "weight_kg": "108", absent: None})
    assert row.status is Status.MISSING
    assert absent.replace("_kg", "").replace("_", " ") in row.detail


@pytest.mark.requirement("URS-ELIG-019")
def test_high_creatinine_with_low_clearance_fails():
    assert renal("3.0", weight_kg="50", **MALE_60).status is Status.FAIL
