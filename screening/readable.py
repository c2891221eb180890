"""How stored values read to people, in the audit trail and the evaluation diff: field labels from the
models' verbose names, codes through the models' choices (else the engine's vocabulary words: tests,
units, lesion kinds, specimens), numbers without trailing zeros, ISO dates and local times."""

import datetime
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from screening.eligibility import TERMS
from screening.model_base import plain_decimal


def field_label(model, name):
    """"Weight (kg)": the model field's verbose name, first letter capital."""
    return str(capfirst(model._meta.get_field(name).verbose_name))


def code_label(value, field=None):
    """A code as a word: the field's choice label, else the engine's term for it, else the code itself."""
    if value is None or value == "":
        return ""
    label = dict(field.flatchoices).get(value, value) if field is not None and field.choices else value
    if str(label) == str(value) and value in TERMS:
        return _(TERMS[value])
    return str(label)


def number(value):
    """A JSON or database number as an exact Decimal, or None when ``value`` is not a number."""
    if value is None or isinstance(value, bool):
        return None
    try:
        return plain_decimal(Decimal(str(value)))
    except (InvalidOperation, ValueError):
        return None


def shown(value):
    """A value as people read it: ISO dates, local times, plain decimals, yes/no, "" for empty."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, Decimal):
        return str(plain_decimal(value))
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)
