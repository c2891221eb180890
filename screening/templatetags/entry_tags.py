"""Template helpers of the candidate form's verdict banner and lab panel."""

from django import template

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
