"""Low findings of the assessment: each request, sent as the attacker sent it, now gets a clear answer.

- /log/?per_page=-1 and a NUL in a URL gave 500s; per_page had no upper bound;
- an anonymous 100 MB upload to the login page was parsed; closure reasons of 1.9 MB were accepted;
- pages and files with patient data had no Cache-Control: no-store;
- DEBUG was on when the variable was missing;
- one admin could enter, sign and enrol the same candidate.
"""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from screening.free_text import REASON_MAX_LENGTH
from screening.models import Candidate, Signature
from screening.services import signoff
from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.django_db


@pytest.mark.requirement("URS-SEC-009")
@pytest.mark.parametrize("url", ["/log/?per_page=-1", "/log/?per_page=0", "/log/?per_page=100000"])
def test_per_page_is_bounded(client_for, make_candidate, url):
    make_candidate()
    response = client_for("monitor").get(url)
    assert response.status_code == 200
    assert response.context["table"].paginator.per_page in (1, 25, 100)


@pytest.mark.requirement("URS-SEC-009", "URS-INPUT-010")
@pytest.mark.parametrize("url", ["/candidates/NLX%00/", "/candidates/NLX%00/audit.csv", "/log/?outcome=%00",
                                 "/candidates/NLX-S-001%0A/"])
def test_a_control_character_in_the_address_is_a_400(client_for, url):
    response = client_for("admin").get(url)
    assert response.status_code == 400
    assert "control character" in response.content.decode()


@pytest.mark.requirement("URS-SEC-009")
def test_an_anonymous_large_upload_is_refused_before_it_is_parsed(client, settings):
    body = b"x" * (settings.ANONYMOUS_BODY_MAX_BYTES + 1)
    response = client.generic("POST", "/accounts/login/", body,
                              content_type="multipart/form-data; boundary=zzz")
    assert response.status_code == 413
    assert not hasattr(response.wsgi_request, "_files")  # never parsed


@pytest.mark.requirement("URS-SEC-009")
def test_a_logged_in_upload_above_the_limit_is_refused(client_for, settings):
    settings.REQUEST_BODY_MAX_BYTES = settings.ANONYMOUS_BODY_MAX_BYTES + 10
    response = client_for("coordinator").generic(
        "POST", "/candidates/new/", b"y" * (settings.REQUEST_BODY_MAX_BYTES + 1),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 413


@pytest.mark.requirement("URS-SEC-009")
def test_the_login_form_still_works(client, users):
    response = client.post("/accounts/login/", {"username": "coordinator", "password": PASSWORD})
    assert response.status_code == 302


@pytest.mark.requirement("URS-SEC-009")
@pytest.mark.parametrize("url", ["/candidates/", "/candidates/NLX-S-001/", "/candidates/NLX-S-001/audit.csv",
                                 "/candidates/NLX-S-001/checklist.pdf", "/log/"])
def test_pages_and_files_with_patient_data_are_not_stored(client_for, make_candidate, url):
    make_candidate()
    response = client_for("investigator").get(url)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


@pytest.mark.requirement("URS-SEC-009")
def test_a_closure_reason_is_length_limited(client_for, make_candidate):
    candidate = make_candidate()
    response = client_for("coordinator").post(
        f"/candidates/{candidate.screening_number}/close/",
        {"state": "not_enrolled", "reason": "r" * (REASON_MAX_LENGTH + 1)},
    )
    assert response.status_code == 200
    assert f"at most {REASON_MAX_LENGTH} characters" in response.content.decode()
    candidate.refresh_from_db()
    assert candidate.state == "screening"


@pytest.mark.requirement("URS-SEC-009")
def test_the_service_also_limits_the_reason(users, make_candidate):
    candidate = make_candidate()
    with pytest.raises(signoff.Refused) as refused:
        signoff.close(candidate=candidate, user=users["coordinator"], state="not_enrolled",
                      reason="r" * (REASON_MAX_LENGTH + 1))
    assert refused.value.field == "reason"


@pytest.mark.requirement("URS-SIGN-007")
def test_a_signer_cannot_sign_an_evaluation_they_made(users, make_candidate):
    candidate = make_candidate(user=users["admin"])
    with pytest.raises(signoff.Refused) as refused:
        signoff.sign(candidate=candidate, user=users["admin"], password=PASSWORD,
                     evaluation_id=candidate.latest_evaluation_id)
    assert "another investigator must sign" in refused.value.message
    assert not Signature.objects.exists()
    signoff.sign(candidate=candidate, user=users["investigator"], password=PASSWORD,
                 evaluation_id=candidate.latest_evaluation_id)
    assert Signature.objects.count() == 1


@pytest.mark.requirement("URS-SIGN-007")
def test_the_same_person_rule_can_be_switched_off(users, make_candidate, settings):
    settings.SIGNER_MUST_NOT_BE_EVALUATOR = False
    candidate = make_candidate(user=users["admin"])
    signoff.sign(candidate=candidate, user=users["admin"], password=PASSWORD,
                 evaluation_id=candidate.latest_evaluation_id)
    assert Candidate.objects.get().latest_evaluation.signatures.count() == 1


def settings_value(expression, **env):
    clean = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "SECRET_KEY", "DEBUG"))}
    clean.update(env, DJANGO_SETTINGS_MODULE="nalirifox_screen.settings")
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); from django.conf import settings; print({expression})"],
        cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120,
    )


@pytest.mark.requirement("URS-SEC-009", "URS-SEC-005")
def test_debug_fails_closed_when_the_variable_is_missing():
    done = settings_value("settings.DEBUG", SECRET_KEY=secrets.token_urlsafe(50))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"
    without_key = settings_value("settings.DEBUG")
    assert without_key.returncode != 0 and "SECRET_KEY must be set" in without_key.stderr
    assert settings_value("settings.DEBUG", DEBUG="1").stdout.strip() == "True"
