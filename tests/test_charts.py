"""The dashboard charts' geometry (``screening.charts``): axes, bars and cells where the numbers say."""

from datetime import date

import pytest

from screening import charts, trial_design
from screening.selectors.dashboard import FailureReason, MonthCount
from screening.trial_design import StageDecision

PLOT_TOP = charts.TOP
PLOT_BOTTOM = charts.HEIGHT - charts.BOTTOM
PLOT_WIDTH = charts.WIDTH - charts.LEFT - charts.RIGHT


def months(*pairs):
    rows, total = [], 0
    for index, (screened, enrolled) in enumerate(pairs):
        total += enrolled
        rows.append(MonthCount(date(2026 + index // 12, 1 + index % 12, 1), screened, enrolled, total))
    return rows


@pytest.mark.parametrize("maximum, step", [(0, 1), (1, 1), (4, 1), (6, 2), (12, 5), (28, 10), (100, 50), (130, 50)])
def test_ticks_step_by_round_numbers(maximum, step):
    assert charts.nice_step(maximum) == step


def test_the_y_axis_runs_from_the_plot_bottom_to_its_top_in_even_ticks():
    y, ticks = charts.y_axis(28, PLOT_BOTTOM - PLOT_TOP)
    assert y(0) == PLOT_BOTTOM and ticks[0] == {"value": 0, "y": PLOT_BOTTOM}
    assert [tick["value"] for tick in ticks] == [0, 10, 20, 30]
    assert ticks[-1]["y"] == PLOT_TOP
    gaps = [lower["y"] - upper["y"] for lower, upper in zip(ticks, ticks[1:])]
    assert max(gaps) - min(gaps) <= 0.11


def test_monthly_bars_stand_on_the_axis_with_heights_in_proportion():
    chart = charts.monthly_chart(months((10, 4), (5, 0), (0, 0)))
    bars = {(bar["kind"], bar["label"].split(":")[0]): bar for bar in chart["bars"]}
    assert len(bars) == 6
    for bar in chart["bars"]:
        assert bar["y"] + bar["height"] == pytest.approx(PLOT_BOTTOM, abs=0.11)
        assert charts.LEFT <= bar["x"] and bar["x"] + bar["width"] <= charts.WIDTH - charts.RIGHT
    ten, five = bars[("screened", "2026-01")], bars[("screened", "2026-02")]
    assert ten["height"] == pytest.approx(2 * five["height"], abs=0.2)
    assert bars[("screened", "2026-03")]["height"] == 0
    assert bars[("screened", "2026-01")]["x"] < bars[("enrolled", "2026-01")]["x"]  # screened left, enrolled right
    assert ten["label"] == "2026-01: 10 screened"
    assert chart["rotate"] is False and [label["text"] for label in chart["labels"]] == ["2026-01", "2026-02", "2026-03"]


def test_month_labels_thin_out_and_rotate_on_long_trials():
    chart = charts.monthly_chart(months(*[(1, 0)] * 24))
    assert chart["rotate"] is True
    assert 1 < len(chart["labels"]) < 24


def test_the_cumulative_line_reaches_each_months_total_and_marks_the_stage_targets():
    rows = months((3, 2), (3, 3))
    chart = charts.cumulative_chart(rows)
    y, _ = charts.y_axis(trial_design.TOTAL_SIZE, PLOT_BOTTOM - PLOT_TOP)
    assert [dot["y"] for dot in chart["dots"]] == [round(y(2), 1), round(y(5), 1)]
    assert chart["line"].split()[0] == f"{charts.LEFT},{float(PLOT_BOTTOM)}"
    targets = {target["label"]: target["y"] for target in chart["targets"]}
    assert targets == {f"Stage 1: {trial_design.STAGE_1_SIZE}": round(y(trial_design.STAGE_1_SIZE), 1),
                       f"Total: {trial_design.TOTAL_SIZE}": round(y(trial_design.TOTAL_SIZE), 1)}
    assert chart["reached"] == 5


def test_failure_bars_split_closed_and_open_in_proportion_to_the_largest():
    chart = charts.failure_chart([FailureReason("platelets", "Platelets", 4, 2), FailureReason("anc", "ANC", 1, 0)])
    first, second = chart["rows"]
    assert first["closed_width"] == pytest.approx(2 * first["open_width"], abs=0.2)
    assert first["open_x"] == pytest.approx(first["x"] + first["closed_width"], abs=0.11)
    assert second["closed_width"] == pytest.approx(first["closed_width"] / 4, abs=0.2)
    assert second["bar_y"] - first["bar_y"] == 36 and chart["height"] == 6 + 2 * 36 + 6


def test_the_tally_draws_one_cell_per_planned_slot_and_the_needed_line_after_the_needed_cell():
    stage = StageDecision(name="Stage 1", planned=12, more_than=6, enrolled=9, evaluated=5, responders=3,
                          decision=trial_design.POSSIBLE)
    tally = charts.tally(stage)
    kinds = [cell["kind"] for cell in tally["cells"]]
    assert kinds == ["responder"] * 3 + ["awaiting"] * 4 + ["open"] * 3 + ["non_responder"] * 2
    assert len(kinds) == stage.planned and tally["width"] == 12 * 23
    assert tally["cells"][stage.needed]["x"] > tally["needed_x"] > tally["cells"][stage.needed - 1]["x"]
    assert tally["needed_anchor"] == "end"


def test_month_labels_and_cumulative_dots_sit_in_the_middle_of_their_months_bars():
    rows = months((10, 4), (5, 0), (3, 1))
    monthly, cumulative = charts.monthly_chart(rows), charts.cumulative_chart(rows)
    screened = [bar for bar in monthly["bars"] if bar["kind"] == "screened"]
    enrolled = [bar for bar in monthly["bars"] if bar["kind"] == "enrolled"]
    middles = [(left["x"] + right["x"] + right["width"]) / 2 for left, right in zip(screened, enrolled)]
    assert [label["x"] for label in monthly["labels"]] == pytest.approx(middles, abs=0.11)
    assert [dot["x"] for dot in cumulative["dots"]] == pytest.approx(middles, abs=0.11)
    assert [label["x"] for label in cumulative["labels"]] == pytest.approx(middles, abs=0.11)


def test_the_months_fill_the_plot_frame_exactly():
    rows = months((1, 0), (2, 1), (3, 1), (4, 2))
    frame, labels = charts.frame(), charts.monthly_chart(rows)["labels"]
    band = labels[1]["x"] - labels[0]["x"]
    assert labels[0]["x"] - band / 2 == pytest.approx(frame["left"], abs=0.11)
    assert labels[-1]["x"] + band / 2 == pytest.approx(frame["right"], abs=0.11)
    assert frame["bottom"] == PLOT_BOTTOM


def test_a_short_trials_bars_keep_a_bar_width_not_the_months_width():
    (screened, enrolled) = charts.monthly_chart(months((4, 2)))["bars"]
    assert screened["width"] == enrolled["width"] == 26  # one month is 580 units wide: bars stay bars


@pytest.mark.parametrize("count, rotate", [(6, False), (7, True)])
def test_month_labels_rotate_from_the_seventh_month(count, rotate):
    assert charts.monthly_chart(months(*[(1, 0)] * count))["rotate"] is rotate
    assert charts.cumulative_chart(months(*[(1, 0)] * count))["rotate"] is rotate


def test_the_cumulative_area_closes_on_the_baseline_below_the_last_dot():
    chart = charts.cumulative_chart(months((3, 2), (3, 3)))
    points = chart["area"].split()
    assert points[: len(chart["line"].split())] == chart["line"].split()
    assert points[-1] == f"{chart['dots'][-1]['x']},{float(PLOT_BOTTOM)}"


def test_failure_labels_sit_above_their_bar_and_the_count_right_of_both_parts():
    chart = charts.failure_chart([FailureReason("platelets", "Platelets", 4, 2), FailureReason("anc", "ANC", 1, 3)])
    for row in chart["rows"]:
        assert row["text_y"] < row["bar_y"] < row["value_y"]
        assert row["value_x"] > row["open_x"] + row["open_width"] > row["x"] + row["closed_width"] - 0.11


@pytest.mark.parametrize("more_than, anchor", [(5, "start"), (6, "end")])
def test_the_needed_label_turns_to_the_left_only_past_the_middle(more_than, anchor):
    stage = StageDecision(name="Stage 1", planned=12, more_than=more_than, enrolled=0, evaluated=0, responders=0,
                          decision=trial_design.POSSIBLE)
    assert stage.needed == more_than + 1
    assert charts.tally(stage)["needed_anchor"] == anchor
