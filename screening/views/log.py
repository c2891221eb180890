"""Views: the screening log (every attempt, filterable) and the CONSORT funnel. Readable by every role."""

import django_filters
import django_tables2 as tables
from django import forms
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from screening import criterion_ids, protocols, roles, vocabulary
from screening.models import Candidate
from screening.selectors.log import add_signoff_states, age_on, consort_funnel, screening_log
from screening.selectors.signoff import in_signoff_state
from screening.tables import BoundedPaginator
from screening.templatetags.status_tags import status_word

PER_PAGE = 25
DATE_INPUT = forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")
SELECT = forms.Select(attrs={"class": "form-select"})


class LogFilter(django_filters.FilterSet):
    screened_from = django_filters.DateFilter(
        field_name="screening_date", lookup_expr="gte", label="Screened from", widget=DATE_INPUT
    )
    screened_to = django_filters.DateFilter(
        field_name="screening_date", lookup_expr="lte", label="Screened to", widget=DATE_INPUT
    )
    outcome = django_filters.ChoiceFilter(
        field_name="latest_evaluation__outcome", label="Outcome",
        choices=vocabulary.status_choices("outcome"), widget=SELECT,
    )
    failing = django_filters.ChoiceFilter(
        label="Failing criterion", method="filter_failing",
        choices=protocols.criterion_choices(), widget=SELECT,
    )
    state = django_filters.ChoiceFilter(
        field_name="state", label="State", choices=vocabulary.status_choices("state"), widget=SELECT
    )
    signoff = django_filters.ChoiceFilter(
        label="Sign-off", widget=SELECT, method="filter_signoff",
        choices=vocabulary.status_choices("signoff"),
    )

    class Meta:
        model = Candidate
        fields = []

    def filter_failing(self, queryset, name, value):
        return queryset.filter(latest_evaluation__failing__contains=criterion_ids.contains(value))

    def filter_signoff(self, queryset, name, value):
        return in_signoff_state(queryset, value)



class LogTable(tables.Table):
    """Columns, sorting and pagination (django-tables2), drawn by ``screening/log/table.html``.

    Rendering 25 rows cell by cell through templates (and tables2's own template) costs several
    times a trivial page, so each row is one ``format_html`` call (``log_row``; escaping stays on).
    """

    screening_number = tables.Column(verbose_name="Screening no.")
    screening_date = tables.Column(verbose_name="Screened")
    initials = tables.Column()
    age = tables.Column(empty_values=(), orderable=False, verbose_name="Age")
    sex = tables.Column()
    outcome = tables.Column(accessor="latest_evaluation__outcome", verbose_name="Outcome")
    protocol_version = tables.Column(accessor="latest_evaluation__protocol_version", verbose_name="Protocol")
    failing = tables.Column(accessor="latest_evaluation__failing", verbose_name="Failing criteria", orderable=False)
    signoff_state = tables.Column(verbose_name="Sign-off", orderable=False)
    state = tables.Column(verbose_name="Enrolment status")
    subject_number = tables.Column(verbose_name="Subject no.")
    rescreen_of = tables.Column(accessor="rescreen_of__screening_number", verbose_name="Re-screen of")
    open_queries = tables.Column(verbose_name="Open queries", orderable=False)

    class Meta:
        attrs = {"class": "table table-sm table-striped align-middle screening-log"}
        order_by = ("-screening_date",)
        empty_text = "No screening attempt matches."


ROW = "<tr>" + "<td>{}</td>" * 3 + '<td class="age">{}</td>' + "<td>{}</td>" * 9 + "</tr>"


def log_row(attempt):
    """One <tr> of the log from a ``screening_log()`` dict."""
    state = status_word("state", attempt["state"])
    if attempt["state_reason"]:
        state = format_html('{}<br><span class="small">{}</span>', state, attempt["state_reason"])
    age = age_on(attempt["date_of_birth"], attempt["screening_date"])
    number = attempt["screening_number"]
    return format_html(
        ROW,
        format_html('<a href="{}">{}</a>', reverse("screening:candidate_detail", args=[number]), number),
        attempt["screening_date"].isoformat(),
        attempt["initials"] or "—",
        "—" if age is None else age,
        attempt["sex"] or "—",
        status_word("outcome", attempt["outcome"]) if attempt["outcome"] else "—",
        attempt["protocol_version"] or "—",
        ", ".join(criterion_ids.decode(attempt["failing"])) or "—",
        status_word("signoff", attempt["signoff_state"]),
        state,
        attempt["subject_number"] or "—",
        attempt["rescreen_of_number"] or "—",
        format_html('<a href="/queries/?candidate={}&amp;state=open">{}</a>', number, attempt["open_queries"])
        if attempt["open_queries"] else 0,
    )


@roles.role_required(roles.READERS)
def screening_log_view(request):
    log_filter = LogFilter(request.GET or None, queryset=screening_log())
    table = LogTable(log_filter.qs)
    tables.RequestConfig(request, paginate={"per_page": PER_PAGE, "paginator_class": BoundedPaginator}).configure(table)
    attempts = add_signoff_states([row.record for row in table.paginated_rows])
    rows = format_html_join("\n", "{}", ((log_row(attempt),) for attempt in attempts))
    return render(request, "screening/log/index.html", {"filter": log_filter, "table": table, "rows": rows})


@roles.role_required(roles.READERS)
def consort(request):
    return render(request, "screening/log/consort.html", {"funnel": consort_funnel()})


urlpatterns = [
    path("log/", screening_log_view, name="log"),
    path("log/consort/", consort, name="consort"),
]
