"""Refusals name a state, an outcome or a criterion by the vocabulary's word, never by its code, in the
reader's language: each is sent as the crafted request that triggers it, in English and in Chinese."""

import datetime
import html

import pytest

from screening.models import Candidate, Signature
from screening.services import signoff
from tests.conftest import PASSWORD, eligible_record

pytestmark = pytest.mark.django_db

LANGUAGES = {"en": "en", "zh": "zh-hans"}


@pytest.fixture
def declined(users, make_candidate):
    """An attempt closed as declined: its label ("Declined to participate") is not its word ("declined")."""
    candidate = make_candidate(screening_number="NLX-S-601")
    return signoff.close(candidate=candidate, user=users["coordinator"], state=Candidate.State.DECLINED)


def page(response, language):
    assert response.status_code in (200, 400), response.status_code
    text = html.unescape(response.content.decode())
    assert f'<html lang="{LANGUAGES[language]}"' in text.replace("zh-Hans", "zh-hans")
    return text


def send(client, language, method, url, data=None):
    return getattr(client, method)(url, data or {}, HTTP_ACCEPT_LANGUAGE=LANGUAGES[language])


@pytest.mark.parametrize("language, message", [
    ("en", "NLX-S-601 is closed (declined)."),
    ("zh", "NLX-S-601 的筛选已结束（拒绝参加）。"),
])
def test_enrolling_a_closed_attempt_names_its_state_by_its_word(client_for, declined, language, message):
    response = send(client_for("coordinator"), language, "post", "/candidates/NLX-S-601/enrol/",
                    {"enrolment_date": declined.screening_date.isoformat()})
    assert message in page(response, language)
    assert Candidate.objects.get(pk=declined.pk).subject_number is None


@pytest.mark.parametrize("language, message", [
    ("en", "NLX-S-601 is already closed (declined)."),
    ("zh", "NLX-S-601 的筛选已结束（拒绝参加）。"),
])
def test_closing_a_closed_attempt_names_its_state_by_its_word(client_for, declined, language, message):
    response = send(client_for("coordinator"), language, "post", "/candidates/NLX-S-601/close/",
                    {"state": "not_enrolled", "reason": "moved away"})
    assert message in page(response, language)
    assert Candidate.objects.get(pk=declined.pk).state == Candidate.State.DECLINED


@pytest.mark.parametrize("language, message", [
    ("en", "Only a screen failure can be re-screened; NLX-S-601 is declined."),
    ("zh", "只有筛选失败者才能重新筛选；NLX-S-601 当前为：拒绝参加。"),
])
def test_rescreening_what_is_not_a_screen_failure_names_its_state_by_its_word(client_for, declined, language,
                                                                            message):
    later = declined.screening_date + datetime.timedelta(days=1)
    response = send(client_for("coordinator"), language, "post", "/candidates/NLX-S-601/rescreen/",
                    {"screening_date": later.isoformat()})
    assert message in page(response, language)
    assert Candidate.objects.count() == 1


@pytest.mark.parametrize("language, message", [
    ("en", "NLX-S-601 is not enrolled (declined): 6-month DFS is recorded for enrolled subjects only."),
    ("zh", "NLX-S-601 未入组（拒绝参加）：仅为已入组受试者记录 6 个月 DFS。"),
])
def test_dfs_for_an_attempt_that_is_not_enrolled_names_its_state_by_its_word(client_for, declined, language,
                                                                           message):
    url = "/dashboard/subjects/NLX-S-601/dfs/"
    for method, data in (("get", None), ("post", {"dfs_6_month": "no", "assessed_on": "2026-03-03"})):
        response = send(client_for("coordinator"), language, method, url, data)
        assert response.status_code == 400 and message in page(response, language), method


@pytest.mark.parametrize("language, message", [
    ("en", "The evaluation is incomplete (criteria missing: ECOG performance status 0–1): complete the data "
           "before signing."),
    ("zh", "评估资料不完整（缺失的入选标准：东部肿瘤协作组体能状态（ECOG）0–1 分）：请补全数据后再签名。"),
])
def test_signing_an_incomplete_evaluation_names_the_missing_criteria_by_their_labels(client_for, make_candidate,
                                                                                   language, message):
    candidate = make_candidate(**eligible_record(screening_number="NLX-S-602", ecog=None))
    response = send(client_for("investigator"), language, "post", "/candidates/NLX-S-602/sign/",
                    {"evaluation": candidate.latest_evaluation_id, "password": PASSWORD})
    text = page(response, language)
    assert message in text and "(criteria missing: ecog)" not in text
    assert not Signature.objects.exists()
