"""The enrolment service's own refusals (``services.signoff.enrol``) in the reader's language: an override
reason a coordinator may not give, or an administrator's that is not needed, sent as crafted POSTs."""

import html

import pytest

from screening.models import Candidate, SubjectNumberCounter
from tests.services.test_signoff_enrolment import TODAY, sign, snapshot

pytestmark = pytest.mark.django_db

LANGUAGES = {"en": "en", "zh": "zh-hans"}
NOT_YOURS = {
    "en": "Override reason: enrolling beyond the 28 planned subjects is an administrator's override; "
          "your role cannot give one.",
    "zh": "越权原因：超出计划的 28 例受试者入组属于管理员的越权操作；您的角色不能填写。",
}
NOT_NEEDED = {
    "en": "Override reason: no override is needed within the 28 planned subjects; leave it empty.",
    "zh": "越权原因：计划的 28 例受试者以内无需越权；请留空。",
}


def post_override(client, candidate, language):
    response = client.post(f"/candidates/{candidate.screening_number}/enrol/",
                           {"enrolment_date": TODAY.isoformat(), "override_reason": "the sponsor agreed"},
                           HTTP_ACCEPT_LANGUAGE=LANGUAGES[language])
    assert response.status_code == 200
    return html.unescape(response.content.decode())


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_coordinators_override_is_refused_in_the_readers_language(client_for, users, make_candidate, language):
    candidate = make_candidate()
    sign(candidate, users["investigator"])
    SubjectNumberCounter.objects.update_or_create(pk=1, defaults={"last_number": 28})
    before = snapshot(candidate)
    assert NOT_YOURS[language] in post_override(client_for("coordinator"), candidate, language)
    assert snapshot(candidate) == before


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_unneeded_override_is_refused_in_the_readers_language(client_for, users, make_candidate, language):
    candidate = make_candidate()
    sign(candidate, users["investigator"])
    before = snapshot(candidate)
    assert NOT_NEEDED[language] in post_override(client_for("admin"), candidate, language)
    assert snapshot(candidate) == before
    assert Candidate.objects.get(pk=candidate.pk).subject_number is None
