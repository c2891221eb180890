"""Geometry of the dashboard's SVG charts, in user units of a 640 × 260 view box (pure: no Django, no database).

Each function takes the selectors' rows and returns the numbers the templates in
``templates/screening/dashboard/`` draw: bars, dots, ticks, labels. Values are rounded to 0.1.
"""

import math

from screening import trial_design

WIDTH, HEIGHT = 640, 260
# The charts' words (English here; the view passes them in the reader's language).
BAR_WORDS = {"screened": "{month}: {count} screened", "enrolled": "{month}: {count} enrolled"}
TARGET_WORDS = {"stage_1": "Stage 1: {count}", "total": "Total: {count}"}
LEFT, RIGHT, TOP, BOTTOM = 44, 16, 18, 46


def nice_step(maximum, ticks=4):
    """A round tick step (1, 2, 5, 10, 20, 50, …) giving about ``ticks`` intervals up to ``maximum``."""
    raw = max(maximum, 1) / ticks
    magnitude = 10 ** math.floor(math.log10(raw)) if raw >= 1 else 1
    for factor in (1, 2, 5, 10):
        if factor * magnitude >= raw:
            return factor * magnitude
    return 10 * magnitude


def y_axis(maximum, plot_height):
    step = nice_step(maximum)
    upper = max(step, math.ceil(maximum / step) * step)

    def y(value):
        return TOP + plot_height - value / upper * plot_height

    return y, [{"value": value, "y": round(y(value), 1)} for value in range(0, upper + 1, step)]


def month_labels(months, band):
    every = max(1, math.ceil(len(months) * 52 / (WIDTH - LEFT - RIGHT)))  # ~52 px per label
    return [
        {"x": round(LEFT + band * (index + 0.5), 1), "text": row.label}
        for index, row in enumerate(months)
        if index % every == 0
    ]


def monthly_chart(months, words=BAR_WORDS):
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    band = plot_width / max(len(months), 1)
    bar = min(band * 0.38, 26)
    y, ticks = y_axis(max([row.screened for row in months] + [1]), plot_height)
    bars = []
    for index, row in enumerate(months):
        middle = LEFT + band * (index + 0.5)
        for kind, value, x in (("screened", row.screened, middle - bar - 1), ("enrolled", row.enrolled, middle + 1)):
            top = y(value)
            bars.append({
                "kind": kind, "value": value, "x": round(x, 1), "y": round(top, 1), "width": round(bar, 1),
                "height": round(TOP + plot_height - top, 1), "label": words[kind].format(month=row.label, count=value),
            })
    return {"bars": bars, "ticks": ticks, "labels": month_labels(months, band), "rotate": len(months) > 6}


def cumulative_chart(months, words=TARGET_WORDS):
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    band = plot_width / max(len(months), 1)
    reached = months[-1].cumulative_enrolled if months else 0
    y, ticks = y_axis(max(trial_design.TOTAL_SIZE, reached), plot_height)
    dots = [
        {"x": round(LEFT + band * (index + 0.5), 1), "y": round(y(row.cumulative_enrolled), 1), "row": row}
        for index, row in enumerate(months)
    ]
    line = [(LEFT, round(y(0), 1))] + [(dot["x"], dot["y"]) for dot in dots]
    baseline = round(y(0), 1)
    return {
        "dots": dots,
        "line": " ".join(f"{x},{y_value}" for x, y_value in line),
        "area": " ".join(f"{x},{y_value}" for x, y_value in line) + f" {line[-1][0]},{baseline}",
        "ticks": ticks,
        "targets": [
            {"y": round(y(trial_design.STAGE_1_SIZE), 1), "label": words["stage_1"].format(count=trial_design.STAGE_1_SIZE)},
            {"y": round(y(trial_design.TOTAL_SIZE), 1), "label": words["total"].format(count=trial_design.TOTAL_SIZE)},
        ],
        "labels": month_labels(months, band),
        "rotate": len(months) > 6,
        "reached": reached,
    }


def failure_chart(reasons):
    """Horizontal bars, the criterion's label above its bar: closed screen failures, then open ineligible."""
    left, row_height = 4, 36
    plot_width = WIDTH - left - 48
    maximum = max([reason.total for reason in reasons] + [1])
    rows = []
    for index, reason in enumerate(reasons):
        top = 6 + index * row_height
        closed = reason.screen_failures / maximum * plot_width
        still_open = reason.open_ineligible / maximum * plot_width
        rows.append({
            "reason": reason, "x": left, "text_y": top + 11, "bar_y": top + 16,
            "closed_width": round(closed, 1), "open_x": round(left + closed, 1), "open_width": round(still_open, 1),
            "value_x": round(left + closed + still_open + 6, 1), "value_y": top + 30,
        })
    return {"rows": rows, "height": 6 + len(reasons) * row_height + 6}


def tally(stage):
    """The stage's planned slots as cells: responders, then pending, then non-responders; a line at 'needed'."""
    cell, gap = 20, 3
    kinds = (
        ["responder"] * stage.responders
        + ["awaiting"] * stage.awaiting_assessment
        + ["open"] * stage.open_slots
        + ["non_responder"] * stage.non_responders
    )
    cells = [{"x": index * (cell + gap), "kind": kind} for index, kind in enumerate(kinds)]
    needed_x = stage.needed * (cell + gap) - gap / 2 - 0.5
    return {
        "cells": cells, "cell": cell, "width": stage.planned * (cell + gap), "needed_x": round(needed_x, 1),
        "needed_anchor": "end" if stage.needed > stage.planned / 2 else "start",
    }


def frame():
    """The plot area the chart templates draw their axes in."""
    return {"width": WIDTH, "height": HEIGHT, "left": LEFT, "right": WIDTH - RIGHT, "bottom": HEIGHT - BOTTOM}
