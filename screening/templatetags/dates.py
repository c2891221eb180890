"""Dates and times as every page shows them: ISO (2026-03-02, 2026-03-02 09:00) in the site's time zone, in one
``<span class="iso-date">`` that never breaks across lines (a date wrapped at its hyphen reads as two)."""

import re

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

register = template.Library()

FORMATS = {"": "Y-m-d", "minutes": "Y-m-d H:i", "seconds": "Y-m-d H:i:s"}


@register.filter(expects_localtime=True)
def iso(value, precision=""):
    """``{{ day|iso }}``, ``{{ moment|iso:"minutes" }}``, ``{{ moment|iso:"seconds" }}``; "" for no value."""
    text = date_filter(value, FORMATS[precision])
    return format_html('<span class="iso-date">{}</span>', text) if text else ""


# An ISO date, with its time and UTC offset when given, inside a sentence ("collected 2026-03-08 10:30 +08:00").
ISO_IN_TEXT = re.compile(r"\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2})?)?(?: ?(?:[+-]\d{2}:\d{2}|Z))?")


@register.filter
def iso_dates(text):
    """``text`` (escaped) with each ISO date in it kept on one line, as ``iso`` shows a date: for sentences made
    elsewhere (the engine's details and notes, the input changes), whose words are not changed."""
    return mark_safe(ISO_IN_TEXT.sub(lambda match: f'<span class="iso-date">{match[0]}</span>',  # nosec B703
                                     str(conditional_escape(text))))
