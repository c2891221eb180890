"""Reads for source-data verification: which marks still hold, and progress per candidate and overall.

A mark holds while its fingerprint equals the item's current one (``screening.source_items``).
Progress is computed, not stored: the number of items comes from counting rows in SQL; the values
are fingerprinted only for candidates that have marks at all.
"""

from dataclasses import dataclass
from functools import cache

from django.db.models import Count, Exists, OuterRef, Subquery
from django.db.models.functions import Coalesce

from screening.models import Candidate, Verification
from screening.source_items import FIELDS, ROW_KINDS, items_of, prefetch_rows


@dataclass(frozen=True)
class Progress:
    verified: int
    total: int

    @property
    def complete(self):
        return self.total > 0 and self.verified == self.total

    @property
    def percent(self):
        return round(100 * self.verified / self.total) if self.total else 0

    def __str__(self):
        return f"{self.verified}/{self.total}"


def current_marks(candidate, items):
    """{item key: the latest Verification that still holds} for these items of the candidate (the items'
    fingerprints are taken only when the candidate has marks)."""
    found = list(Verification.objects.filter(candidate=candidate).select_related("verified_by"))
    by_key = {item.key: item.fingerprint for item in items} if found else {}
    marks = {}
    for mark in found:
        if by_key.get(mark.item) == mark.fingerprint:
            marks[mark.item] = mark  # ordered oldest first: the latest wins
    return marks


def _row_count(model):
    """SQL expression for ``Candidate`` querysets: the number of the candidate's rows of ``model``."""
    counted = model.objects.filter(candidate=OuterRef("pk")).order_by().values("candidate").annotate(n=Count("pk"))
    return Coalesce(Subquery(counted.values("n")), 0)


@cache  # built once: querysets copy the expressions they are given
def progress_columns():
    """Annotations for a ``Candidate`` queryset from which ``progress_of`` computes the progress: the rows of
    each kind counted, and whether the candidate has any verification mark."""
    return {**{f"sdv_{name}": _row_count(kind.model) for name, kind in ROW_KINDS.items()},
            "sdv_marked": Exists(Verification.objects.filter(candidate=OuterRef("pk")))}


def progress_of(annotated):
    """{candidate id: Progress} from dicts with ``pk`` and ``progress_columns()``: the totals are counted in
    SQL; the values are fingerprinted only for candidates that have marks at all (a handful of queries)."""
    annotated = list(annotated)
    totals = {row["pk"]: len(FIELDS) + sum(row[f"sdv_{name}"] for name in ROW_KINDS) for row in annotated}
    marked_ids = [row["pk"] for row in annotated if row["sdv_marked"]]
    verified = dict.fromkeys(totals, 0)
    if marked_ids:
        marked = {}
        for candidate_id, item, print_ in Verification.objects.filter(candidate_id__in=marked_ids).values_list(
            "candidate_id", "item", "fingerprint"
        ):
            marked.setdefault(candidate_id, set()).add((item, print_))
        for candidate in prefetch_rows(Candidate.objects.filter(pk__in=marked_ids)):
            prints = marked[candidate.pk]
            verified[candidate.pk] = sum((item.key, item.fingerprint) in prints for item in items_of(candidate))
    return {pk: Progress(verified[pk], totals[pk]) for pk in totals}


def progress(candidates):
    """{candidate id: Progress} for a queryset (or list of ids) of candidates, in a constant number of queries."""
    queryset = candidates if hasattr(candidates, "values_list") else Candidate.objects.filter(pk__in=list(candidates))
    return progress_of(queryset.order_by().values("pk", **progress_columns()))


def overall(candidates=None):
    """Progress summed over every candidate (or the given queryset)."""
    per_candidate = progress(candidates if candidates is not None else Candidate.objects.all())
    return Progress(sum(p.verified for p in per_candidate.values()), sum(p.total for p in per_candidate.values()))


@dataclass(frozen=True)
class ItemRow:
    item: object  # source_items.Item
    mark: Verification | None
    queries: tuple  # unresolved queries on the item


@dataclass(frozen=True)
class Summary:
    """What the candidate pages show of monitoring: SDV progress and unresolved queries by place."""

    progress: Progress
    unresolved: tuple
    by_item: dict  # item key (and form-row key "labs-<id>") -> [queries]
    by_criterion: dict  # checklist criterion id -> [queries]


FORM_PREFIXES = {related_name: kind.key for related_name, kind in ROW_KINDS.items()}


def summary(candidate):
    """Monitoring summary of one candidate (its rows prefetched or not): a handful of queries."""
    from screening.selectors.queries import for_candidate

    queries = for_candidate(candidate)
    rows, done = item_rows(candidate, queries)
    by_item, by_criterion = {}, {}
    for row in rows:
        if not row.queries:
            continue
        kind, _, row_id = row.item.key.partition(":")
        for key in (row.item.key, f"{FORM_PREFIXES[kind]}-{row_id}" if row_id else None):
            if key:
                by_item[key] = list(row.queries)
        for criterion in row.item.criteria:
            by_criterion.setdefault(criterion, []).extend(row.queries)
    unresolved = tuple(query for query in queries if query.is_unresolved)  # also on items since removed
    return Summary(done, unresolved, by_item, by_criterion)


def item_rows(candidate, queries, *, with_source=False):
    """The source page's rows: each item of the candidate with its holding mark and unresolved queries.

    ``candidate`` has its rows prefetched; ``queries`` is ``selectors.queries.for_candidate(candidate)``.
    """
    items = items_of(candidate, with_source=with_source)
    marks = current_marks(candidate, items)
    unresolved = {}
    for query in queries:
        if query.is_unresolved:
            unresolved.setdefault(query.item, []).append(query)
    rows = [ItemRow(item, marks.get(item.key), tuple(unresolved.get(item.key, ()))) for item in items]
    return rows, Progress(sum(row.mark is not None for row in rows), len(rows))


@cache
def _list_columns():
    from screening.selectors.queries import unresolved_count_of_candidate

    return {"open_queries": unresolved_count_of_candidate(), **progress_columns()}


def add_to_rows(rows):
    """Add ``open_queries`` and ``sdv`` (Progress) to candidate-list rows (dicts with ``pk``), in place: one
    query for the page's rows (more only for candidates with verification marks)."""
    rows = list(rows)
    annotated = list(Candidate.objects.filter(pk__in=[row["pk"] for row in rows]).order_by()
                     .values("pk", **_list_columns()))
    counts, done = {row["pk"]: row["open_queries"] for row in annotated}, progress_of(annotated)
    for row in rows:
        row["open_queries"], row["sdv"] = counts.get(row["pk"], 0), done.get(row["pk"])
