"""Flags, reference ranges, dates and pregnancy words, each parser on its own."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from screening.labimport.values import Rejected, collected_at, flagged_value, pregnancy_result, reference_range

pytestmark = pytest.mark.requirement("URS-LAB-002")

SITE = "Asia/Shanghai"
SHANGHAI = ZoneInfo(SITE)


@pytest.mark.parametrize(("text", "number", "flag"), [
    ("45↑", "45", "H"), ("↓1.2", "1.2", "L"), ("45 H", "45", "H"), ("1.2 L", "1.2", "L"),
    ("45", "45", None), ("1.50", "1.50", None), (" 7.0 ", "7.0", None), ("↑45", "45", "H"), ("1.2↓", "1.2", "L"),
    ("４５↑", "45", "H"), ("0", "0", None),
])
def test_flagged_values(text, number, flag):
    value, found = flagged_value(text)
    assert str(value) == number  # exact: 1.50 stays 1.50
    assert found == flag


@pytest.mark.parametrize("text", ["<0.5", ">1000", "1,5", "1.2.3", "abc", "", "-3", "45↑↓", "↑45 H", "1e3",
                                  "45 HH", "=1+1", "阴性"])
def test_values_that_are_not_exact_numbers_are_refused(text):
    with pytest.raises(Rejected, match="value"):
        flagged_value(text)


@pytest.mark.parametrize(("text", "low", "high"), [
    ("3.5-9.5", "3.5", "9.5"), ("3.5～9.5", "3.5", "9.5"), ("3.5~9.5", "3.5", "9.5"), ("0-40", "0", "40"),
    ("57～111", "57", "111"), ("3.5 - 9.5", "3.5", "9.5"), ("3.5–9.5", "3.5", "9.5"),
    ("<40", None, "40"), ("≤40", None, "40"), ("<=40", None, "40"), ("< 40", None, "40"), ("＜40", None, "40"),
])
def test_reference_range_forms(text, low, high):
    parsed = reference_range(text)
    assert parsed.low == (None if low is None else Decimal(low))
    assert str(parsed.high) == high
    assert parsed.unit is None


def test_reference_range_with_a_unit_keeps_the_unit():
    parsed = reference_range("11-16 g/dL")
    assert (parsed.high, parsed.unit) == (Decimal(16), "g/dL")


def test_blank_reference_range_is_none():
    assert reference_range("") is None and reference_range("  ") is None


@pytest.mark.parametrize("text", [">5", "男 0-40; 女 0-35", "9.5-3.5", "阴性", "40", "abc-def"])
def test_reference_ranges_not_understood_are_refused(text):
    with pytest.raises(Rejected, match="reference range"):
        reference_range(text)


@pytest.mark.parametrize(("text", "result"), [
    ("阴性", "negative"), ("negative", "negative"), ("Negative", "negative"), ("-", "negative"),
    ("阳性", "positive"), ("positive", "positive"), ("+", "positive"), ("POSITIVE", "positive"),
])
def test_pregnancy_words(text, result):
    assert pregnancy_result(text) == result


@pytest.mark.parametrize("text", ["弱阳性", "2.1", "", "?", "+-"])
def test_other_pregnancy_results_are_refused(text):
    with pytest.raises(Rejected, match="pregnancy result"):
        pregnancy_result(text)


@pytest.mark.parametrize(("value", "day", "instant"), [
    ("2026-03-01 08:30", date(2026, 3, 1), datetime(2026, 3, 1, 8, 30, tzinfo=SHANGHAI)),
    ("2026/03/01 08:30:00", date(2026, 3, 1), datetime(2026, 3, 1, 8, 30, tzinfo=SHANGHAI)),
    ("2026-03-01", date(2026, 3, 1), None),
    ("2026-03-01T08:30:00+08:00", date(2026, 3, 1), datetime(2026, 3, 1, 8, 30, tzinfo=SHANGHAI)),
    # an instant with another offset: the date is the site's (Hangzhou) calendar date
    ("2026-02-28T23:30:00Z", date(2026, 3, 1), datetime(2026, 3, 1, 7, 30, tzinfo=SHANGHAI)),
    (datetime(2026, 3, 1, 8, 30), date(2026, 3, 1), datetime(2026, 3, 1, 8, 30, tzinfo=SHANGHAI)),  # Excel cell
    (date(2026, 3, 1), date(2026, 3, 1), None),
])
def test_collection_times(value, day, instant):
    found_day, found_instant = collected_at(value, SITE)
    assert found_day == day
    assert found_instant == instant


@pytest.mark.parametrize("value", ["2026-02-30", "01/03/2026", "2026年3月1日", "yesterday", "2026-03-01 25:00",
                                   Decimal("46082"), "2026-03"])
def test_dates_not_understood_are_refused(value):
    with pytest.raises(Rejected, match="collection time"):
        collected_at(value, SITE)
