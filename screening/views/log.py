"""Views: the screening log (every attempt, filterable) and the CONSORT funnel. Readable by every role."""

import django_tables2 as tables
from django.shortcuts import render
from django.urls import path
from django.utils.html import format_html_join

from screening import protocols, roles
from screening.filters import LogFilter
from screening.selectors.log import add_signoff_states, consort_funnel, screening_log
from screening.tables import BoundedPaginator, LogTable, log_row

PER_PAGE = 25


@roles.role_required(roles.READERS)
def screening_log_view(request):
    log_filter = LogFilter(request.GET or None, queryset=screening_log())
    table = LogTable(log_filter.qs)
    tables.RequestConfig(request, paginate={"per_page": PER_PAGE, "paginator_class": BoundedPaginator}).configure(table)
    attempts = add_signoff_states([row.record for row in table.paginated_rows])
    labels = dict(protocols.criterion_choices())
    rows = format_html_join("\n", "{}", ((log_row(attempt, labels),) for attempt in attempts))
    return render(request, "screening/log/index.html", {"filter": log_filter, "table": table, "rows": rows})


@roles.role_required(roles.READERS)
def consort(request):
    return render(request, "screening/log/consort.html", {"funnel": consort_funnel()})


urlpatterns = [
    path("log/", screening_log_view, name="log"),
    path("log/consort/", consort, name="consort"),
]
