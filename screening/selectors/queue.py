"""The work queue: what each user must do next and by when, computed from the data (never stored).

Windows come from the protocol in force for the candidate (pregnancy test:
``pregnancy_test.window_hours``; imaging: ``measurable_disease.imaging_window_days``),
read from the protocol object, never restated here. Every builder runs a fixed
number of queries, whatever the number of candidates.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from screening import criterion_ids, protocols, roles, verdicts, vocabulary
from screening.models import Candidate, Evaluation, Lesion, PregnancyTest, Query, Signature, Verification
from screening.selectors.protocols import candidates_to_reevaluate
from screening.selectors.sdv import progress_columns, progress_of
from screening.selectors.signoff import SIGNED, SUPERSEDED, UNSIGNED, in_signoff_state

COORDINATOR, INVESTIGATOR, MONITOR, ADMIN = roles.COORDINATOR, roles.INVESTIGATOR, roles.MONITOR, roles.ADMIN


@dataclass(frozen=True)
class WorkItem:
    kind: str
    screening_number: str
    describe: Callable[[], str] = field(compare=False)  # the detail's text: written only for the items shown
    target: tuple  # (URL name, argument[, #anchor]): reversed only for the items shown
    deadline: datetime.datetime | None = None
    earliest: datetime.datetime | None = None
    since: datetime.datetime | None = None  # when the item arose (sign-off: the evaluation), for oldest-first
    now: datetime.datetime = field(default=None, compare=False)

    @property
    def detail(self):
        return self.describe()

    @property
    def overdue(self):
        return self.deadline is not None and self.now > self.deadline

    @property
    def url(self):
        name, argument, *anchor = self.target
        return reverse(f"screening:{name}", args=[argument]) + "".join(anchor)

    @property
    def not_yet(self):
        return self.earliest is not None and self.now < self.earliest

    @property
    def remaining(self):
        return None if self.deadline is None else self.deadline - self.now


# kind -> (section heading, who acts), in the order the queue shows them.
KINDS = {
    "pregnancy_test_due": (gettext_lazy("Serum pregnancy test due"), (COORDINATOR,)),
    "imaging_too_old": (gettext_lazy("Imaging too old at the planned first dose"), (COORDINATOR,)),
    "incomplete": (gettext_lazy("Incomplete candidates"), (COORDINATOR,)),
    "query_to_answer": (gettext_lazy("Queries waiting for your answer"), (COORDINATOR, INVESTIGATOR)),
    "not_enrolled": (gettext_lazy("Signed eligible, not yet enrolled"), (COORDINATOR,)),
    "awaiting_signoff": (gettext_lazy("Evaluations awaiting sign-off"), (INVESTIGATOR,)),
    "query_to_close": (gettext_lazy("Answered queries to close"), (INVESTIGATOR, MONITOR)),
    "unverified": (gettext_lazy("Candidates with unverified values"), (MONITOR,)),
    "amendment_reevaluation": (gettext_lazy("Amendment re-evaluations pending"), (ADMIN,)),
}


# --- protocol windows ---------------------------------------------------------

def screening_protocol():
    """The version every candidate the queue lists is evaluated under: they are all still in screening, and
    ``protocols.for_candidate`` gives a candidate in screening the version in force today (asked once)."""
    return protocols.in_force()


def parameter(protocol, criterion_id, name):
    """A criterion's parameter from the protocol definition, or None when this protocol has no such criterion."""
    try:
        return protocol.criterion(criterion_id).params.get(name)
    except KeyError:
        return None


def pregnancy_window(protocol):
    hours = parameter(protocol, "pregnancy_test", "window_hours")
    return None if hours is None else datetime.timedelta(hours=int(hours))


def imaging_window_days(protocol):
    days = parameter(protocol, "measurable_disease", "imaging_window_days")
    return None if days is None else int(days)


def pregnancy_test_due(dose, tests, window):
    """(earliest, latest) moments to draw a serum test when none negative lies in [dose - window, dose]; else None."""
    opens = dose - window
    if any(test.specimen == "serum" and test.result == "negative" and opens <= test.collected <= dose
           for test in tests):
        return None
    return opens, dose


def imaging_age_days(dose, imaged_on):
    """Days from the imaging date to the first-dose date in the site's time zone."""
    return (timezone.localtime(dose).date() - imaged_on).days


# --- builders: one per kind ---------------------------------------------------

def _screening():
    """Candidates still in screening (each builder reads only its columns, with ``values_list``)."""
    return Candidate.objects.filter(state=Candidate.State.SCREENING)


def _pregnancy(now):
    """Tuples, not model instances (a thousand candidates of childbearing potential are the page's time)."""
    window = pregnancy_window(screening_protocol())
    if window is None:
        return
    candidates = _screening().filter(sex="female", childbearing_potential=True, planned_first_dose__isnull=False)
    tests = {}
    for test in (PregnancyTest.objects.filter(candidate__in=candidates.values("pk"))
                 .values_list("candidate_id", "specimen", "result", "collected", named=True)):
        tests.setdefault(test.candidate_id, []).append(test)
    for pk, number, dose in candidates.values_list("pk", "screening_number", "planned_first_dose"):
        due = pregnancy_test_due(dose, tests.get(pk, ()), window)
        if due:
            opens, closes = due
            yield WorkItem("pregnancy_test_due", number, partial(_pregnancy_detail, window, opens, closes),
                           ("candidate_edit", number, "#section-reproductive"),
                           deadline=closes, earliest=opens, now=now)


def _pregnancy_detail(window, opens, closes):
    return (_("No negative serum test in the %(hours)s h before the planned first dose: draw it "
              "between %(opens)s and %(closes)s.")
            % {"hours": int(window.total_seconds() // 3600), "opens": f"{timezone.localtime(opens):%Y-%m-%d %H:%M}",
               "closes": f"{timezone.localtime(closes):%Y-%m-%d %H:%M}"})


def _imaging(now):
    lesions = (Lesion.objects.filter(candidate__state=Candidate.State.SCREENING,
                                     candidate__planned_first_dose__isnull=False, imaged_on__isnull=False)
               .select_related("candidate").order_by("candidate_id", "position", "id"))
    limit = imaging_window_days(screening_protocol())
    for lesion in lesions:
        candidate = lesion.candidate
        age = imaging_age_days(candidate.planned_first_dose, lesion.imaged_on)
        if limit is not None and age > limit:
            yield WorkItem("imaging_too_old", candidate.screening_number, partial(_imaging_detail, lesion, age, limit),
                           ("candidate_edit", candidate.screening_number, "#section-disease"),
                           deadline=candidate.planned_first_dose, now=now)


def _imaging_detail(lesion, age, limit):
    return (_("Lesion %(number)s (%(kind)s, %(method)s) imaged %(day)s will be %(age)s days old at "
              "the planned first dose (at most %(limit)s): re-image, or move the first dose.")
            % {"number": lesion.position + 1, "kind": vocabulary.LESION_KIND.get(lesion.kind, lesion.kind),
               "method": vocabulary.LESION_METHOD.get(lesion.method, lesion.method),
               "day": f"{lesion.imaged_on:%Y-%m-%d}", "age": age, "limit": limit})


def _incomplete(now):
    labels = dict(protocols.criterion_choices())
    rows = (_screening().filter(latest_evaluation__outcome="incomplete")
            .values_list("screening_number", "planned_first_dose", "latest_evaluation__missing"))
    for number, dose, missing in rows:
        yield WorkItem("incomplete", number, partial(_incomplete_detail, labels, criterion_ids.decode(missing)),
                       ("candidate_edit", number), deadline=dose, now=now)


def _incomplete_detail(labels, missing):
    criteria = pgettext("list separator", ", ").join(str(labels.get(id_, id_)) for id_ in missing)
    return _("Missing: %(criteria)s.") % {"criteria": criteria}


def _query_items(kind, queries, now):
    for query in queries.select_related("candidate").order_by("updated_at", "id"):
        yield WorkItem(kind, query.candidate.screening_number, partial(_query_detail, query),
                       ("query_detail", query.pk), since=query.updated_at,
                       deadline=query.candidate.planned_first_dose if not query.candidate.is_closed else None, now=now)


def _query_detail(query):
    detail = (_("Query #%(number)s on %(item)s (answered %(moment)s).") if query.state == Query.State.ANSWERED
              else _("Query #%(number)s on %(item)s (raised %(moment)s)."))
    return detail % {"number": query.pk, "item": query.label,
                     "moment": f"{timezone.localtime(query.updated_at):%Y-%m-%d %H:%M}"}


def _queries_to_answer(user, now):
    held = roles.roles_of(user)
    assigned = list(Query.ASSIGNABLE) if ADMIN in held else [role for role in held if role in Query.ASSIGNABLE]
    return _query_items("query_to_answer", Query.objects.filter(state=Query.State.OPEN, assigned_role__in=assigned),
                        now)


def _queries_to_close(user, now):
    answered = Query.objects.filter(state=Query.State.ANSWERED)
    if ADMIN not in roles.roles_of(user):
        answered = answered.filter(raised_by=user)
    return _query_items("query_to_close", answered, now)


def _not_enrolled(now):
    rows = in_signoff_state(_screening().filter(latest_evaluation__outcome="eligible"), SIGNED)
    for number, dose in rows.values_list("screening_number", "planned_first_dose"):
        yield WorkItem("not_enrolled", number, _not_enrolled_detail, ("candidate_enrol", number), deadline=dose,
                       now=now)


def _not_enrolled_detail():
    return _("Signed eligible: enrol, or close the screening.")


def _awaiting_signoff(now):
    """Tuples, not model instances: with a thousand candidates awaiting sign-off, building the instances was
    most of the page's time."""
    rows = (in_signoff_state(_screening().filter(latest_evaluation__outcome__in=("eligible", "ineligible")),
                             UNSIGNED, SUPERSEDED)
            .order_by("latest_evaluation__created_at", "id")
            .values_list("screening_number", "planned_first_dose", "latest_evaluation__outcome",
                         "latest_evaluation__created_at"))
    for number, dose, outcome, evaluated_at in rows:
        yield WorkItem("awaiting_signoff", number, partial(_awaiting_signoff_detail, outcome, evaluated_at),
                       ("candidate_sign", number), since=evaluated_at, deadline=dose, now=now)


def _awaiting_signoff_detail(outcome, evaluated_at):
    return (_("%(outcome)s evaluation of %(moment)s awaits your signature.")
            % {"outcome": verdicts.outcome_word(outcome).capitalize(),
               "moment": f"{timezone.localtime(evaluated_at):%Y-%m-%d %H:%M}"})


def _unverified(now):
    rows = list(Candidate.objects.order_by().values("pk", "screening_number", **progress_columns()))
    numbers = {row["pk"]: row["screening_number"] for row in rows}
    for pk, done in sorted(progress_of(rows).items(), key=lambda pair: numbers[pair[0]]):
        if not done.complete:
            yield WorkItem("unverified", numbers[pk], partial(_unverified_detail, done),
                           ("candidate_source", numbers[pk]), now=now)


def _unverified_detail(done):
    return _("%(progress)s values verified against source.") % {"progress": done}


def pending_amendment_reevaluations(now):
    """Candidates in screening last evaluated under another protocol version than the one in force."""
    in_force = protocols.in_force()
    for candidate in candidates_to_reevaluate(in_force, with_data=False):
        yield WorkItem("amendment_reevaluation", candidate.screening_number,
                       partial(_amendment_detail, candidate.latest_evaluation.protocol_version, in_force.version),
                       ("candidate_edit", candidate.screening_number), now=now)


def _amendment_detail(old, new):
    return (_("Last evaluated under protocol %(old)s; protocol %(new)s is in force: re-evaluate (save "
              "the data again) and re-sign.") % {"old": old, "new": new})


def _builders(user, now):
    held = roles.roles_of(user)
    everything = ADMIN in held
    if everything or COORDINATOR in held:
        yield from (_pregnancy(now), _imaging(now), _incomplete(now), _not_enrolled(now))
    if everything or held & {COORDINATOR, INVESTIGATOR}:
        yield _queries_to_answer(user, now)
    if everything or INVESTIGATOR in held:
        yield _awaiting_signoff(now)
    if everything or held & {INVESTIGATOR, MONITOR}:
        yield _queries_to_close(user, now)
    if everything or MONITOR in held:
        yield _unverified(now)
    if everything:
        yield pending_amendment_reevaluations(now)


SHOWN_PER_SECTION = 50


@dataclass(frozen=True)
class Section:
    kind: str
    heading: str
    items: tuple

    @property
    def overdue(self):
        return sum(item.overdue for item in self.items)

    @property
    def shown(self):
        """The first items (most urgent first); the page says how many more there are."""
        return self.items[:SHOWN_PER_SECTION]

    @property
    def more(self):
        return max(0, len(self.items) - SHOWN_PER_SECTION)


def _order(item):
    """Overdue first, then the nearest deadline; no deadline last; then oldest first."""
    far = datetime.datetime.max.replace(tzinfo=datetime.UTC)
    return (not item.overdue, item.deadline or far, item.since or far, item.screening_number)


def work_queue(user, *, now=None):
    """The user's work queue as sections in ``KINDS`` order (empty sections left out)."""
    now = now or timezone.now()
    found = {}
    for builder in _builders(user, now):
        for item in builder:
            found.setdefault(item.kind, []).append(item)
    return [Section(kind, KINDS[kind][0], tuple(sorted(found[kind], key=_order))) for kind in KINDS if kind in found]


def data_stamp():
    """One query: a value that changes whenever anything the queue reads changes (for caching nav counts)."""
    parts = [(Candidate, "updated_at"), (Candidate, "id"), (Evaluation, "id"), (Signature, "id"),
             (Query, "updated_at"), (Query, "id"), (Verification, "id"), (PregnancyTest, "id"), (Lesion, "id")]
    quote = connection.ops.quote_name
    sql = "SELECT " + ", ".join(
        f"(SELECT {'COUNT' if column == 'id' and model is not Verification else 'MAX'}({quote(column)}) "
        f"FROM {quote(model._meta.db_table)})"
        for model, column in parts
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return tuple(str(value) for value in cursor.fetchone())

