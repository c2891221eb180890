"""The engine's verdicts in the reader's language (the Django side of the engine's facts).

The engine (``screening.eligibility``) stays free of Django; here its criterion
labels, details and notes become text in the active language. A criterion row is
a stored evaluation's dict or the engine's ``CriterionResult``.
"""

from django.utils.translation import gettext as _

from screening import vocabulary
from screening.eligibility import messages
from screening.eligibility.facts import Fact


def field(row, name, default=None):
    if isinstance(row, dict):
        return row.get(name, default)
    return getattr(row, name, default)


def facts(row, name):
    """The row's facts (``facts``, ``note_facts`` or ``label_fact``) as ``Fact``s, or None when it has none
    (an evaluation stored before the engine returned facts)."""
    value = field(row, name)
    if not value:
        return None
    items = [value] if isinstance(value, (Fact, dict)) else value
    return [item if isinstance(item, Fact) else Fact.from_json(item) for item in items]


def render(fact):
    """One fact in the active language (the engine's English template and terms, through gettext)."""
    return messages.render(fact, translate=_)


def label(row):
    """The criterion's label, built from the protocol's parameters, in the active language."""
    label_facts = facts(row, "label_fact")
    if label_facts:
        return render(label_facts[0])
    known = vocabulary.CRITERION.get(field(row, "id"))  # stored before labels were facts
    return str(known) if known is not None else field(row, "label", "")


def detail(row):
    """What the criterion's detail says, in the active language; the stored English without facts."""
    detail_facts = facts(row, "facts")
    if detail_facts is None:
        return field(row, "detail", "")
    return "; ".join(map(render, detail_facts))


EXPIRY_CODES = {"pregnancy.valid_until", "pregnancy.counts_until"}


def notes(row):
    """[{"text", "expiry"}]: ``expiry`` marks a note about how long a value stays valid."""
    note_facts = facts(row, "note_facts")
    if note_facts is not None:
        return [{"text": render(fact), "expiry": fact.code in EXPIRY_CODES} for fact in note_facts]
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
