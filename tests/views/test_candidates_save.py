"""The candidate page's save (``views.candidates``): the record is built once and handed to the service, which
validates, evaluates and stores it; only a refused save evaluates the entry as typed, for the page."""

from unittest import mock

import pytest

from screening import eligibility
from screening.candidate_entry import CandidateEntry
from screening.models import Candidate
from tests.conftest import eligible_record, with_lab
from tests.test_forms import form_data, rendered_form_data

pytestmark = pytest.mark.django_db


def engine_calls(client, url, data):
    with mock.patch("screening.eligibility.parse_candidate", wraps=eligibility.parse_candidate) as parse, \
         mock.patch("screening.eligibility.evaluate", wraps=eligibility.evaluate) as evaluate, \
         mock.patch.object(CandidateEntry, "record", autospec=True, side_effect=CandidateEntry.record) as record:
        response = client.post(url, data)
    return response, parse.call_count, evaluate.call_count, record.call_count


@pytest.mark.requirement("URS-CAND-001")
def test_a_successful_save_builds_once_and_evaluates_once(client_for):
    """The service's check of the typed record and its evaluation of the stored one: 2 parses, 1 evaluation
    (the page used to parse 4 times and evaluate twice)."""
    response, parses, evaluations, builds = engine_calls(client_for("coordinator"), "/candidates/new/",
                                                         form_data(eligible_record()))
    assert response.status_code == 302
    assert (builds, parses, evaluations) == (1, 2, 1)
    assert Candidate.objects.get().evaluations.count() == 1


@pytest.mark.requirement("URS-CAND-001")
def test_a_successful_edit_builds_once_and_evaluates_once(client_for, make_candidate):
    make_candidate()
    client = client_for("coordinator")
    data = rendered_form_data(client.get("/candidates/NLX-S-001/edit/")) | {"ecog": "0"}
    response, parses, evaluations, builds = engine_calls(client, "/candidates/NLX-S-001/edit/", data)
    assert response.status_code == 302
    assert (builds, parses, evaluations) == (1, 2, 1)
    assert Candidate.objects.get().ecog == 0


@pytest.mark.requirement("URS-INPUT-009")
def test_an_entry_the_engine_refuses_is_evaluated_for_the_page_only(client_for):
    record = with_lab(eligible_record(), "platelets", unit="g/L")
    response, parses, evaluations, _builds = engine_calls(client_for("coordinator"), "/candidates/new/",
                                                          form_data(record))
    assert response.status_code == 200 and not Candidate.objects.exists()
    assert evaluations == 0 and response.context["evaluation"] is None  # nothing the engine could evaluate
    assert [input_id for _, _, input_id in response.context["problems"]] == ["id_labs-1-unit"]


@pytest.mark.requirement("URS-CAND-007")
def test_a_refusal_after_the_engine_accepted_shows_the_checklist_of_the_entry(client_for, make_candidate):
    """A reason missing (as for a signed candidate): the service refuses once the engine accepted the entry; the
    page evaluates the entry as typed."""
    make_candidate()
    client = client_for("coordinator")
    data = rendered_form_data(client.get("/candidates/NLX-S-001/edit/")) | {"ecog": "0"}
    with mock.patch("screening.services.candidates.needs_reason", return_value=True):
        response, _parses, evaluations, _builds = engine_calls(client, "/candidates/NLX-S-001/edit/", data)
    assert response.status_code == 200
    assert evaluations == 1 and response.context["evaluation"].outcome.value == "eligible"
    assert response.context["entry"].form.errors["reason"]
    assert Candidate.objects.get().ecog == 1
