"""URL × role matrix for the sign-off, audit and log pages."""

import pytest

from screening.models import AuditEvent, Candidate, Signature

pytestmark = pytest.mark.django_db

ROLES = ["coordinator", "investigator", "monitor", "admin", "norole"]
ALL = {"coordinator", "investigator", "monitor", "admin"}
ALLOWED = {
    "/candidates/NLX-S-001/sign/": {"investigator", "admin"},
    "/candidates/NLX-S-001/enrol/": {"coordinator", "admin"},
    "/candidates/NLX-S-001/close/": {"coordinator", "admin"},
    "/candidates/NLX-S-001/rescreen/": {"coordinator", "admin"},
    "/candidates/NLX-S-001/evaluations/": ALL,
    "/candidates/NLX-S-001/audit/": {"investigator", "monitor", "admin"},
    "/candidates/NLX-S-001/audit.csv": {"investigator", "monitor", "admin"},
    "/log/": ALL,
    "/log/consort/": ALL,
}
ACTIONS = [url for url in ALLOWED if url.rstrip("/").rsplit("/", 1)[-1] in ("sign", "enrol", "close", "rescreen")]


@pytest.mark.requirement("URS-ROLE-002", "URS-ROLE-003")
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url", list(ALLOWED))
def test_get(client_for, make_candidate, url, role):
    make_candidate()
    response = client_for(role).get(url)
    assert response.status_code == (200 if role in ALLOWED[url] else 403)


@pytest.mark.requirement("URS-ROLE-005")
@pytest.mark.parametrize("url", list(ALLOWED))
def test_anonymous_users_are_sent_to_log_in(client, make_candidate, url):
    make_candidate()
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.requirement("URS-ROLE-002")
@pytest.mark.parametrize("url, role", [(url, role) for url in ACTIONS for role in ROLES if role not in ALLOWED[url]])
def test_refused_roles_cannot_post_and_nothing_changes(client_for, make_candidate, url, role):
    candidate = make_candidate()
    data = {"evaluation": candidate.latest_evaluation_id, "password": "correct-horse-battery-staple",
            "enrolment_date": "2026-03-03", "state": "declined", "screening_date": "2026-03-20"}
    assert client_for(role).post(url, data).status_code == 403
    candidate.refresh_from_db()
    assert candidate.state == "screening" and Candidate.objects.count() == 1
    assert not Signature.objects.exists() and not AuditEvent.objects.exists()


@pytest.mark.requirement("URS-ROLE-007")
@pytest.mark.parametrize("url", [url.replace("NLX-S-001", "NLX-S-404") for url in ALLOWED if "candidates" in url])
def test_unknown_candidates_are_404_for_allowed_roles(client_for, users, url):
    assert client_for("admin").get(url).status_code == 404
