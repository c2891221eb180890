"""Template helpers for the work queue, queries and verification: countdowns and query badges."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from screening import vocabulary

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
        text = _("%(days)d d %(hours)d h") % {"days": days, "hours": hours}
    elif hours:
        text = _("%(hours)d h %(minutes)d min") % {"hours": hours, "minutes": minutes}
    else:
        text = _("%(minutes)d min") % {"minutes": minutes}
    return (_("%(time)s overdue") if late else _("in %(time)s")) % {"time": text}


@register.simple_tag
def query_badge(queries, key):
    """A badge "n queries" linking to the first unresolved query on item ``key`` ({key: [queries]}), or ""."""
    found = queries.get(key) if queries else None
    if not found:
        return ""
    words = ngettext("%(count)d open query", "%(count)d open queries", len(found)) % {"count": len(found)}
    return format_html('<a class="badge query-badge" href="/queries/{}/" data-query-item="{}">'
                       '<i class="bi {}" aria-hidden="true"></i> {}</a>', found[0].pk, key, vocabulary.QUERY_ICON, words)


@register.simple_tag
def query_icon():
    """A query's icon (``vocabulary.QUERY_ICON``), beside words that say "query"."""
    return format_html('<i class="bi {}" aria-hidden="true"></i>', vocabulary.QUERY_ICON)


@register.simple_tag
def query_state(state):
    """<span class="query-state query-state-open"><i …></i> open</span>: an icon and a word (``vocabulary``)."""
    entry = vocabulary.term("query", state)
    return format_html('<span class="query-state query-state-{}"><i class="bi {}" aria-hidden="true"></i> {}</span>',
                       state, entry.icon, entry.word)


@register.filter
def query_state_word(state):
    """A query's state as a word ("open", "answered", "closed")."""
    return vocabulary.term("query", state).word


@register.filter
def role_word(role):
    """A role code ("coordinator") as a word."""
    return vocabulary.ROLE.get(role, role)


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
                            '<i class="bi {}" aria-hidden="true"></i> {} · {}</a>',
                            ((query.pk, vocabulary.QUERY_ICON, _("query #%(number)s") % {"number": query.pk},
                              query.label)
                             for query in found))
