"""Every status the application shows, defined once: code → label, word, icon and printed word.

- ``label``: the capitalised name (checklist column, filters, form and model choices): "Pass", "Screen failure";
- ``word``: the short form in sentences, badges and tables: "pass", "screen failure";
- ``icon``: the Bootstrap icon shown beside it (a status is always an icon and a word, never colour alone);
- ``printed``: the word on paper (the PDF checklist); the label unless given;
- ``choice``: the label in a form's or model's choices, when it says more than the label.

Kinds: ``criterion`` (a criterion's status), ``outcome`` (an evaluation's), ``signoff`` (``selectors.signoff``),
``state`` (a screening attempt's, ``Candidate.State``) and ``dfs`` (6-month disease-free survival,
``EndpointAssessment.Dfs``). Templates show them with ``{% status_word kind code %}`` (``status_tags``); the
PDF, the filters, the exports' data dictionary and the model choices read them here. The codes never change
(exports and the interchange format keep them); labels and words are translatable.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


@dataclass(frozen=True)
class Term:
    label: str | Promise
    word: str | Promise
    icon: str
    printed: str | Promise = ""
    choice: str | Promise = ""

    @property
    def on_paper(self):
        return self.printed or self.label

    @property
    def choice_label(self):
        return self.choice or self.label


STATUSES = {
    "criterion": {
        "pass": Term(pgettext_lazy("criterion status", "Pass"), pgettext_lazy("criterion status word", "pass"),
                     "bi-check-circle-fill"),
        "fail": Term(pgettext_lazy("criterion status", "Fail"), pgettext_lazy("criterion status word", "fail"),
                     "bi-x-octagon-fill"),
        "missing": Term(pgettext_lazy("criterion status", "Missing"),
                        pgettext_lazy("criterion status word", "missing"), "bi-question-circle-fill"),
        "not_applicable": Term(pgettext_lazy("criterion status", "Not applicable"),
                               pgettext_lazy("criterion status word", "not applicable"), "bi-dash-circle"),
    },
    "outcome": {
        "eligible": Term(_("Eligible"), pgettext_lazy("outcome word", "eligible"), "bi-check-circle-fill",
                         pgettext_lazy("outcome printed", "ELIGIBLE")),
        "ineligible": Term(_("Ineligible"), pgettext_lazy("outcome word", "ineligible"), "bi-x-octagon-fill",
                           pgettext_lazy("outcome printed", "INELIGIBLE")),
        "incomplete": Term(_("Incomplete"), pgettext_lazy("outcome word", "incomplete"), "bi-hourglass-split",
                           pgettext_lazy("outcome printed", "INCOMPLETE")),
    },
    "signoff": {
        "unsigned": Term(_("Unsigned"), _("unsigned"), "bi-circle"),
        "signed": Term(_("Signed"), _("signed"), "bi-pen-fill"),
        "superseded": Term(_("Superseded"), _("superseded"), "bi-exclamation-triangle-fill"),
    },
    "state": {
        "screening": Term(_("Screening"), pgettext_lazy("state word", "screening"), "bi-hourglass-split"),
        "enrolled": Term(_("Enrolled"), pgettext_lazy("state word", "enrolled"), "bi-person-check-fill"),
        "screen_failure": Term(_("Screen failure"), pgettext_lazy("state word", "screen failure"),
                               "bi-x-circle-fill"),
        "declined": Term(_("Declined to participate"), pgettext_lazy("state word", "declined"), "bi-person-x-fill"),
        "not_enrolled": Term(_("Not enrolled (other reason)"),
                             pgettext_lazy("state word", "not enrolled (other reason)"), "bi-slash-circle"),
    },
    "dfs": {
        "yes": Term(_("Yes"), pgettext_lazy("dfs word", "yes"), "bi-check-circle-fill",
                    choice=_("Yes — reached 6-month DFS")),
        "no": Term(_("No"), pgettext_lazy("dfs word", "no"), "bi-x-circle-fill"),
        "not_evaluable": Term(_("Not yet evaluable"), pgettext_lazy("dfs word", "not yet evaluable"),
                              "bi-hourglass-split"),
    },
}
NOTE_ICONS = {"expiry": "bi-clock-history", "caution": "bi-exclamation-triangle-fill"}  # eligibility.note_kind
NOT_EVALUATED = Term(_("Not evaluated"), _("not evaluated"), "bi-dash-circle")  # an attempt with no evaluation


def term(kind, code):
    """The term of ``code`` (a string, or the engine's ``Status`` / ``Outcome``); an outcome of None reads
    "not evaluated", an unknown code as itself."""
    if code is None and kind == "outcome":
        return NOT_EVALUATED
    code = getattr(code, "value", code)
    known = STATUSES[kind].get(code)
    if known is not None:
        return known
    text = str(code or "—")
    return Term(text, text, "bi-circle")


def codes(kind):
    """The codes of a kind, in their order."""
    return tuple(STATUSES[kind])


def status_choices(kind):
    """[(code, label)]: form, filter and model choices."""
    return [(code, entry.choice_label) for code, entry in STATUSES[kind].items()]


def listing(kind, *, last="or"):
    """"eligible, ineligible or incomplete": the codes of a kind, for documentation (the data dictionary)."""
    *others, final = codes(kind)
    return f"{', '.join(others)} {last} {final}" if others else final
