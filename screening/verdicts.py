"""The engine's verdicts in the reader's language (the Django side of the engine's facts).

The engine (``screening.eligibility``) stays free of Django; here its criterion
labels, details and notes become text in the active language. A criterion row is
a stored evaluation's dict or the engine's ``CriterionResult``.
"""

import re

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from screening import vocabulary
from screening.eligibility import Fact, InvalidRecord, render_text
from screening.eligibility import render as render_fact


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
    return render_fact(fact, translate=_)


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


def notes(row):
    """The criterion's notes in the active language: the stored English ones (the engine's own rendering of
    the same facts) in English and for rows stored without facts."""
    note_facts = facts(row, "note_facts")
    if note_facts is None or get_language() == "en":
        return list(field(row, "notes", ()) or ())
    return [render(fact) for fact in note_facts]


def invalid(error):
    """An ``InvalidRecord``'s message (without its field) in the active language."""
    return "".join(render_text(template, values, translate=_) for template, values in error.parts)


def invalid_record(error):
    """``field: message`` of an ``InvalidRecord``, the message in the active language."""
    return f"{error.field}: {invalid(error)}"


# Values of lab import problems that are codes: shown as words.
PROBLEM_WORDS = {"role": vocabulary.LIS_COLUMN, "expected": vocabulary.SPECIMEN, "field": vocabulary.ENTRY_FIELD}


def problem(fact):
    """A lab import problem (``screening.labimport.problems``: template and values) in the active language."""
    template, values = fact
    words = {name: str(PROBLEM_WORDS[name].get(value, value)) if name in PROBLEM_WORDS
             else invalid(value) if isinstance(value, InvalidRecord) else value
             for name, value in values.items()}
    return _(template).format(**words)


LOCATOR = re.compile(r"(line|row) (\d+)")


def locator(text):
    """A lab import row's place in its file ("line 3", XLSX "row 3") in the reader's language; FHIR
    resource ids ("Observation/hb-1") as they are."""
    match = LOCATOR.fullmatch(text or "")
    if match is None:
        return text
    if match[1] == "line":
        return _("line %(number)s") % {"number": match[2]}
    return _("row %(number)s") % {"number": match[2]}


def outcome_word(outcome):
    """"eligible", "ineligible", "incomplete" (or "not evaluated") as a word in a sentence."""
    return str(vocabulary.term("outcome", outcome).word)


def state_word(state):
    """A screening attempt's state ("screening", "screen failure" …) as a word in a sentence."""
    return str(vocabulary.term("state", state).word)


def status_word(code):
    """A criterion status or an outcome code ("pass", "ineligible", "—") as a word."""
    kind = "criterion" if code in vocabulary.STATUSES["criterion"] else "outcome"
    return str(vocabulary.term(kind, code).word) if code else "—"

