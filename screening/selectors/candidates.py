"""Reads for the candidate pages: a constant number of queries whatever the data size."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from screening import criterion_ids, interchange, protocols, roles
from screening.eligibility import ULN_REQUIRED, UNIT_LABELS
from screening.models import SITE_REPORTING_UNITS, ULN_SOURCES, Candidate, ReferenceRange, plain_decimal
from screening.selectors.signoff import with_signoff_state


def candidate_list():
    """One row (a dict) per candidate for the list page: latest outcome, failing / missing ids, last change.

    One query per page whatever the number of candidates; the counts are added to the page's rows
    only (``with_counts``), so SQL does not compute them for every candidate.
    """
    return Candidate.objects.values(
        "pk", "screening_number", "initials", "screening_date", "updated_at",
        outcome=F("latest_evaluation__outcome"),
        failing=F("latest_evaluation__failing"),
        missing=F("latest_evaluation__missing"),
        updated_by_name=F("updated_by__username"),
    )


def with_counts(rows):
    """Add ``failing_count`` and ``missing_count`` to ``candidate_list()`` rows, in place."""
    for row in rows:
        row["failing_count"] = len(criterion_ids.decode(row["failing"]))
        row["missing_count"] = len(criterion_ids.decode(row["missing"]))


def get_candidate_for(user, screening_number, *, with_rows=False, with_signoff=False):
    """The candidate ``user`` may read, with its latest evaluation (and its ``signoff_state``); 404 when
    absent, 403 without a role."""
    if not roles.has_role(user, roles.READERS):
        raise PermissionDenied(_("Your role does not allow reading candidates."))
    candidates = Candidate.objects.select_related("latest_evaluation__created_by", "updated_by")
    if with_signoff:
        candidates = with_signoff_state(candidates)
    if with_rows:
        candidates = candidates.prefetch_related(*interchange.ROWS_BY_RELATED_NAME)
    return get_object_or_404(candidates, screening_number=screening_number)


def screening_number_taken(screening_number):
    return Candidate.objects.filter(screening_number__iexact=screening_number).exists()


def reference_ulns():
    """The site's upper limits of normal: {test: {unit: {sex: Decimal}}}, sex "" for a limit of both sexes
    (admin-editable ReferenceRange). ``site_uln`` picks the one that applies to a candidate."""
    ulns = {}
    rows = ReferenceRange.objects.filter(uln__isnull=False).values_list("test", "unit", "sex", "uln")
    for test, unit, sex, uln in rows:
        ulns.setdefault(test, {}).setdefault(unit, {})[sex] = plain_decimal(uln)
    return ulns


def site_uln(ulns, test, unit, sex):
    """The site default ULN of ``test`` in ``unit`` for a candidate of ``sex`` ("" or None: not recorded), or None.

    A limit given for the candidate's sex wins over one for both sexes; when the limits differ by sex and the
    sex is not recorded there is no default (the coordinator types the report's ULN or records the sex first).
    """
    by_sex = ulns.get(test, {}).get(unit, {})
    if sex:
        return by_sex.get(sex, by_sex.get(""))
    return by_sex.get("")


def reporting_units():
    """The unit the site's laboratory reports each test in: {test: UCUM unit}.

    ``SITE_REPORTING_UNITS`` unless an admin marked another ``ReferenceRange`` row as the reporting unit.
    """
    marked = ReferenceRange.objects.filter(reporting_unit=True).values_list("test", "unit")
    return SITE_REPORTING_UNITS | dict(marked)


def uln_notes(labs, protocol):
    """{criterion id: {"text", "source"}}: where the ULN of each result a ULN criterion compares with came from
    ("ULN 84 µmol/L · site default"). ``labs``: LabResult rows or the form's entries (dicts)."""
    labels = dict(ULN_SOURCES)
    criterion_of = {criterion.test: criterion.id for criterion in protocol.criteria
                    if getattr(criterion, "test", None) in ULN_REQUIRED}
    notes = {}
    for lab in labs:
        get = lab.get if isinstance(lab, dict) else lambda name, lab=lab: getattr(lab, name)
        test, uln, source = get("test"), get("uln"), get("uln_source")
        if test not in criterion_of or uln in (None, "") or not source:
            continue
        text = gettext("ULN %(uln)s %(unit)s · %(source)s") % {
            "uln": plain_decimal(Decimal(uln)), "unit": UNIT_LABELS.get(get("unit"), get("unit")), "source": labels[source]}
        note = notes.setdefault(criterion_of[test], {"text": text, "source": source})
        if text not in note["text"]:
            note["text"] += f"; {text}"
    return notes


def stored_uln_notes(candidate):
    """``uln_notes`` of the candidate's stored results, under the protocol version it is evaluated under."""
    return uln_notes(candidate.lab_results.all(), protocols.for_candidate(candidate))
