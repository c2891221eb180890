"""Garbage in every field of the candidate form: never a 500, a message naming the field, nothing saved."""

import pytest
from django.core.exceptions import ValidationError

from screening.models import Candidate, Evaluation, LabResult, Lesion, PregnancyTest
from screening.validators import validate_screening_number
from tests.conftest import eligible_record
from tests.test_forms import form_data, rendered_form_data  # noqa: F401

GARBAGE = ["garbage", "-1", "1e999", "9" * 60, "<script>alert(1)</script>", "\x00", "2026-13-45", "NaN"]

RECORD = eligible_record()
RECORD["lesions"][0]["site"] = "liver segment VII"
VALID = form_data(RECORD)
VALID.update({"labs-0-id": "", "labs-0-DELETE": "", "lesions-0-id": "", "pregnancy_tests-0-id": ""})
# Every field of the form and of the first row of each formset (the other rows are the same form).
FIELDS = sorted(name for name in VALID if not name.endswith(("_FORMS", "-DELETE")) and not name.startswith("labs-") or
                name.startswith("labs-0-") and not name.endswith("-DELETE"))
TEXT = {"primary_site", "reason", "lesions-0-site"}  # free text: saved as typed (escaped on output), not NUL
CHECKBOX = {"lesions_assessed"}  # any value ticks it
VALID_BY_CHANCE = {("initials", "NaN")}


def acceptable(field, value):
    if field == "screening_number":
        try:
            validate_screening_number(value)  # "garbage" is a well-formed screening number
        except ValidationError:
            return False
        return True
    return field in CHECKBOX or (field in TEXT and value != "\x00") or (field, value) in VALID_BY_CHANCE


def stored():
    return [model.objects.count() for model in (Candidate, Evaluation, LabResult, Lesion, PregnancyTest)]


@pytest.mark.requirement("URS-INPUT-009")
@pytest.mark.parametrize("field", FIELDS)
def test_garbage_in_one_field_is_refused_naming_it(client_for, users, field):
    client = client_for("coordinator")
    for index, value in enumerate(GARBAGE):
        data = {**VALID, "screening_number": f"NLX-G-{index}", field: value}
        before = stored()
        response = client.post("/candidates/new/", data)
        assert "<script>alert(1)</script>" not in response.content.decode()
        if response.status_code == 302:
            assert acceptable(field, value), (field, value)
            continue
        assert response.status_code == 200, (field, value)
        problem_ids = [input_id for _, _, input_id in response.context["problems"]]
        assert f"id_{field}" in problem_ids, (field, value, response.context["problems"])
        assert stored() == before, (field, value)


@pytest.mark.requirement("URS-INPUT-009")
@pytest.mark.parametrize("url", ["/candidates/new/", "/candidates/new/preview/", "/candidates/NLX-S-001/edit/",
                                 "/candidates/NLX-S-001/preview/"])
def test_garbage_everywhere_at_once(client_for, make_candidate, url):
    candidate = make_candidate()
    before = (candidate.to_record(), stored())
    client = client_for("coordinator")
    for value in GARBAGE:
        response = client.post(url, {name: value for name in VALID})
        assert response.status_code == 200, value
        assert "<script>alert(1)</script>" not in response.content.decode()
    candidate.refresh_from_db()
    assert (candidate.to_record(), stored()) == before


@pytest.mark.requirement("URS-INPUT-010")
@pytest.mark.parametrize("total", ["abc", "-1", "100000", "", "1e3"])
def test_tampered_management_form(client_for, make_candidate, total):
    candidate = make_candidate()
    client = client_for("coordinator")
    url = f"/candidates/{candidate.screening_number}/edit/"
    data = rendered_form_data(client.get(url))
    data.update({"labs-TOTAL_FORMS": total, "labs-INITIAL_FORMS": total})
    response = client.post(url, data)
    assert response.status_code == 200
    assert candidate.evaluations.count() == 1


@pytest.mark.requirement("URS-INPUT-010")
def test_empty_post_and_unknown_fields(client_for, users):
    client = client_for("coordinator")
    assert client.post("/candidates/new/", {}).status_code == 200
    assert client.post("/candidates/new/", {**VALID, "labs-0-ldh": "9", "surprise": "x"}).status_code == 302


@pytest.mark.requirement("URS-INPUT-010")
def test_row_id_of_another_candidate_is_not_taken_over(client_for, make_candidate):
    other = make_candidate(screening_number="NLX-S-900")
    foreign = other.lab_results.get(test="anc")
    client = client_for("coordinator")
    data = {**VALID, "labs-0-id": str(foreign.pk), "labs-0-value": "3.3"}
    assert client.post("/candidates/new/", data).status_code == 302
    foreign.refresh_from_db()
    assert foreign.candidate == other and foreign.value != 3.3
