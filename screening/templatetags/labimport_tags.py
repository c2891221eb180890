"""``{% imported_mark candidate criterion_id %}``: the "imported" mark of a checklist row."""

from django import template

from screening.selectors.labimport import imported_marks

register = template.Library()


@register.inclusion_tag("screening/labimport/_imported_mark.html")
def imported_mark(candidate, criterion_id):
    if candidate is None or getattr(candidate, "pk", None) is None:
        return {"marks": []}
    if not hasattr(candidate, "_imported_marks"):
        candidate._imported_marks = imported_marks(candidate)  # one query per page, not per row
    return {"marks": candidate._imported_marks.get(criterion_id, [])}
