"""``{% imported_mark candidate criterion_id %}``: the "imported" mark of a checklist row."""

from django import template
from django.template.loader import render_to_string

from screening.selectors.labimport import imported_marks

register = template.Library()


@register.simple_tag
def imported_mark(candidate, criterion_id):
    """The row's marks (``screening/labimport/_imported_mark.html``), or "" without any: most rows have none,
    so they cost no template render."""
    if candidate is None or getattr(candidate, "pk", None) is None:
        return ""
    if not hasattr(candidate, "_imported_marks"):
        candidate._imported_marks = imported_marks(candidate)  # one query per page, not per row
    marks = candidate._imported_marks.get(criterion_id)
    return render_to_string("screening/labimport/_imported_mark.html", {"marks": marks}) if marks else ""
