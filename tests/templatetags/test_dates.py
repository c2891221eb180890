"""Dates as every page shows them (screening/templatetags/dates.py): ISO, site time, never broken across lines."""

from datetime import date, datetime, timezone

import pytest
from django.template import Context, Template

from screening.templatetags.dates import iso, iso_dates


def render(text, **context):
    return Template("{% load dates %}" + text).render(Context(context))


def test_a_date_and_a_time_are_iso_in_site_time_inside_one_unbreakable_span():
    moment = datetime(2026, 3, 10, 1, 0, 5, tzinfo=timezone.utc)  # 09:00:05 in Asia/Shanghai
    assert render("{{ day|iso }}", day=date(2026, 3, 2)) == '<span class="iso-date">2026-03-02</span>'
    assert render('{{ at|iso:"minutes" }}', at=moment) == '<span class="iso-date">2026-03-10 09:00</span>'
    assert render('{{ at|iso:"seconds" }}', at=moment) == '<span class="iso-date">2026-03-10 09:00:05</span>'
    assert render('{{ day|iso|default:"—" }}', day=None) == "—" and iso("") == ""


@pytest.mark.parametrize("text, shown", [
    ("collected 2026-02-27", 'collected <span class="iso-date">2026-02-27</span>'),
    ("valid until 2026-03-11 10:30 +08:00.", 'valid until <span class="iso-date">2026-03-11 10:30 +08:00</span>.'),
    ("2026-03-10T09:00:00+08:00", '<span class="iso-date">2026-03-10T09:00:00+08:00</span>'),
    ("AST 48 → 52 U/L", "AST 48 → 52 U/L"),
    ("<b>2026-03-02</b>", '&lt;b&gt;<span class="iso-date">2026-03-02</span>&lt;/b&gt;'),  # escaped first
])
def test_dates_in_a_sentence_are_kept_whole_and_the_words_unchanged(text, shown):
    assert iso_dates(text) == shown
