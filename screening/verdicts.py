"""The engine's verdicts in the reader's language (the Django side of the engine's facts).

The engine (``screening.eligibility``) stays free of Django; here its criterion
labels, details and notes become text in the active language. A criterion row is
a stored evaluation's dict or the engine's ``CriterionResult``.
"""

from django.utils.translation import gettext as _

from screening import vocabulary


def field(row, name, default=None):
    if isinstance(row, dict):
        return row.get(name, default)
    return getattr(row, name, default)


def label(row):
    """The criterion's label: from the protocol's parameters, in the active language."""
    known = vocabulary.CRITERION.get(field(row, "id"))
    return str(known) if known is not None else field(row, "label", "")


def detail(row):
    return field(row, "detail", "")


def notes(row):
    """[{"text", "expiry"}]: ``expiry`` marks a note about how long a value stays valid."""
    return [{"text": note, "expiry": "valid until" in note} for note in field(row, "notes", ()) or ()]


def outcome_word(outcome):
    """"eligible", "ineligible", "incomplete" (or "not evaluated") as a word in a sentence."""
    word = vocabulary.OUTCOME_WORD.get(str(outcome))
    return str(word) if word is not None else _("not evaluated")


def status_word(code):
    """A criterion status or an outcome code ("pass", "ineligible", "—") as a word."""
    word = vocabulary.STATUS_WORD.get(code) or vocabulary.OUTCOME_WORD.get(code)
    return str(word) if word is not None else code


def status_label(code):
    """A criterion status as the checklist's column word ("Pass", "Fail", …)."""
    word = vocabulary.STATUS.get(code)
    return str(word) if word is not None else code
