"""Dates ISO and the decimal point "." in both languages; typed Chinese dates parse."""

from datetime import date

import pytest
from django import forms
from django.utils import formats, translation

from screening.forms import CandidateForm

pytestmark = pytest.mark.requirement("URS-I18N-004")

TYPED = {"2026-03-02": date(2026, 3, 2), "2026/03/02": date(2026, 3, 2), "2026/3/2": date(2026, 3, 2),
         "2026年3月2日": date(2026, 3, 2), "2026年03月02日": date(2026, 3, 2)}


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("typed", TYPED)
def test_date_fields_accept_iso_slashes_and_chinese(language, typed, db):
    with translation.override(language):
        assert forms.DateField().clean(typed) == TYPED[typed]
        form = CandidateForm({"screening_number": "NLX-S-900", "screening_date": typed})
        assert form.is_valid(), form.errors
        assert form.cleaned_data["screening_date"] == TYPED[typed]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("typed", ["2026年13月2日", "2026/02/30", "02/03/2026", "3月2日"])
def test_impossible_or_ambiguous_dates_are_refused_with_a_message(language, typed, db):
    with translation.override(language):
        form = CandidateForm({"screening_number": "NLX-S-900", "screening_date": typed})
        assert not form.is_valid() and form.errors["screening_date"]


def test_djangos_invalid_zh_hans_directive_is_not_used():
    with translation.override("zh-hans"):
        assert all("%n" not in f and "%j" not in f for f in formats.get_format("DATE_INPUT_FORMATS"))


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_dates_times_and_numbers_display_the_same_in_both_languages(language, settings):
    from datetime import datetime
    from decimal import Decimal
    from zoneinfo import ZoneInfo

    with translation.override(language):
        assert formats.date_format(date(2026, 3, 2)) == "2026-03-02"
        moment = datetime(2026, 3, 2, 1, 30, tzinfo=ZoneInfo("UTC")).astimezone(ZoneInfo(settings.TIME_ZONE))
        assert formats.date_format(moment, "DATETIME_FORMAT") == "2026-03-02 09:30"
        assert formats.number_format(Decimal("1.42")) == "1.42"
        assert formats.localize(Decimal("1234.5")) == "1234.5"


def test_chinese_date_typed_into_the_candidate_form_is_saved(chinese, client_for):
    from screening.models import Candidate

    client = client_for("coordinator")
    response = client.post("/candidates/new/", {
        "screening_number": "NLX-S-901", "screening_date": "2026年3月2日", "consent_signed_on": "2026/03/01",
        **{f"{prefix}-{key}": value for prefix in ("lesions", "labs", "pregnancy_tests")
           for key, value in (("TOTAL_FORMS", "0"), ("INITIAL_FORMS", "0"))},
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    candidate = Candidate.objects.get(screening_number="NLX-S-901")
    assert candidate.screening_date == date(2026, 3, 2) and candidate.consent_signed_on == date(2026, 3, 1)
