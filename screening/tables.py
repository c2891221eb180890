"""The candidate list's and the screening log's tables (django-tables2: columns, sorting, pagination).

Rows are rendered by one ``format_html`` per row (``candidate_row``, ``log_row``; escaping stays on)
rather than cell by cell through templates: with 25 rows that keeps a page within 4x a trivial page.
"""

from urllib.parse import quote

import django_tables2 as tables
from django.core.paginator import Paginator
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from screening import criterion_ids, vocabulary
from screening.selectors.log import age_on
from screening.templatetags.dates import iso
from screening.templatetags.status_tags import status_word

PER_PAGE = 25
MAX_PER_PAGE = 100
NUMBER = {"td": {"class": "text-end"}, "th": {"class": "text-end"}}


class BoundedPaginator(Paginator):
    """``?per_page=`` from the address bar, kept between 1 and MAX_PER_PAGE."""

    def __init__(self, object_list, per_page, *args, **kwargs):
        super().__init__(object_list, min(max(int(per_page), 1), MAX_PER_PAGE), *args, **kwargs)


class CandidateTable(tables.Table):
    screening_number = tables.Column(verbose_name=_("Screening number"))
    initials = tables.Column(verbose_name=_("Initials"))
    screening_date = tables.Column(verbose_name=_("Screening date"))
    outcome = tables.Column(order_by=("latest_evaluation__outcome",), verbose_name=_("Outcome"))
    failing_count = tables.Column(verbose_name=_("Failing"), attrs=NUMBER)
    missing_count = tables.Column(verbose_name=_("Missing"), attrs=NUMBER)
    updated_at = tables.Column(verbose_name=_("Last change"))
    open_queries = tables.Column(verbose_name=_("Open queries"), orderable=False, empty_values=(), attrs=NUMBER)
    sdv = tables.Column(verbose_name=_("Verified"), orderable=False, empty_values=(), attrs=NUMBER)

    class Meta:
        attrs = {"class": "table table-hover align-middle candidate-table"}
        empty_text = _("No candidate matches.")
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

    def rows_html(self):
        """The page's <tr>s (``candidate_row`` of each record), for ``screening/partials/candidate_table.html``."""
        return format_html_join("\n", "{}", ((candidate_row(row.record),) for row in self.paginated_rows))


CANDIDATE_ROW = """<tr>
  <td><a href="/candidates/{}/">{}</a></td>
  <td>{}</td>
  <td>{}</td>
  <td><span class="outcome-badge outcome-{}">{}</span></td>
  <td class="text-end">{}</td>
  <td class="text-end">{}</td>
  <td class="text-nowrap">{} <span class="text-body-secondary">· {}</span></td>
  <td class="text-end">{}</td>
  <td class="text-end text-nowrap">{}</td>
</tr>"""


def candidate_row(candidate):
    """One <tr> of the candidate list from a ``candidate_list()`` dict with its counts, open queries and SDV
    progress (``with_counts``, ``sdv.add_to_rows``). Dates as ``iso`` shows them, numbers plain."""
    number = candidate["screening_number"]
    failing, queries = candidate["failing_count"], candidate["open_queries"]
    return format_html(
        CANDIDATE_ROW,
        quote(number, safe="/"), number,
        candidate["initials"],
        iso(candidate["screening_date"]),
        candidate["outcome"] or "none", status_word("outcome", candidate["outcome"], "bare"),
        format_html('<span class="count-fail">{}</span>', failing) if failing else 0,
        candidate["missing_count"],
        iso(candidate["updated_at"], "minutes"),
        candidate["updated_by_name"] or gettext("import"),
        format_html('<a class="badge query-badge" href="/queries/?candidate={}&amp;state=open">{}</a>',
                    quote(number, safe="/"), queries) if queries else 0,
        candidate["sdv"],
    )


class LogTable(tables.Table):
    """Columns, sorting and pagination (django-tables2), drawn by ``screening/log/table.html``.

    Rendering 25 rows cell by cell through templates (and tables2's own template) costs several
    times a trivial page, so each row is one ``format_html`` call (``log_row``; escaping stays on).
    """

    screening_number = tables.Column(verbose_name=_("Screening no."))
    screening_date = tables.Column(verbose_name=_("Screened"))
    initials = tables.Column(verbose_name=_("Initials"))
    age = tables.Column(empty_values=(), orderable=False, verbose_name=_("Age"))
    sex = tables.Column(verbose_name=_("Sex"))
    outcome = tables.Column(accessor="latest_evaluation__outcome", verbose_name=_("Outcome"))
    protocol_version = tables.Column(accessor="latest_evaluation__protocol_version", verbose_name=_("Protocol"))
    failing = tables.Column(accessor="latest_evaluation__failing", verbose_name=_("Failing criteria"), orderable=False)
    signoff_state = tables.Column(verbose_name=_("Sign-off"), orderable=False)
    state = tables.Column(verbose_name=_("Enrolment status"))
    subject_number = tables.Column(verbose_name=_("Subject no."))
    rescreen_of = tables.Column(accessor="rescreen_of__screening_number", verbose_name=_("Re-screen of"))
    open_queries = tables.Column(verbose_name=_("Open queries"), orderable=False)

    class Meta:
        attrs = {"class": "table table-sm table-striped align-middle screening-log"}
        order_by = ("-screening_date",)
        empty_text = _("No screening attempt matches.")


ROW = "<tr>" + "<td>{}</td>" * 3 + '<td class="age">{}</td>' + "<td>{}</td>" * 9 + "</tr>"


def failing_labels(failing, labels):
    """The failing criteria of a log row by their labels, one per line (ids only for a criterion no
    registered version knows)."""
    ids = criterion_ids.decode(failing)
    return format_html_join(
        "", '<span class="log-criterion" data-criterion="{}">{}</span>', ((id, labels.get(id, id)) for id in ids)
    ) or "—"


def log_row(attempt, labels):
    """One <tr> of the log from a ``screening_log()`` dict; ``labels``: criterion id -> label."""
    state = status_word("state", attempt["state"])
    if attempt["state_reason"]:
        state = format_html('{}<br><span class="small">{}</span>', state, attempt["state_reason"])
    age = age_on(attempt["date_of_birth"], attempt["screening_date"])
    number = attempt["screening_number"]
    return format_html(
        ROW,
        format_html('<a href="{}">{}</a>', reverse("screening:candidate_detail", args=[number]), number),
        iso(attempt["screening_date"]),
        attempt["initials"] or "—",
        "—" if age is None else age,
        vocabulary.SEX.get(attempt["sex"], attempt["sex"]) or "—",
        status_word("outcome", attempt["outcome"]) if attempt["outcome"] else "—",
        attempt["protocol_version"] or "—",
        failing_labels(attempt["failing"], labels),
        status_word("signoff", attempt["signoff_state"]),
        state,
        attempt["subject_number"] or "—",
        attempt["rescreen_of_number"] or "—",
        format_html('<a href="/queries/?candidate={}&amp;state=open">{}</a>', number, attempt["open_queries"])
        if attempt["open_queries"] else 0,
    )
