"""Words in the reader's language. Verdicts: ``{{ row|criterion_label }}``, ``{{ row|criterion_detail }}``,
``{{ outcome|outcome_word }}``.

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
def outcome_word(outcome):
    return verdicts.outcome_word(outcome)


@register.filter
def status_text(code):
    """A criterion status or outcome code ("pass", "ineligible", "—") as a word in a sentence."""
    return verdicts.status_word(code)


@register.filter
def audit_action(action):
    """An audit trail action code ("changed", "sign", "export") as a word."""
    word = vocabulary.AUDIT_ACTION.get(action)
    return str(word) if word is not None else action


@register.filter
def word(code, vocabulary_name):
    """A code as the word of ``vocabulary.<vocabulary_name>`` ("serum"|word:"SPECIMEN"); unknown codes as
    they are."""
    found = getattr(vocabulary, vocabulary_name).get(code)
    return str(found) if found is not None else code


@register.filter
def locator(text):
    return verdicts.locator(text)


@register.filter
def parameter_name(key):
    """A protocol setting or parameter key as a word."""
    from screening.selectors.protocols import parameter_name as name

    return name(key)


@register.filter
def rejection_reason(row):
    """Why a lab import row is rejected, in the reader's language."""
    return verdicts.problem(row.reason_fact) if row.reason_fact else row.reason


@register.filter
def invalid_record(error):
    """``field: message`` of the engine's refusal (``InvalidRecord``), in the reader's language."""
    return verdicts.invalid_record(error) if error is not None else ""
