"""The work queue: items per role, at their boundaries (exactly 72 h, 28/29 days), with a frozen clock (issue 16)."""

import datetime
from dataclasses import dataclass

import pytest

from screening import eligibility
from screening.selectors import queue
from screening.services import queries, signoff
from tests.conftest import PASSWORD, eligible_record

pytestmark = [pytest.mark.django_db, pytest.mark.requirement("URS-WQ-001", "URS-WQ-002")]
SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))
DOSE = datetime.datetime(2026, 3, 10, 9, 0, tzinfo=SHANGHAI)


@dataclass(frozen=True)
class FakeCriterion:
    params: dict


class FakeProtocol:
    """A protocol definition with the windows of protocol 1.0's file (or changed ones)."""

    def __init__(self, window_hours=72, imaging_window_days=28):
        self.criteria = {"pregnancy_test": FakeCriterion({"window_hours": window_hours}),
                         "measurable_disease": FakeCriterion({"imaging_window_days": imaging_window_days})}

    def criterion(self, criterion_id):
        return self.criteria[criterion_id]


@pytest.fixture
def protocol(monkeypatch):
    def use(**params):
        monkeypatch.setattr(queue, "screening_protocol", lambda: FakeProtocol(**params))

    use()
    return use


def items(user, kind, now=DOSE - datetime.timedelta(days=5)):
    return [item for section in queue.work_queue(user, now=now) if section.kind == kind for item in section.items]


def serum(collected, result="negative", specimen="serum"):
    return {"specimen": specimen, "result": result, "collected": collected.isoformat()}


@pytest.mark.parametrize("collected, due", [
    (DOSE - datetime.timedelta(hours=72), False),  # exactly 72 h before: in the window
    (DOSE - datetime.timedelta(hours=72, seconds=1), True),
    (DOSE, False),  # at the first dose itself: in the window
    (DOSE + datetime.timedelta(seconds=1), True),
])
def test_pregnancy_test_due_at_the_72_hour_boundary(make_candidate, users, protocol, collected, due):
    make_candidate(pregnancy_tests=[serum(collected)])
    found = items(users["coordinator"], "pregnancy_test_due")
    assert bool(found) is due
    if due:
        assert (found[0].earliest, found[0].deadline) == (DOSE - datetime.timedelta(hours=72), DOSE)
        assert "between 2026-03-07 09:00 and 2026-03-10 09:00" in found[0].detail


def test_the_window_is_read_from_the_protocol(make_candidate, users, protocol):
    make_candidate(pregnancy_tests=[serum(DOSE - datetime.timedelta(hours=60))])
    assert not items(users["coordinator"], "pregnancy_test_due")
    protocol(window_hours=48)
    assert items(users["coordinator"], "pregnancy_test_due")[0].earliest == DOSE - datetime.timedelta(hours=48)


def test_the_real_protocol_gives_the_window(users):
    hours = queue.parameter(eligibility.PROTOCOL, "pregnancy_test", "window_hours")
    assert queue.pregnancy_window(eligibility.PROTOCOL) == datetime.timedelta(hours=hours) and hours > 0


@pytest.mark.parametrize("tests", [
    [],
    [serum(DOSE - datetime.timedelta(hours=1), specimen="urine")],  # urine does not count
    [serum(DOSE - datetime.timedelta(days=10))],  # too early
])
def test_no_negative_serum_in_the_window_is_due(make_candidate, users, protocol, tests):
    make_candidate(pregnancy_tests=tests)
    assert len(items(users["coordinator"], "pregnancy_test_due")) == 1


@pytest.mark.parametrize("overrides", [
    {"childbearing_potential": False}, {"sex": "male", "childbearing_potential": None,
                                        "partner_childbearing_potential": False},
    {"planned_first_dose": None},
])
def test_no_pregnancy_item_without_childbearing_potential_or_first_dose(make_candidate, users, protocol, overrides):
    make_candidate(pregnancy_tests=[], **overrides)
    assert not items(users["coordinator"], "pregnancy_test_due")


def test_overdue_only_after_the_deadline(make_candidate, users, protocol):
    make_candidate(pregnancy_tests=[])
    assert not items(users["coordinator"], "pregnancy_test_due", now=DOSE)[0].overdue
    late = items(users["coordinator"], "pregnancy_test_due", now=DOSE + datetime.timedelta(seconds=1))[0]
    assert late.overdue and late.remaining == datetime.timedelta(seconds=-1)
    early = items(users["coordinator"], "pregnancy_test_due", now=DOSE - datetime.timedelta(days=4))[0]
    assert early.not_yet and not early.overdue


def lesion(imaged_on):
    return [{"kind": "non_nodal", "method": "CT", "size_mm": "23", "slice_thickness_mm": "5",
             "imaged_on": imaged_on, "locally_treated": False, "progressed_after_local_treatment": None}]


@pytest.mark.parametrize("imaged_on, stale", [("2026-02-10", False), ("2026-02-09", True)])
def test_imaging_older_than_28_days_at_the_first_dose(make_candidate, users, protocol, imaged_on, stale):
    # 00:30 in Hangzhou is still 9 March in UTC: the age counts site-calendar days (28, or 29).
    make_candidate(planned_first_dose="2026-03-10T00:30:00+08:00", lesions=lesion(imaged_on),
                   pregnancy_tests=[serum(datetime.datetime(2026, 3, 9, 10, 0, tzinfo=SHANGHAI))])
    found = items(users["coordinator"], "imaging_too_old")
    assert bool(found) is stale
    if stale:
        assert "will be 29 days old" in found[0].detail and "(at most 28)" in found[0].detail


def test_incomplete_lists_the_missing_criteria(make_candidate, users, protocol):
    make_candidate(ecog=None)
    (item,) = items(users["coordinator"], "incomplete")
    assert "ECOG performance status" in item.detail and item.url == "/candidates/NLX-S-001/edit/"


def test_signoff_then_enrolment_items(make_candidate, users, protocol):
    older = make_candidate(screening_number="NLX-S-001")
    make_candidate(screening_number="NLX-S-002")
    awaiting = items(users["investigator"], "awaiting_signoff")
    assert [item.screening_number for item in awaiting] == ["NLX-S-001", "NLX-S-002"]  # oldest first
    assert awaiting[0].url == "/candidates/NLX-S-001/sign/"
    signoff.sign(candidate=older, user=users["investigator"], password=PASSWORD,
                 evaluation_id=older.latest_evaluation_id)
    assert [item.screening_number for item in items(users["investigator"], "awaiting_signoff")] == ["NLX-S-002"]
    (enrol,) = items(users["coordinator"], "not_enrolled")
    assert enrol.screening_number == "NLX-S-001" and enrol.url == "/candidates/NLX-S-001/enrol/"


def test_query_items_follow_the_life_cycle(make_candidate, users, protocol):
    candidate = make_candidate()
    query = queries.raise_query(candidate=candidate, item="ecog", text="check", user=users["monitor"])
    assert [item.url for item in items(users["coordinator"], "query_to_answer")] == [f"/queries/{query.pk}/"]
    assert not items(users["monitor"], "query_to_close")
    queries.answer(query=query, user=users["coordinator"], text="ok")
    assert not items(users["coordinator"], "query_to_answer")
    assert len(items(users["monitor"], "query_to_close")) == 1
    assert not items(users["investigator"], "query_to_close")  # raised by someone else


def test_monitors_see_unverified_candidates(make_candidate, users, protocol):
    from screening.services import sdv
    from screening.source_items import items_of

    candidate = make_candidate()
    (item,) = items(users["monitor"], "unverified")
    assert item.url == "/candidates/NLX-S-001/source/" and "0/" in item.detail
    sdv.verify(candidate=candidate, user=users["monitor"],
               shown={i.key: i.fingerprint for i in items_of(candidate)})
    assert not items(users["monitor"], "unverified")


def test_each_role_sees_its_own_kinds_and_admins_all(make_candidate, users, protocol):
    make_candidate(pregnancy_tests=[], ecog=None, screening_number="NLX-S-001")
    make_candidate(screening_number="NLX-S-002")
    kinds = {role: {section.kind for section in queue.work_queue(users[role], now=DOSE)} for role in users}
    assert kinds["coordinator"] == {"pregnancy_test_due", "incomplete"}
    assert kinds["investigator"] == {"awaiting_signoff"}
    assert kinds["monitor"] == {"unverified"}
    assert kinds["admin"] == kinds["coordinator"] | kinds["investigator"] | kinds["monitor"]
    assert kinds["norole"] == set()


def test_the_queue_page_shows_deadlines_countdowns_and_overdue_items(client_for, make_candidate, users):
    make_candidate(planned_first_dose="2020-01-02T09:00:00+08:00", screening_date="2020-01-01",
                   consent_signed_on="2019-12-31", pregnancy_tests=[],
                   labs=[dict(lab, collected="2019-12-30") for lab in eligible_record()["labs"]],
                   lesions=lesion("2019-12-20"))
    response = client_for("coordinator").get("/")
    html = response.content.decode()
    assert response.status_code == 200 and "queue-item-overdue" in html and "overdue" in html
    assert 'href="/candidates/NLX-S-001/edit/#section-reproductive"' in html
    assert 'data-nav-count="queue"' in html


def test_login_lands_on_the_work_queue(client, users):
    response = client.post("/accounts/login/", {"username": "monitor", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"


def test_countdown_words():
    from screening.templatetags.monitoring_tags import countdown

    assert countdown(datetime.timedelta(days=2, hours=4, minutes=5)) == "in 2 d 4 h"
    assert countdown(datetime.timedelta(minutes=35)) == "in 35 min"
    assert countdown(datetime.timedelta(hours=-3)) == "3 h 0 min overdue"
    assert countdown(None) == ""
