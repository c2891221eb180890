"""Data queries through the services: every transition, every refusal, the linked correction (issue 16)."""

import pytest

from screening.models import AuditEvent, Query, QueryMessage
from screening.services import queries
from screening.services.candidates import StaleCandidate
from screening.services.signoff import Refused
from screening.source_items import items_of

pytestmark = [pytest.mark.django_db, pytest.mark.requirement("URS-QRY-001", "URS-QRY-002")]
State = Query.State


@pytest.fixture
def candidate(make_candidate, users):
    return make_candidate(user=users["coordinator"])


def raised(candidate, users, item="ecog", role="monitor", **kwargs):
    return queries.raise_query(candidate=candidate, item=item, text="Source says ECOG 2", user=users[role], **kwargs)


def test_raise_answer_close(candidate, users):
    query = raised(candidate, users)
    assert query.state == State.OPEN and query.item_label == "ECOG performance status"
    queries.answer(query=query, user=users["coordinator"], text="Checked: the clinic note says 1")
    query.refresh_from_db()
    assert query.state == State.ANSWERED
    queries.close(query=query, user=users["monitor"], text="Agreed")
    query.refresh_from_db()
    assert query.state == State.CLOSED and query.closed_by == users["monitor"]
    assert list(query.messages.values_list("kind", flat=True)) == ["raise", "answer", "close"]
    assert [e.action for e in AuditEvent.objects.order_by("id")] == ["query_raise", "query_answer", "query_close"]


@pytest.mark.parametrize("start", ["answered", "closed"])
def test_reopen_with_a_new_message(candidate, users, start):
    query = raised(candidate, users)
    queries.answer(query=query, user=users["coordinator"], text="It is 1")
    if start == "closed":
        queries.close(query=query, user=users["monitor"])
    queries.reopen(query=query, user=users["monitor"], text="The discharge letter says 2")
    query.refresh_from_db()
    assert query.state == State.OPEN and query.closed_at is None
    assert query.messages.last().kind == "reopen"


def test_answer_with_a_correction_is_one_step_linked_in_the_audit_trail(candidate, users):
    query = raised(candidate, users, item="ecog")
    record = queries.record_of(candidate)
    record["ecog"] = 0
    message = queries.answer(query=query, user=users["coordinator"], text="Corrected from the clinic note",
                             record=record, expected_version=candidate.version)
    candidate.refresh_from_db()
    assert candidate.ecog == 0
    assert (message.value_before, message.value_after) == ("1", "0")
    assert message.evaluation == candidate.latest_evaluation
    history = candidate.history.first()
    assert history.history_change_reason == f"Query #{query.pk}: Corrected from the clinic note"
    event = AuditEvent.objects.get(action="query_answer")
    assert event.details["corrected"] == "1 → 0" and event.details["evaluation"] == message.evaluation_id


def test_record_of_keeps_every_value(candidate, users):
    """Saving the record of a candidate unchanged changes nothing (rows, lesion sites, initials kept)."""
    before = [(item.key, item.value) for item in items_of(candidate)]
    queries.save_candidate(record=queries.record_of(candidate), user=users["coordinator"])
    candidate.refresh_from_db()
    assert [(item.key, item.value) for item in items_of(candidate)] == before


def test_a_stale_correction_saves_nothing_and_answers_nothing(candidate, users):
    query = raised(candidate, users)
    record = queries.record_of(candidate)
    record["ecog"] = 0
    with pytest.raises(StaleCandidate):
        queries.answer(query=query, user=users["coordinator"], text="x", record=record,
                       expected_version=candidate.version - 1)
    query.refresh_from_db()
    candidate.refresh_from_db()
    assert query.state == State.OPEN and candidate.ecog == 1 and query.messages.count() == 1


@pytest.mark.parametrize("role", ["coordinator", "norole"])
def test_only_investigators_monitors_and_admins_raise(candidate, users, role):
    with pytest.raises(Refused, match="does not allow"):
        raised(candidate, users, role=role)
    assert not Query.objects.exists()


@pytest.mark.parametrize("text, match", [("", "Message"), ("   ", "Message"), ("x" * 2001, "at most 2000")])
def test_text_is_required_and_bounded(candidate, users, text, match):
    with pytest.raises(Refused, match=match):
        queries.raise_query(candidate=candidate, item="ecog", text=text, user=users["monitor"])
    assert not Query.objects.exists()


def test_unknown_item_and_role_are_refused(candidate, users):
    with pytest.raises(Refused, match="no item"):
        raised(candidate, users, item="lab_results:999999")
    with pytest.raises(Refused, match="Assigned to"):
        raised(candidate, users, assigned_role="monitor")
    assert not Query.objects.exists()


def test_rows_can_be_queried(candidate, users):
    lab = candidate.lab_results.get(test="platelets")
    query = raised(candidate, users, item=f"lab_results:{lab.pk}")
    assert query.item_label == "Lab result platelets (2026-02-27)"


def test_refusals_of_answer(candidate, users):
    query = raised(candidate, users)
    for role in ("monitor", "investigator"):
        with pytest.raises(Refused, match="Only the coordinator"):
            queries.answer(query=query, user=users[role], text="x")
    queries.answer(query=query, user=users["coordinator"], text="first")
    with pytest.raises(Refused, match="only an open query"):
        queries.answer(query=query, user=users["coordinator"], text="second")
    assert QueryMessage.objects.filter(kind="answer").count() == 1


def test_an_investigator_answers_what_is_assigned_to_investigators(candidate, users):
    query = raised(candidate, users, assigned_role="investigator")
    with pytest.raises(Refused):
        queries.answer(query=query, user=users["coordinator"], text="x")
    queries.answer(query=query, user=users["investigator"], text="ECOG confirmed at visit")
    query.refresh_from_db()
    assert query.state == State.ANSWERED


def test_only_the_raiser_or_an_admin_closes_or_reopens(candidate, users):
    query = raised(candidate, users, role="monitor")
    queries.answer(query=query, user=users["coordinator"], text="x")
    for role in ("coordinator", "investigator"):
        with pytest.raises(Refused, match="Only whoever raised"):
            queries.close(query=query, user=users[role])
        with pytest.raises(Refused, match="Only whoever raised"):
            queries.reopen(query=query, user=users[role], text="again")
    queries.close(query=query, user=users["admin"])
    with pytest.raises(Refused, match="already closed"):
        queries.close(query=query, user=users["monitor"])
    queries.reopen(query=query, user=users["monitor"], text="again")
    with pytest.raises(Refused, match="already open"):
        queries.reopen(query=query, user=users["monitor"], text="again")
    with pytest.raises(Refused, match="Message"):
        queries.reopen(query=query, user=users["admin"], text="")


def test_messages_are_immutable(candidate, users):
    message = raised(candidate, users).messages.get()
    message.text = "rewritten"
    with pytest.raises(PermissionError):
        message.save()
    with pytest.raises(PermissionError):
        message.delete()
    with pytest.raises(PermissionError):
        QueryMessage.objects.update(text="rewritten")
