"""The screening number and initials rules (``screening.validators``) are the model fields' own: the candidate
form, the admin's form, ``full_clean`` and ``save_candidate`` refuse the same values with the same words."""

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.utils import translation

from screening.eligibility import InvalidRecord
from screening.models import Candidate
from screening.services.candidates import save_candidate
from tests.conftest import eligible_record
from tests.test_forms import form_data

pytestmark = pytest.mark.django_db

NUMBER_WORDS = "use letters, digits, “-”, “_” or “.” (e.g. NLX-S-013)"
INITIALS_WORDS = "initials are 1 to 5 letters (no names, no digits)"
BAD_NUMBERS = ["NLX/001", "new", "Preview", "has space", "-S-001", "N" * 41, "NLX-S-001\n"]
BAD_INITIALS = ["Wang Xiao", "W1", "W.X", "ABCDEF", "王"]


def full_clean_errors(**fields):
    candidate = Candidate(screening_number="NLX-S-001", screening_date="2026-03-02")
    for name, value in fields.items():
        setattr(candidate, name, value)
    try:
        candidate.full_clean(validate_unique=False)
    except ValidationError as error:
        return error.message_dict
    return {}


@pytest.mark.requirement("URS-CAND-006")
@pytest.mark.parametrize("number", BAD_NUMBERS)
def test_full_clean_refuses_a_screening_number_that_cannot_be_a_url(number):
    errors = full_clean_errors(screening_number=number)
    assert f"{number!r}: {NUMBER_WORDS}" in errors["screening_number"]


@pytest.mark.requirement("URS-INPUT-001")
@pytest.mark.parametrize("initials", BAD_INITIALS)
def test_full_clean_refuses_initials_that_are_not_1_to_5_letters(initials):
    assert INITIALS_WORDS in full_clean_errors(initials=initials)["initials"]


@pytest.mark.parametrize("number, initials", [("NLX-S-001", "WXL"), ("a.b_c-9", "w"), ("N" * 40, ""),
                                              ("newer", "ABCDE")])
def test_full_clean_takes_good_ones(number, initials):
    assert full_clean_errors(screening_number=number, initials=initials) == {}


@pytest.mark.requirement("URS-CAND-006", "URS-INPUT-001")
def test_the_words_are_translated_as_before():
    with translation.override("zh-hans"):
        errors = full_clean_errors(screening_number="NLX/001", initials="W1")
        number_words = translation.gettext("%(number)s: use letters, digits, “-”, “_” or “.” (e.g. NLX-S-013)")
        initials_words = translation.gettext(INITIALS_WORDS)
    assert number_words != "%(number)s: " + NUMBER_WORDS and initials_words != INITIALS_WORDS
    assert errors == {"screening_number": [number_words % {"number": "'NLX/001'"}], "initials": [initials_words]}


@pytest.mark.requirement("URS-INPUT-001")
@pytest.mark.parametrize("initials", BAD_INITIALS)
def test_the_candidate_form_refuses_bad_initials_beside_the_field(client_for, initials):
    response = client_for("coordinator").post("/candidates/new/", form_data(eligible_record(initials=initials)))
    assert response.status_code == 200 and not Candidate.objects.exists()
    assert (response.context["entry"].form.errors["initials"]) == [INITIALS_WORDS]


@pytest.mark.requirement("URS-CAND-006")
@pytest.mark.parametrize("number", ["NLX/001", "preview", "has space"])
def test_the_candidate_form_refuses_a_bad_screening_number_beside_the_field(client_for, number):
    response = client_for("coordinator").post("/candidates/new/", form_data(eligible_record(screening_number=number)))
    assert response.status_code == 200 and not Candidate.objects.exists()
    assert response.context["entry"].form.errors["screening_number"] == [f"{number!r}: {NUMBER_WORDS}"]


@pytest.mark.requirement("URS-CAND-006", "URS-INPUT-001")
def test_the_service_refuses_them_with_the_same_words():
    with pytest.raises(InvalidRecord) as error:
        save_candidate(record=eligible_record(initials="W1"))
    assert (error.value.field, error.value.message) == ("initials", INITIALS_WORDS)
    assert not Candidate.objects.exists()


@pytest.mark.requirement("URS-CAND-006", "URS-INPUT-001")
def test_the_admins_candidate_form_refuses_them_and_its_add_is_refused(client, users):
    users["admin"].is_superuser = True
    users["admin"].save()
    request = RequestFactory().get("/admin/screening/candidate/add/")
    request.user = users["admin"]
    form_class = admin.site._registry[Candidate].get_form(
        request, fields=["screening_number", "initials", "screening_date"])
    form = form_class({"screening_number": "NLX/001", "initials": "W1", "screening_date": "2026-03-02"})
    assert not form.is_valid()
    assert form.errors["screening_number"] == [f"'NLX/001': {NUMBER_WORDS}"]
    assert form.errors["initials"] == [INITIALS_WORDS]
    good = form_class({"screening_number": "NLX-S-001", "initials": "WXL", "screening_date": "2026-03-02"})
    assert good.is_valid(), good.errors
    client.force_login(users["admin"])  # and clinical data is never added there
    response = client.post("/admin/screening/candidate/add/", {"screening_number": "NLX-S-001",
                                                              "screening_date": "2026-03-02"})
    assert response.status_code == 403 and not Candidate.objects.exists()
