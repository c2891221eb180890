"""No lost update: two coordinators edit the same candidate through the web form; the second save is refused."""

import re
import threading
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, User
from django.db import connection, connections
from django.test import Client
from django.utils import timezone

from screening.models import Candidate, Evaluation
from tests.html_forms import form_fields

EDIT = "/candidates/{}/edit/"


@pytest.fixture
def coordinators(users):
    second = User.objects.create_user(username="coordinator-b", password="x-unused-password-1234")
    second.groups.add(Group.objects.get(name="coordinator"))
    made = []
    for user in (users["coordinator"], second):
        client = Client()
        client.force_login(user)
        made.append(client)
    return made


def open_form(client, number):
    page = client.get(EDIT.format(number))
    assert page.status_code == 200
    return form_fields(page.content.decode())


@pytest.mark.requirement("URS-CAND-005")
def test_second_save_is_refused_with_who_and_when_and_the_first_change_is_kept(coordinators, make_candidate):
    number = make_candidate(ecog=1, weight_kg="58.5").screening_number
    first, second = coordinators
    form_a = open_form(first, number)
    form_b = open_form(second, number)  # both opened version 1
    assert form_a["version"] == form_b["version"] == "1"

    saved = first.post(EDIT.format(number), {**form_a, "weight_kg": "61.2"})
    assert saved.status_code == 302
    saved_at = timezone.localtime(Candidate.objects.get(screening_number=number).updated_at)

    refused = second.post(EDIT.format(number), {**form_b, "ecog": "0", "weight_kg": "70"})
    assert refused.status_code == 200
    page = refused.content.decode()
    assert re.search(rf"{number} was changed by coordinator at {saved_at:%Y-%m-%d %H:%M:%S}", page), page[:3000]
    assert "Reload the page" in page

    candidate = Candidate.objects.get(screening_number=number)
    assert candidate.version == 2
    assert candidate.weight_kg == Decimal("61.2")  # the first change
    assert candidate.ecog == 1  # the second coordinator's change was not written
    assert Evaluation.objects.filter(candidate=candidate).count() == 2  # creation + the first save
    assert candidate.history.count() == 2

    # Reloading shows the first change; saving again from there works.
    form_b = open_form(second, number)
    assert form_b["version"] == "2" and form_b["weight_kg"] == "61.2"
    assert second.post(EDIT.format(number), {**form_b, "ecog": "0"}).status_code == 302
    candidate.refresh_from_db()
    assert (candidate.version, candidate.ecog, candidate.weight_kg) == (3, 0, Decimal("61.2"))


@pytest.mark.requirement("URS-CAND-005")
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="simultaneous saves need PostgreSQL row locks")
def test_simultaneous_saves_of_the_same_version_keep_exactly_one(coordinators, make_candidate):
    number = make_candidate().screening_number
    forms = [open_form(client, number) for client in coordinators]
    barrier = threading.Barrier(2)
    responses = [None, None]

    def save(index, weight):
        try:
            barrier.wait()
            responses[index] = coordinators[index].post(EDIT.format(number), {**forms[index], "weight_kg": weight})
        finally:
            connections.close_all()

    threads = [threading.Thread(target=save, args=(i, w)) for i, w in enumerate(("60", "70"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    statuses = sorted(response.status_code for response in responses)
    assert statuses == [200, 302]
    winner = next(i for i, response in enumerate(responses) if response.status_code == 302)
    loser = responses[1 - winner]
    assert "Reload the page" in loser.content.decode()
    candidate = Candidate.objects.get(screening_number=number)
    assert candidate.version == 2
    assert candidate.weight_kg == Decimal(("60", "70")[winner])
    assert Evaluation.objects.filter(candidate=candidate).count() == 2
