"""Form fields that read what a coordinator typed exactly as typed (issue 13).

Numbers, dates and date-times are plain text inputs, so the browser never drops a character (``1O5`` in a
number input used to arrive as ``15``) nor blocks the live preview with its own validation. The server reads
them strictly: a number is digits with an optional decimal point, a date is ``2026-03-02`` or, with fewer
keystrokes, ISO 8601's basic format ``20260302`` (exactly eight digits), or, as Chinese coordinators also write
it, ``2026/03/02`` and ``2026年3月2日`` (year first, never ambiguous; issue 14); a date and time is
``2026-03-10 09:00`` or ``20260310 0900`` (``T`` or a space between; basic or extended, not mixed). Anything
else is an error naming what to type instead, never a guess. The basic forms are shown back in the extended
form as soon as the field is left (``data-iso-basic``: the pattern and its rewrite, defined here only).
Ranges, plausibility and whole-number rules are the engine's (``screening.eligibility``), checked after these
fields.
"""

import re
from datetime import date, datetime
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext

NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
COMMA_DECIMAL = re.compile(r"-?[0-9]+,[0-9]+")
FULL_WIDTH = re.compile(r"[\uff0c-\uff19\u3002]")  # ，－．／０-９ and the ideographic full stop
BASIC_DATE = re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})")
DATES = (re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})"), BASIC_DATE,
         re.compile(r"([0-9]{4})/([0-9]{1,2})/([0-9]{1,2})"), re.compile(r"([0-9]{4})年([0-9]{1,2})月([0-9]{1,2})日"))
DATETIME = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})[ T]([0-9]{2}):([0-9]{2})")
BASIC_DATETIME = re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})[ T]([0-9]{2})([0-9]{2})")
# How the page shows a basic-format entry once the field is left: the same digits, punctuated (the server
# still reads and checks it; a JavaScript RegExp of the same pattern).
SHOWN_DATE = "$1-$2-$3"
SHOWN_DATETIME = "$1-$2-$3 $4:$5"


def _shown_as(pattern, rewrite):
    return {"data-iso-basic": f"^{pattern.pattern}$", "data-iso-shown": rewrite}


def number_error(text):
    """Why ``text`` is not a number as the form reads numbers, and what to type instead."""
    if COMMA_DECIMAL.fullmatch(text):
        return gettext("“%(text)s”: use a decimal point, e.g. %(example)s (a comma is not read as a decimal mark)") % {
            "text": text, "example": text.replace(",", ".")}
    if FULL_WIDTH.search(text):
        return gettext("“%(text)s”: type half-width digits 0–9 and “.” (the input method is in full-width mode)") % {
            "text": text}
    return gettext("“%(text)s” is not a number: use the digits 0–9 and one decimal point, e.g. 11.2") % {"text": text}


class NumberField(forms.Field):
    """A decimal number typed as text: ``11.2``; ``11,2``, ``1O5``, ``1e2`` and ``.5`` are errors.

    The sign is read too (``-3``) so that the engine refuses a negative value with its own words.
    """

    def __init__(self, *, whole=False, **kwargs):
        kwargs.setdefault("required", False)
        attrs = {"inputmode": "numeric" if whole else "decimal", "autocomplete": "off", "spellcheck": "false"}
        super().__init__(widget=forms.TextInput(attrs=attrs), **kwargs)

    def to_python(self, value):
        text = (value or "").strip()
        if not text:
            return None
        if not NUMBER.fullmatch(text):
            raise ValidationError(number_error(text), code="invalid")
        return Decimal(text)


class DateField(forms.DateField):
    """A date typed (or pasted) in one text field as ``2026-03-02`` or ``20260302``."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        attrs = {"placeholder": "YYYY-MM-DD", "autocomplete": "off", "spellcheck": "false", "data-date": "",
                 **_shown_as(BASIC_DATE, SHOWN_DATE)}
        super().__init__(widget=forms.DateInput(attrs=attrs, format="%Y-%m-%d"), **kwargs)

    def to_python(self, value):
        if isinstance(value, date):
            return value
        text = (value or "").strip()
        if not text:
            return None
        match = next((match for match in (pattern.fullmatch(text) for pattern in DATES) if match), None)
        if match is None:
            raise ValidationError(gettext("“%(text)s” is not a complete date: type it as YYYY-MM-DD or YYYYMMDD, "
                                          "e.g. 2026-03-02") % {"text": text}, code="invalid")
        try:
            return date(*map(int, match.groups()))
        except ValueError:
            raise ValidationError(gettext("“%(text)s” is not a calendar date") % {"text": text},
                                  code="invalid") from None


class DateTimeField(forms.DateTimeField):
    """A wall-clock time in the site's time zone (Asia/Shanghai) typed as ``2026-03-10 09:00`` (or ``T`` for the
    space) or ``20260310 0900``; made aware."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        attrs = {"placeholder": "YYYY-MM-DD HH:MM", "autocomplete": "off", "spellcheck": "false",
                 **_shown_as(BASIC_DATETIME, SHOWN_DATETIME)}
        super().__init__(widget=forms.DateTimeInput(attrs=attrs, format="%Y-%m-%d %H:%M"), **kwargs)

    def to_python(self, value):
        if isinstance(value, datetime):
            return value
        text = (value or "").strip()
        if not text:
            return None
        match = DATETIME.fullmatch(text) or BASIC_DATETIME.fullmatch(text)
        problem = gettext("“%(text)s” is not a complete date and time: type it as YYYY-MM-DD HH:MM or "
                          "YYYYMMDD HHMM, e.g. 2026-03-10 09:00 (24-hour clock)") % {"text": text}
        if not match:
            raise ValidationError(problem, code="invalid")
        try:
            naive = datetime(*map(int, match.groups()))
        except ValueError:
            raise ValidationError(problem, code="invalid") from None
        return timezone.make_aware(naive)
