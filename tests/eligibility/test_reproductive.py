"""pregnancy_test and contraception."""

import pytest

from screening.eligibility import Status

from .records import ABSENT, candidate, pregnancy, result, status

FIRST_DOSE = "2026-03-10T09:00:00+08:00"


def pregnancy_row(*tests, **overrides):
    return result("pregnancy_test", candidate(pregnancy_tests=list(tests), **overrides))


# --- who the pregnancy test applies to -------------------------------------

@pytest.mark.requirement("URS-ELIG-021")
@pytest.mark.parametrize("potential", [True, False, None])
def test_pregnancy_test_does_not_apply_to_men(potential):
    assert status("pregnancy_test", sex="male", childbearing_potential=potential) is Status.NOT_APPLICABLE


@pytest.mark.requirement("URS-ELIG-021")
@pytest.mark.parametrize("sex", ["female", None])
def test_pregnancy_test_does_not_apply_without_childbearing_potential(sex):
    assert status("pregnancy_test", sex=sex, childbearing_potential=False) is Status.NOT_APPLICABLE


@pytest.mark.requirement("URS-ELIG-021")
@pytest.mark.parametrize("sex, potential", [(None, True), ("female", None), (None, None), (ABSENT, ABSENT)])
def test_pregnancy_test_with_sex_or_potential_unknown_is_missing(sex, potential):
    assert status("pregnancy_test", sex=sex, childbearing_potential=potential) is Status.MISSING


# --- which test counts ---------------------------------------------------

@pytest.mark.requirement("URS-ELIG-021")
def test_negative_serum_test_within_72_h_passes():
    row = pregnancy_row(pregnancy("negative", "2026-03-08T10:30:00+08:00"))
    assert row.status is Status.PASS
    assert "serum test valid until 2026-03-11 10:30 +08:00" in row.notes


@pytest.mark.requirement("URS-ELIG-021")
def test_positive_serum_test_within_72_h_fails():
    assert pregnancy_row(pregnancy("positive", "2026-03-08T10:30:00+08:00")).status is Status.FAIL


@pytest.mark.requirement("URS-ELIG-021")
def test_serum_test_exactly_72_h_before_first_dose_counts():
    assert pregnancy_row(pregnancy("negative", "2026-03-07T09:00:00+08:00")).status is Status.PASS


@pytest.mark.requirement("URS-ELIG-021")
def test_serum_test_one_second_more_than_72_h_before_first_dose_does_not_count():
    row = pregnancy_row(pregnancy("negative", "2026-03-07T08:59:59+08:00"))
    assert row.status is Status.MISSING
    assert any("before the window and does not count" in note for note in row.notes)


@pytest.mark.requirement("URS-ELIG-021")
def test_serum_test_at_the_first_dose_instant_counts_and_one_second_later_does_not():
    assert pregnancy_row(pregnancy("negative", "2026-03-10T09:00:00+08:00")).status is Status.PASS
    assert pregnancy_row(pregnancy("negative", "2026-03-10T09:00:01+08:00")).status is Status.MISSING


@pytest.mark.requirement("URS-ELIG-021")
def test_window_compares_instants_across_utc_offsets():
    # 2026-03-07T01:00Z is 2026-03-07 09:00 +08:00: exactly 72 h before.
    assert pregnancy_row(pregnancy("negative", "2026-03-07T01:00:00Z")).status is Status.PASS
    assert pregnancy_row(pregnancy("negative", "2026-03-07T00:59:59Z")).status is Status.MISSING
    assert pregnancy_row(pregnancy("negative", "2026-03-06T20:00:00-05:00")).status is Status.PASS
    assert pregnancy_row(pregnancy("negative", "2026-03-09T20:00:01-05:00")).status is Status.MISSING


@pytest.mark.requirement("URS-ELIG-021")
def test_urine_test_never_counts():
    row = pregnancy_row(pregnancy("negative", "2026-03-09T08:00:00+08:00", specimen="urine"))
    assert row.status is Status.MISSING
    assert any("urine test" in note and "serum required" in note for note in row.notes)


@pytest.mark.requirement("URS-ELIG-022")
def test_positive_urine_test_after_a_negative_serum_test_fails_the_row():
    row = pregnancy_row(
        pregnancy("positive", "2026-03-09T08:00:00+08:00", specimen="urine"),
        pregnancy("negative", "2026-03-08T08:00:00+08:00"),
    )
    assert row.status is Status.FAIL
    assert "urine pregnancy test POSITIVE" in row.detail


@pytest.mark.requirement("URS-ELIG-022")
def test_any_positive_in_the_window_fails_whatever_came_later():
    assert pregnancy_row(
        pregnancy("negative", "2026-03-09T08:00:00+08:00"),
        pregnancy("positive", "2026-03-08T08:00:00+08:00"),
    ).status is Status.FAIL
    assert pregnancy_row(
        pregnancy("negative", "2026-03-08T08:00:00+08:00"),
        pregnancy("positive", "2026-03-09T08:00:00+08:00"),
    ).status is Status.FAIL


@pytest.mark.requirement("URS-ELIG-022")
def test_positive_at_the_window_edges_fails_and_just_outside_is_a_note():
    assert pregnancy_row(pregnancy("positive", "2026-03-07T09:00:00+08:00")).status is Status.FAIL
    assert pregnancy_row(pregnancy("positive", "2026-03-10T09:00:00+08:00"), ).status is Status.FAIL
    before = pregnancy_row(
        pregnancy("positive", "2026-03-07T08:59:59+08:00"), pregnancy("negative", "2026-03-09T08:00:00+08:00")
    )
    assert before.status is Status.PASS
    assert any("POSITIVE serum test of 2026-03-07 08:59:59 +08:00, before the window" in n for n in before.notes)
    after = pregnancy_row(
        pregnancy("positive", "2026-03-10T09:00:01+08:00"), pregnancy("negative", "2026-03-09T08:00:00+08:00")
    )
    assert after.status is Status.PASS
    assert any("POSITIVE" in note and "after the planned first dose" in note for note in after.notes)


@pytest.mark.requirement("URS-ELIG-022")
def test_positive_in_the_window_fails_even_when_sex_or_potential_is_absent():
    positive = pregnancy("positive", "2026-03-09T08:00:00+08:00", specimen="urine")
    assert pregnancy_row(positive, sex=None).status is Status.FAIL
    assert pregnancy_row(positive, childbearing_potential=None).status is Status.FAIL
    negative = pregnancy("negative", "2026-03-09T08:00:00+08:00")
    assert pregnancy_row(negative, sex=None).status is Status.MISSING
    assert pregnancy_row(negative, childbearing_potential=None).status is Status.MISSING


@pytest.mark.requirement("URS-ELIG-021")
def test_a_man_or_no_potential_is_not_applicable_even_with_a_positive_test():
    positive = pregnancy("positive", "2026-03-09T08:00:00+08:00")
    assert pregnancy_row(positive, sex="male").status is Status.NOT_APPLICABLE
    assert pregnancy_row(positive, childbearing_potential=False).status is Status.NOT_APPLICABLE


@pytest.mark.requirement("URS-ELIG-022")
def test_old_positive_serum_test_is_ignored_for_a_recent_negative_one():
    assert pregnancy_row(
        pregnancy("positive", "2026-03-01T08:00:00+08:00"),
        pregnancy("negative", "2026-03-09T08:00:00+08:00"),
    ).status is Status.PASS


@pytest.mark.requirement("URS-ELIG-022")
def test_a_positive_at_the_same_instant_fails_in_any_order_and_offset():
    positive_utc = pregnancy("positive", "2026-03-08T02:00:00Z")
    negative_local = pregnancy("negative", "2026-03-08T10:00:00+08:00")
    assert pregnancy_row(positive_utc, negative_local).status is Status.FAIL
    assert pregnancy_row(negative_local, positive_utc).status is Status.FAIL


@pytest.mark.requirement("URS-ELIG-021")
def test_no_pregnancy_tests_is_missing():
    assert pregnancy_row().status is Status.MISSING
    assert status("pregnancy_test", pregnancy_tests=None) is Status.MISSING


@pytest.mark.requirement("URS-ELIG-021")
def test_without_planned_first_dose_the_pregnancy_test_is_missing():
    row = pregnancy_row(pregnancy("negative", "2026-03-08T10:30:00+08:00"), planned_first_dose=None)
    assert row.status is Status.MISSING
    assert any("up to 2026-03-11 10:30 +08:00" in note for note in row.notes)


@pytest.mark.requirement("URS-ELIG-021")
def test_a_woman_without_childbearing_potential_needs_no_test():
    assert pregnancy_row(childbearing_potential=False).status is Status.NOT_APPLICABLE


# --- contraception -------------------------------------------------------

@pytest.mark.requirement("URS-ELIG-023")
@pytest.mark.parametrize("agreed, expected", [(True, Status.PASS), (False, Status.FAIL), (None, Status.MISSING)])
def test_contraception_for_a_woman_of_childbearing_potential(agreed, expected):
    assert status("contraception", sex="female", childbearing_potential=True, contraception_agreed=agreed) is expected


@pytest.mark.requirement("URS-ELIG-023")
@pytest.mark.parametrize("agreed, expected", [(True, Status.PASS), (False, Status.FAIL), (None, Status.MISSING)])
def test_contraception_for_a_man_whose_partner_has_childbearing_potential(agreed, expected):
    assert status(
        "contraception", sex="male", partner_childbearing_potential=True, contraception_agreed=agreed
    ) is expected


@pytest.mark.requirement("URS-ELIG-023")
@pytest.mark.parametrize("agreed", [True, False, None])
def test_contraception_does_not_apply_to_a_woman_without_childbearing_potential(agreed):
    assert status(
        "contraception", sex="female", childbearing_potential=False, contraception_agreed=agreed
    ) is Status.NOT_APPLICABLE


@pytest.mark.requirement("URS-ELIG-023")
@pytest.mark.parametrize("agreed", [True, False, None])
def test_contraception_does_not_apply_to_a_man_whose_partner_has_no_childbearing_potential(agreed):
    assert status(
        "contraception", sex="male", partner_childbearing_potential=False, contraception_agreed=agreed
    ) is Status.NOT_APPLICABLE


@pytest.mark.requirement("URS-ELIG-023")
def test_a_mans_own_childbearing_potential_field_is_not_what_decides():
    assert status(
        "contraception", sex="male", childbearing_potential=True, partner_childbearing_potential=False
    ) is Status.NOT_APPLICABLE


@pytest.mark.requirement("URS-ELIG-023")
def test_a_womans_partner_field_is_not_what_decides():
    assert status(
        "contraception", sex="female", childbearing_potential=False, partner_childbearing_potential=True
    ) is Status.NOT_APPLICABLE


@pytest.mark.requirement("URS-ELIG-023")
@pytest.mark.parametrize(
    "overrides",
    [
        {"sex": None},
        {"sex": ABSENT},
        {"sex": None, "childbearing_potential": False, "partner_childbearing_potential": False},
        {"sex": "female", "childbearing_potential": None},
        {"sex": "male", "partner_childbearing_potential": None},
    ],
)
def test_contraception_with_the_deciding_field_or_sex_absent_is_missing(overrides):
    assert status("contraception", **overrides) is Status.MISSING
