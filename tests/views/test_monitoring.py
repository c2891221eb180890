"""Queries and SDV through the pages: crafted requests, refusals, the sign-off block (issue 16)."""

import re

import pytest

from screening import vocabulary
from screening.models import Query, Signature, Verification
from screening.services import queries, sdv, signoff
from screening.services.signoff import Refused
from screening.source_items import items_of
from tests.conftest import PASSWORD
from tests.html_forms import form_fields

pytestmark = [pytest.mark.django_db, pytest.mark.requirement("URS-QRY-001", "URS-QRY-002", "URS-QRY-003", "URS-SIGN-008", "URS-SDV-001", "URS-UI-004")]


@pytest.fixture
def candidate(make_candidate, users):
    return make_candidate(user=users["coordinator"])


def raise_ecog(candidate, users, role="monitor"):
    return queries.raise_query(candidate=candidate, item="ecog", text="Source says ECOG 2", user=users[role])


def test_raise_through_the_page(client_for, candidate):
    response = client_for("monitor").post("/candidates/NLX-S-001/queries/new/",
                                          {"item": "ecog", "text": "Please check", "assigned_role": "coordinator"})
    assert response.status_code == 302
    query = Query.objects.get()
    assert query.item == "ecog" and query.raised_by.username == "monitor"


@pytest.mark.parametrize("data, message", [
    ({"item": "ecog", "text": "", "assigned_role": "coordinator"}, "This field is required"),
    ({"item": "nonsense", "text": "x", "assigned_role": "coordinator"}, "has no item"),
    ({"item": "ecog", "text": "x", "assigned_role": "admin"}, "Select a valid choice"),
])
def test_a_bad_raise_is_refused_with_a_message_and_saves_nothing(client_for, candidate, data, message):
    response = client_for("monitor").post("/candidates/NLX-S-001/queries/new/", data)
    assert response.status_code == 400 and message in response.content.decode()
    assert not Query.objects.exists()


def test_answer_and_correct_through_the_page(client_for, candidate, users):
    query = raise_ecog(candidate, users)
    page = client_for("coordinator").get(f"/queries/{query.pk}/").content.decode()
    assert 'name="value"' in page and "Value: ECOG performance status" in page
    response = client_for("coordinator").post(f"/queries/{query.pk}/answer/",
                                              {"text": "Corrected", "value": "2", "version": candidate.version})
    assert response.status_code == 302
    candidate.refresh_from_db()
    query.refresh_from_db()
    assert candidate.ecog == 2 and query.state == "answered"
    assert query.messages.last().value_after == "2"


def test_answer_correcting_a_lab_row_through_the_page(client_for, candidate, users):
    lab = candidate.lab_results.get(test="platelets")
    query = queries.raise_query(candidate=candidate, item=f"lab_results:{lab.pk}", text="120 or 102?",
                                user=users["monitor"])
    client = client_for("coordinator")
    data = {"text": "Report says 102", "version": candidate.version, "row-id": lab.pk, "row-test": "platelets",
            "row-value": "102", "row-unit": "10*9/L", "row-uln": "", "row-collected": "2026-02-27"}
    assert client.post(f"/queries/{query.pk}/answer/", data).status_code == 302
    lab.refresh_from_db()
    assert lab.value == 102 and candidate.lab_results.count() == 7


def test_an_invalid_correction_names_the_field_and_changes_nothing(client_for, candidate, users):
    query = raise_ecog(candidate, users)
    response = client_for("coordinator").post(f"/queries/{query.pk}/answer/",
                                              {"text": "Corrected", "value": "9", "version": candidate.version})
    assert response.status_code == 400 and "ecog" in response.content.decode()
    candidate.refresh_from_db()
    query.refresh_from_db()
    assert candidate.ecog == 1 and query.state == "open"


def test_a_stale_answer_page_is_refused(client_for, candidate, users):
    query = raise_ecog(candidate, users)
    response = client_for("coordinator").post(f"/queries/{query.pk}/answer/",
                                              {"text": "x", "value": "0", "version": candidate.version + 5})
    assert response.status_code == 400 and "Reload the page" in response.content.decode()
    query.refresh_from_db()
    assert query.state == "open"


@pytest.mark.parametrize("role", ["investigator", "monitor"])
def test_refused_answers_by_crafted_post(client_for, candidate, users, role):
    query = raise_ecog(candidate, users)
    response = client_for(role).post(f"/queries/{query.pk}/answer/", {"text": "x", "version": candidate.version})
    assert response.status_code in (400, 403)
    query.refresh_from_db()
    assert query.state == "open"


def test_close_and_reopen_through_the_pages(client_for, candidate, users):
    query = raise_ecog(candidate, users)
    queries.answer(query=query, user=users["coordinator"], text="1 is right")
    assert client_for("investigator").post(f"/queries/{query.pk}/close/", {}).status_code == 400  # not the raiser
    client = client_for("monitor")
    assert client.post(f"/queries/{query.pk}/close/", {"text": "ok"}).status_code == 302
    assert client.post(f"/queries/{query.pk}/reopen/", {"text": ""}).status_code == 400
    assert client.post(f"/queries/{query.pk}/reopen/", {"text": "Not ok after all"}).status_code == 302
    query.refresh_from_db()
    assert query.state == "open"


def test_each_query_state_shows_its_icon_and_word_on_the_queries_pages(client_for, candidate, users):
    query = raise_ecog(candidate, users)
    client = client_for("monitor")
    for state, act in (("open", None), ("answered", lambda: queries.answer(query=query, user=users["coordinator"],
                                                                              text="1 is right")),
                       ("closed", lambda: queries.close(query=query, user=users["monitor"], text="ok"))):
        if act:
            act()
        entry = vocabulary.STATUSES["query"][state]  # not term(): its fallback would hide a removed state
        shown = (f'<span class="query-state query-state-{state}"><i class="bi {entry.icon}" aria-hidden="true"></i> '
                 f'{entry.word}</span>')
        assert shown in client.get("/queries/", {"state": state}).content.decode(), state
        assert shown in client.get(f"/queries/{query.pk}/").content.decode(), state


def test_signing_is_refused_while_a_query_is_not_closed(client_for, candidate, users):
    query = raise_ecog(candidate, users)
    client = client_for("investigator")
    page = client.get("/candidates/NLX-S-001/sign/").content.decode()
    assert "Cannot be signed yet" in page and f"Query #{query.pk}</a> on ECOG performance status" in page
    assert 'name="password"' not in page
    response = client.post("/candidates/NLX-S-001/sign/",
                           {"evaluation": candidate.latest_evaluation_id, "password": PASSWORD})
    assert response.status_code == 200 and "Cannot be signed yet" in response.content.decode()
    assert not Signature.objects.exists()
    with pytest.raises(Refused, match=f"not closed: #{query.pk} ECOG performance status \\(open\\)"):
        signoff.sign(candidate=candidate, user=users["investigator"], password=PASSWORD,
                     evaluation_id=candidate.latest_evaluation_id)
    queries.answer(query=query, user=users["coordinator"], text="1 is right")
    client.post("/candidates/NLX-S-001/sign/", {"evaluation": candidate.latest_evaluation_id, "password": PASSWORD})
    assert not Signature.objects.exists()  # answered is not closed
    queries.close(query=query, user=users["monitor"])
    response = client.post("/candidates/NLX-S-001/sign/",
                           {"evaluation": candidate.latest_evaluation_id, "password": PASSWORD})
    assert response.status_code == 302 and Signature.objects.count() == 1


def prints(html):
    """The fingerprints the source page's verify form carries, by item (``fp:<item>`` hidden fields)."""
    fields = form_fields(html, action="/candidates/NLX-S-001/source/verify/")
    shown = {name[3:]: value for name, value in fields.items() if name.startswith("fp:")}
    assert all(re.fullmatch("[0-9a-f]{64}", value) for value in shown.values()), shown
    return shown


def test_verify_all_through_the_page_marks_everything_shown(client_for, candidate):
    client = client_for("monitor")
    shown = prints(client.get("/candidates/NLX-S-001/source/").content.decode())
    assert len(shown) == len(items_of(candidate))
    response = client.post("/candidates/NLX-S-001/source/verify/", {"all": "1", **{f"fp:{k}": v for k, v in shown.items()}})
    assert response.status_code == 302
    assert Verification.objects.count() == len(shown)
    page = client.get("/candidates/NLX-S-001/source/").content.decode()
    assert f"{len(shown)}/{len(shown)}" in page and 'data-verified="no"' not in page


def test_verify_one_through_the_page(client_for, candidate):
    client = client_for("monitor")
    shown = prints(client.get("/candidates/NLX-S-001/source/").content.decode())
    client.post("/candidates/NLX-S-001/source/verify/", {"only": "ecog", **{f"fp:{k}": v for k, v in shown.items()}})
    assert list(Verification.objects.values_list("item", flat=True)) == ["ecog"]


def test_a_forged_fingerprint_is_refused(client_for, candidate):
    response = client_for("monitor").post("/candidates/NLX-S-001/source/verify/", {"only": "ecog", "fp:ecog": "x"},
                                          follow=True)
    assert "Changed since you loaded the page" in response.content.decode()
    assert not Verification.objects.exists()


def test_the_candidate_pages_show_queries_beside_the_values(client_for, candidate, users):
    query = raise_ecog(candidate, users)
    detail = client_for("coordinator").get("/candidates/NLX-S-001/").content.decode()
    assert f"query #{query.pk} · ECOG performance status" in detail  # on the checklist's ECOG row
    assert "Open queries: <strong>1</strong>" in detail
    form = client_for("coordinator").get("/candidates/NLX-S-001/edit/").content.decode()
    assert 'data-query-item="ecog"' in form
    listing = client_for("coordinator").get("/candidates/").content.decode()
    assert 'href="/queries/?candidate=NLX-S-001&amp;state=open">1</a>' in listing


def test_query_list_filters(client_for, make_candidate, users):
    first = make_candidate()
    second = make_candidate(screening_number="NLX-S-002")
    raise_ecog(first, users)
    answered = raise_ecog(second, users, role="investigator")
    queries.answer(query=answered, user=users["coordinator"], text="ok")
    client = client_for("monitor")

    def numbers(**params):
        html = client.get("/queries/", params).content.decode()
        return re.findall(r'data-query="(\d+)"', html)

    assert len(numbers()) == 2
    assert numbers(state="answered") == [str(answered.pk)]
    assert numbers(raised_by="investigator") == [str(answered.pk)]
    assert numbers(candidate="S-002") == [str(answered.pk)]
    assert numbers(assigned_role="investigator") == []
    assert numbers(age="7") == []
    assert client.get("/queries/", {"state": "bogus", "age": "x"}).status_code == 200


def test_new_pages_use_the_same_number_of_queries_with_10_and_1000_candidates(client_for, make_candidate, users):
    """Every role, every new page: the queries counted with 10 candidates equal those with 1,000 (cache cold)."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench.pages import clone_candidates

    template = make_candidate(planned_first_dose="2026-03-10T09:00:00+08:00", pregnancy_tests=[])
    query = raise_ecog(template, users)
    sdv.verify(candidate=template, user=users["monitor"],
               shown={item.key: item.fingerprint for item in items_of(template)})
    urls = ("/", "/queries/", "/queries/?state=open&age=1", f"/queries/{query.pk}/", "/candidates/NLX-S-001/source/")

    def counts():
        found = {}
        for role in ("monitor", "coordinator", "investigator", "admin"):
            client = client_for(role)
            for url in urls:
                cache.clear()
                # The connection keeps the last 9,000 queries only: once cloning 990 candidates has filled
                # that log, a capture would measure 0. Empty it so each capture counts from nothing.
                connection.queries_log.clear()
                with CaptureQueriesContext(connection) as context:
                    assert client.get(url).status_code == 200
                found[role, url] = len(context)
        return found

    clone_candidates(template, 8)
    with_10 = counts()
    clone_candidates(make_candidate(screening_number="NLX-S-002"), 990)
    with_1000 = counts()
    assert with_10 == with_1000
    assert max(with_10.values()) <= 50, with_10  # the admin's queue, computed twice (page and navigation) with a cold cache
