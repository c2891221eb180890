"""Words in the reader's language. Verdicts: ``{{ row|criterion_label }}``, ``{{ row|criterion_detail }}``,
``{{ row|criterion_notes }}`` and ``{{ outcome|outcome_word }}``.

``row`` is a stored evaluation's criterion (a dict from ``Evaluation.criteria``) or the
engine's ``CriterionResult`` (the live preview); both render through ``screening.verdicts``.
"""

from django import template

from screening import verdicts, vocabulary

register = template.Library()


@register.filter
def criterion_label(row):
    return verdicts.label(row)


@register.filter
def criterion_detail(row):
    return verdicts.detail(row)


@register.filter
def criterion_notes(row):
    return verdicts.notes(row)


@register.filter
def outcome_word(outcome):
    return verdicts.outcome_word(outcome)


@register.filter
def audit_action(action):
    """An audit trail action code ("changed", "sign", "export") as a word."""
    word = vocabulary.AUDIT_ACTION.get(action)
    return str(word) if word is not None else action
