"""``{% status_word kind code [form] %}``: a status as its icon and word, from ``screening.vocabulary``;
``row|criterion_notes``: a criterion's notes with the icon of their kind.

Forms: ``"word"`` (default) ``<span class="signoff-status signoff-<kind>-<code>">`` with the word;
``"label"`` ``<span class="status status-<code>">`` with the label (the checklist's status column);
``"bare"`` the icon and the label without a wrapper (inside a banner, a badge or a table cell); ``"icon"`` the
icon alone (beside a sentence that says the status, as the sign-off panel's).
"""

import functools

from django import template
from django.utils.html import format_html
from django.utils.translation import get_language

from screening import verdicts, vocabulary
from screening.eligibility import note_kind

register = template.Library()

MARKUP = {
    "word": '<span class="signoff-status signoff-{kind}-{code}"><i class="bi {icon}" aria-hidden="true"></i> {text}</span>',
    "label": '<span class="status status-{code}"><i class="bi {icon}" aria-hidden="true"></i> {text}</span>',
    "bare": '<i class="bi {icon}" aria-hidden="true"></i> {text}',
    "icon": '<i class="bi {icon}" aria-hidden="true"></i>',
}


@register.simple_tag
def status_word(kind, code, form="word"):
    """The status's markup in the active language (cached: the log and the checklist show many)."""
    return _markup(kind, getattr(code, "value", code), form, get_language())


@functools.lru_cache(maxsize=512)
def _markup(kind, code, form, language):
    entry = vocabulary.term(kind, code)
    text = entry.word if form == "word" else entry.label
    return format_html(MARKUP[form], kind=kind, code=code, icon=entry.icon, text=text)


@register.filter
def criterion_notes(row):
    """[(icon, text)] of a criterion row (a stored evaluation's dict or the engine's ``CriterionResult``),
    the text in the reader's language (``verdicts.notes``), the icon chosen by the engine's kind of each
    note's fact (``eligibility.note_kind``)."""
    texts = verdicts.notes(row)
    if isinstance(row, dict):
        codes = [fact["code"] for fact in row.get("note_facts") or ()]
    else:
        codes = [fact.code for fact in row.note_facts]
    codes += [None] * (len(texts) - len(codes))  # evaluations stored before notes carried facts
    return [(vocabulary.NOTE_ICONS[note_kind(code)], text) for text, code in zip(texts, codes)]
