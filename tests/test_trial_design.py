"""The two-stage decision: more than 6 of 12 to continue, more than 19 of 28 to call the regimen promising."""

import pytest

from screening import trial_design as design
from screening.trial_design import CANNOT_PASS, PASSED, POSSIBLE, STOPPED, decide, trial_status

YES, NO, WAIT = "yes", "no", "not_evaluable"


def stage_1(enrolled, evaluated, responders):
    return decide(planned=12, more_than=6, enrolled=enrolled, evaluated=evaluated, responders=responders)


def overall(enrolled, evaluated, responders):
    return decide(planned=28, more_than=19, enrolled=enrolled, evaluated=evaluated, responders=responders)


@pytest.mark.requirement("URS-DASH-001")
@pytest.mark.parametrize(
    "enrolled, evaluated, responders, expected",
    [
        (12, 12, 6, CANNOT_PASS),  # exactly 6 of 12 is not more than 6
        (12, 12, 7, PASSED),  # 7 of 12 is
        (12, 11, 6, POSSIBLE),  # 6 + 1 pending can still make 7
        (12, 11, 5, CANNOT_PASS),  # 5 + 1 pending makes 6 at most
        (12, 10, 5, POSSIBLE),  # exactly reachable: 5 + 2 = 7
        (9, 5, 4, POSSIBLE),  # 3 awaiting + 3 open slots pending
        (8, 8, 7, PASSED),  # passed before the stage is complete
        (7, 7, 7, PASSED),
        (6, 6, 0, CANNOT_PASS),  # 0 + 6 pending = 6: cannot pass already
        (5, 5, 0, POSSIBLE),  # 0 + 7 pending = 7: every remaining subject must respond
        (0, 0, 0, POSSIBLE),
    ],
)
def test_stage_1_boundaries(enrolled, evaluated, responders, expected):
    assert stage_1(enrolled, evaluated, responders) == expected


@pytest.mark.requirement("URS-DASH-001")
@pytest.mark.parametrize(
    "enrolled, evaluated, responders, expected",
    [
        (28, 28, 19, CANNOT_PASS),  # 19 of 28 is not more than 19
        (28, 28, 20, PASSED),
        (28, 27, 19, POSSIBLE),  # 19 + 1 pending = 20
        (28, 27, 18, CANNOT_PASS),  # 18 + 1 = 19
        (20, 20, 20, PASSED),
        (20, 9, 0, CANNOT_PASS),  # 0 + 19 pending = 19
        (20, 8, 0, POSSIBLE),  # 0 + 20 pending = 20
    ],
)
def test_overall_boundaries(enrolled, evaluated, responders, expected):
    assert overall(enrolled, evaluated, responders) == expected


@pytest.mark.requirement("URS-DASH-001")
def test_every_stage_1_count_agrees_with_enumerating_the_pending_outcomes():
    for enrolled in range(13):
        for evaluated in range(enrolled + 1):
            for responders in range(evaluated + 1):
                pending = 12 - evaluated
                finals = [responders + extra for extra in range(pending + 1)]
                if min(finals) > 6:
                    expected = PASSED
                elif max(finals) <= 6:
                    expected = CANNOT_PASS
                else:
                    expected = POSSIBLE
                assert stage_1(enrolled, evaluated, responders) == expected, (enrolled, evaluated, responders)


@pytest.mark.requirement("URS-DASH-001")
@pytest.mark.parametrize(
    "counts",
    [
        {"enrolled": 13, "evaluated": 0, "responders": 0},  # more enrolled than planned
        {"enrolled": 5, "evaluated": 6, "responders": 0},  # more evaluated than enrolled
        {"enrolled": 5, "evaluated": 3, "responders": 4},  # more responders than evaluated
        {"enrolled": 5, "evaluated": 3, "responders": -1},
    ],
)
def test_inconsistent_counts_are_refused(counts):
    with pytest.raises(ValueError, match="inconsistent counts"):
        stage_1(**counts)


@pytest.mark.requirement("URS-DASH-002")
def test_summary_reads_as_the_protocol_team_writes_it():
    outcomes = [YES] * 4 + [NO] + [WAIT] * 4
    status = trial_status(outcomes)
    assert status.stage_1.summary == (
        "Stage 1: 9 of 12 enrolled, 5 evaluated, 4 reached 6-month DFS; 7 needed to continue; still possible"
    )
    assert status.stage_1.headline == "Stage 1 still possible"
    assert status.stage_1.explanation.startswith("3 more of the 7 pending (4 awaiting assessment, 3 not yet enrolled)")
    assert status.overall.summary == (
        "Overall: 9 of 28 enrolled, 5 evaluated, 4 reached 6-month DFS; 20 needed to call the regimen promising; "
        "still possible"
    )


@pytest.mark.requirement("URS-DASH-002")
def test_stage_1_passed_and_cannot_pass_wording():
    passed = trial_status([YES] * 7 + [NO] * 5)
    assert passed.stage_1.decision == PASSED
    assert passed.stage_1.headline == "Stage 1 passed"
    assert passed.stage_1.summary.endswith("; Stage 1 passed")
    failed = trial_status([YES] * 6 + [NO] * 6)
    assert failed.stage_1.headline == "Stage 1 cannot pass any more"
    assert failed.stage_1.summary.endswith("; Stage 1 cannot pass any more")


@pytest.mark.requirement("URS-DASH-001")
def test_stage_1_counts_only_the_first_twelve_subjects():
    # Subjects 13-20 all respond, but stage 1 (subjects 1-12) has only 6 responders.
    status = trial_status([YES] * 6 + [NO] * 6 + [YES] * 8)
    assert (status.stage_1.enrolled, status.stage_1.responders) == (12, 6)
    assert status.stage_1.decision == CANNOT_PASS
    assert (status.overall.enrolled, status.overall.responders) == (20, 14)


@pytest.mark.requirement("URS-DASH-001")
def test_overall_stops_when_stage_1_cannot_pass():
    status = trial_status([NO] * 6)
    assert status.stage_1.decision == CANNOT_PASS
    assert status.overall.decision == STOPPED
    assert status.overall.headline == "Trial stops after stage 1"


@pytest.mark.requirement("URS-DASH-001")
def test_regimen_promising_needs_more_than_19_of_28():
    nineteen = trial_status([YES] * 19 + [NO] * 9)
    twenty = trial_status([YES] * 20 + [NO] * 8)
    assert nineteen.overall.decision == CANNOT_PASS
    assert twenty.overall.decision == PASSED
    assert twenty.overall.headline == "Regimen promising"


@pytest.mark.requirement("URS-DASH-001")
def test_subjects_beyond_the_28_planned_are_not_counted():
    status = trial_status([YES] * 30)
    assert status.overall.enrolled == 28
    assert status.overall.responders == 28
    assert status.beyond_target == 2


@pytest.mark.requirement("URS-DASH-001")
def test_not_yet_evaluable_subjects_are_pending_not_failures():
    status = trial_status([WAIT] * 12)
    assert (status.stage_1.evaluated, status.stage_1.pending, status.stage_1.decision) == (0, 12, POSSIBLE)


@pytest.mark.requirement("URS-DASH-001")
def test_unknown_dfs_value_is_refused():
    with pytest.raises(ValueError, match="unknown 6-month DFS"):
        trial_status(["maybe"])


@pytest.mark.requirement("URS-DASH-001")
def test_design_constants_match_the_protocol():
    assert (design.STAGE_1_SIZE, design.STAGE_1_MORE_THAN, design.TOTAL_SIZE, design.TOTAL_MORE_THAN) == (12, 6, 28, 19)
