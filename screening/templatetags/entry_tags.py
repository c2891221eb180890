"""Template helpers of the candidate form's verdict banner and lab panel."""

from django import template

from screening import entry_conditions
from screening.eligibility import UNIT_LABELS

register = template.Library()

DECIDING_STATUS = {"ineligible": "fail", "incomplete": "missing"}


def _value(item, name):
    return item[name] if isinstance(item, dict) else getattr(item, name)


@register.filter
def first_reason(evaluation):
    """The first criterion row behind the outcome (the first failing one of an ineligible candidate, the first
    missing one of an incomplete one), whose detail is the engine's sentence with the numbers; None if eligible."""
    status = DECIDING_STATUS.get(str(getattr(evaluation.outcome, "value", evaluation.outcome)))
    for row in evaluation.criteria if status else ():
        if str(getattr(_value(row, "status"), "value", _value(row, "status"))) == status:
            return row
    return None


@register.filter
def get_item(mapping, key):
    return (mapping or {}).get(key)


@register.filter
def unit_label(unit):
    """A unit as the lab report writes it (``umol/L`` -> ``µmol/L``); blank for no unit."""
    return UNIT_LABELS.get(unit, unit) if unit else ""


@register.simple_tag
def applies_when(field):
    """``data-applies`` attributes for the element around ``field`` (a bound field), "" when it always applies."""
    condition = entry_conditions.CONDITIONS.get(field.name)
    if condition is None:
        return ""
    prefix = f"{field.form.prefix}-" if field.form.prefix else ""
    return entry_conditions.attributes(condition, field.form, [field], prefix)


@register.simple_tag
def not_applicable_note(field):
    condition = entry_conditions.CONDITIONS.get(field.name)
    return entry_conditions.note(condition, field.form, [field]) if condition else ""


@register.simple_tag
def pregnancy_tests_apply(entry, formset):
    """The pregnancy-test formset's attributes and its "does not apply" mark (``attrs``, ``note``)."""
    fields = [field for form in formset.forms for field in form]
    condition = entry_conditions.PREGNANCY_TESTS
    return {"attrs": entry_conditions.attributes(condition, entry.form, fields),
            "note": entry_conditions.note(condition, entry.form, fields)}


@register.simple_tag
def offered_row(entry, formset, form):
    """The blank pregnancy-test row: in sight once childbearing potential is Yes (or once something is typed)."""
    if formset.prefix != "pregnancy_tests" or entry is None or form.initial.get("id") or "__prefix__" in form.prefix:
        return ""
    return entry_conditions.attributes(entry_conditions.PREGNANCY_TEST_OFFERED, entry.form, list(form))
