"""Source-data verification through the service: marks, the reset on change, refusals (issue 16)."""

import pytest

from screening.models import AuditEvent, Verification
from screening.selectors.sdv import item_rows, overall, progress
from screening.services import queries, sdv
from screening.services.candidates import save_candidate
from screening.services.signoff import Refused
from screening.source_items import FIELDS, items_of
from tests.conftest import eligible_record, with_lab

pytestmark = [pytest.mark.django_db, pytest.mark.requirement("URS-SDV-001", "URS-SDV-002", "URS-SDV-003")]


@pytest.fixture
def candidate(make_candidate, users):
    return make_candidate(user=users["coordinator"])


def shown(candidate, *keys):
    items = {item.key: item for item in items_of(candidate)}
    return {key: items[key].fingerprint for key in (keys or items)}


def rows_of(candidate):
    return {row.item.key: row for row in item_rows(candidate, [])[0]}


def test_verify_one_item_then_all(candidate, users):
    sdv.verify(candidate=candidate, user=users["monitor"], shown=shown(candidate, "ecog"))
    done = progress([candidate.pk])[candidate.pk]
    total = len(FIELDS) + 7 + 1 + 1  # fields, labs, lesion, pregnancy test
    assert (done.verified, done.total) == (1, total)
    marks = sdv.verify(candidate=candidate, user=users["monitor"], shown=shown(candidate))
    assert len(marks) == total - 1  # the one already verified is not marked twice
    assert progress([candidate.pk])[candidate.pk].complete
    assert overall().verified == total
    event = AuditEvent.objects.filter(action="sdv_verify").order_by("id").last()
    assert event.details["count"] == total - 1 and "ECOG performance status" not in event.details["items"]


def test_a_changed_value_resets_its_mark_and_only_its_mark(candidate, users):
    sdv.verify(candidate=candidate, user=users["monitor"], shown=shown(candidate))
    platelets = candidate.lab_results.get(test="platelets")
    save_candidate(record=with_lab(eligible_record(), "platelets", value="135", uln=None) | {"ecog": 0},
                   user=users["coordinator"], reason="re-read")
    candidate.refresh_from_db()
    rows = rows_of(candidate)
    unverified = {key for key, row in rows.items() if row.mark is None}
    assert unverified == {"ecog", f"lab_results:{platelets.pk}"}
    assert Verification.objects.count() == len(rows)  # marks are kept as records; they just no longer hold


def test_a_value_changed_after_the_page_was_loaded_is_refused(candidate, users):
    seen = shown(candidate)
    save_candidate(record=eligible_record(ecog=0), user=users["coordinator"])
    with pytest.raises(Refused, match="Changed since you loaded the page: ECOG performance status"):
        sdv.verify(candidate=candidate, user=users["monitor"], shown=seen)
    assert not Verification.objects.exists()  # all or nothing


@pytest.mark.parametrize("role", ["coordinator", "investigator", "norole"])
def test_only_monitors_and_admins_verify(candidate, users, role):
    with pytest.raises(Refused, match="does not allow"):
        sdv.verify(candidate=candidate, user=users[role], shown=shown(candidate, "ecog"))
    assert not Verification.objects.exists()


def test_empty_and_unknown_items_are_refused(candidate, users):
    with pytest.raises(Refused, match="Nothing to verify"):
        sdv.verify(candidate=candidate, user=users["monitor"], shown={})
    with pytest.raises(Refused, match="Changed since"):
        sdv.verify(candidate=candidate, user=users["monitor"], shown={"lab_results:999999": "0" * 64})
    with pytest.raises(Refused, match="Changed since"):
        sdv.verify(candidate=candidate, user=users["monitor"], shown={"ecog": "forged"})
    assert not Verification.objects.exists()


def test_a_deleted_row_leaves_the_count(candidate, users):
    sdv.verify(candidate=candidate, user=users["monitor"], shown=shown(candidate))
    save_candidate(record=eligible_record(pregnancy_tests=[]), user=users["coordinator"], reason="entered twice")
    done = progress([candidate.pk])[candidate.pk]
    assert done.verified == done.total == len(FIELDS) + 8


def test_verifications_are_immutable(candidate, users):
    mark = sdv.verify(candidate=candidate, user=users["monitor"], shown=shown(candidate, "ecog"))[0]
    with pytest.raises(PermissionError):
        mark.delete()


def test_progress_queries_are_constant(make_candidate, users, django_assert_max_num_queries):
    for number in range(5):
        made = make_candidate(screening_number=f"NLX-S-10{number}")
        sdv.verify(candidate=made, user=users["monitor"], shown=shown(made, "ecog", "sex"))
    with django_assert_max_num_queries(6):  # row counts and marked or not, marks, candidates + 3 row prefetches
        result = overall()
    assert result.verified == 10


def test_query_badges_and_marks_on_the_same_rows(candidate, users):
    query = queries.raise_query(candidate=candidate, item="ecog", text="check", user=users["monitor"])
    rows, done = item_rows(candidate, [query])
    by_key = {row.item.key: row for row in rows}
    assert by_key["ecog"].queries == (query,) and done.verified == 0
