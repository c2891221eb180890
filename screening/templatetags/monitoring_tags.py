"""Template helpers for the work queue, queries and verification: countdowns and query badges."""

from django import template
from django.utils.html import format_html, format_html_join

register = template.Library()


@register.filter
def countdown(delta):
    """A timedelta as people read a deadline: "in 2 d 4 h", "in 35 min", "3 h overdue"."""
    if delta is None:
        return ""
    seconds = int(delta.total_seconds())
    late, seconds = seconds < 0, abs(seconds)
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days:
        text = f"{days} d {hours} h"
    elif hours:
        text = f"{hours} h {minutes} min"
    else:
        text = f"{minutes} min"
    return f"{text} overdue" if late else f"in {text}"


@register.simple_tag
def query_badge(queries, key):
    """A badge "n queries" linking to the first unresolved query on item ``key`` ({key: [queries]}), or ""."""
    found = queries.get(key) if queries else None
    if not found:
        return ""
    words = f"{len(found)} open quer{'y' if len(found) == 1 else 'ies'}"
    return format_html('<a class="badge query-badge" href="/queries/{}/" data-query-item="{}">'
                       '<i class="bi bi-chat-left-dots-fill" aria-hidden="true"></i> {}</a>', found[0].pk, key, words)


STATE_ICONS = {"open": "bi-chat-left-dots-fill", "answered": "bi-reply-fill", "closed": "bi-check-circle-fill"}


@register.simple_tag
def query_state(state):
    """<span class="query-state query-state-open"><i …></i> open</span>: an icon and a word."""
    return format_html('<span class="query-state query-state-{}"><i class="bi {}" aria-hidden="true"></i> {}</span>',
                       state, STATE_ICONS.get(state, "bi-circle"), state)


@register.simple_tag
def row_query_badge(queries, prefix, row_id):
    """The query badge of a form row: formset ``prefix`` (labs, lesions, pregnancy_tests) and the row's id."""
    return query_badge(queries, f"{prefix}-{row_id}")


@register.simple_tag
def criterion_queries(by_criterion, criterion_id):
    """Badges for the unresolved queries on values a checklist criterion uses."""
    found = by_criterion.get(criterion_id) if by_criterion else None
    if not found:
        return ""
    return format_html_join(" ", '<a class="badge query-badge" href="/queries/{}/">'
                            '<i class="bi bi-chat-left-dots-fill" aria-hidden="true"></i> query #{} · {}</a>',
                            ((query.pk, query.pk, query.item_label) for query in found))
