"""The candidate list table (django-tables2: columns, sorting, pagination).

Rows are rendered by one template block (``screening/partials/candidate_table.html``)
rather than cell by cell: with 25 rows that keeps the page within 5x a trivial page.
"""

import django_tables2 as tables
from django.core.paginator import Paginator

from screening import criterion_ids

PER_PAGE = 25
MAX_PER_PAGE = 100
NUMBER = {"td": {"class": "text-end"}, "th": {"class": "text-end"}}


class BoundedPaginator(Paginator):
    """``?per_page=`` from the address bar, kept between 1 and MAX_PER_PAGE."""

    def __init__(self, object_list, per_page, *args, **kwargs):
        super().__init__(object_list, min(max(int(per_page), 1), MAX_PER_PAGE), *args, **kwargs)


class CandidateTable(tables.Table):
    screening_number = tables.Column(verbose_name="Screening number")
    initials = tables.Column()
    screening_date = tables.Column(verbose_name="Screening date")
    outcome = tables.Column(order_by=("latest_evaluation__outcome",), verbose_name="Outcome")
    failing_count = tables.Column(verbose_name="Failing", attrs=NUMBER)
    missing_count = tables.Column(verbose_name="Missing", attrs=NUMBER)
    updated_at = tables.Column(verbose_name="Last change")
    open_queries = tables.Column(verbose_name="Open queries", orderable=False, empty_values=(), attrs=NUMBER)
    sdv = tables.Column(verbose_name="Verified", orderable=False, empty_values=(), attrs=NUMBER)

    class Meta:
        attrs = {"class": "table table-hover align-middle candidate-table"}
        empty_text = "No candidate matches."
        order_by_field = "sort"
        template_name = "screening/partials/candidate_table.html"

    def order_failing_count(self, queryset, is_descending):
        return self._order_by_count(queryset, "failing", is_descending)

    def order_missing_count(self, queryset, is_descending):
        return self._order_by_count(queryset, "missing", is_descending)

    @staticmethod
    def _order_by_count(queryset, status, is_descending):
        key = criterion_ids.count_key(f"latest_evaluation__{status}")
        return queryset.order_by(key.desc() if is_descending else key.asc(), "-id"), True
