"""URL × role for exports, the PDF checklist and the dashboard: monitors and admins export; every
role reads the dashboard and prints checklists; coordinators and admins record DFS; anonymous users
go to the login page; a user without a role gets 403."""

from datetime import date

import pytest

from screening.models import Candidate

ROLES = ["coordinator", "investigator", "monitor", "admin", "norole"]
LOG_CSV = {"dataset": "screening_log", "format": "csv", "identification": "deidentified", "dates": "shift"}
DFS = {"dfs_6_month": "no", "assessed_on": "2026-03-20", "reason": "matrix"}

# (method, url, data, {role: expected status})
MATRIX = [
    ("get", "/exports/", None, {"monitor": 200, "admin": 200}),
    ("post", "/exports/", LOG_CSV, {"monitor": 200, "admin": 200}),
    ("get", "/exports/data-dictionary.csv", None, {"monitor": 200, "admin": 200}),
    ("get", "/candidates/NLX-S-001/checklist.pdf", None,
     {"coordinator": 200, "investigator": 200, "monitor": 403, "admin": 200}),  # identified: not for monitors
    ("get", "/dashboard/", None, {"coordinator": 200, "investigator": 200, "monitor": 200, "admin": 200}),
    ("get", "/dashboard/subjects/NLX-S-001/dfs/", None, {"coordinator": 200, "admin": 200}),
    ("post", "/dashboard/subjects/NLX-S-001/dfs/", DFS, {"coordinator": 302, "admin": 302}),
]


@pytest.fixture
def subject(make_candidate):
    candidate = make_candidate()
    Candidate.objects.filter(pk=candidate.pk).update(
        state="enrolled", subject_number="NLX-001", enrolment_date=date(2026, 3, 9)
    )
    return candidate


@pytest.mark.requirement("URS-ROLE-003", "URS-ROLE-004")
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("method, url, data, allowed", MATRIX, ids=[f"{m} {u}" for m, u, _, _ in MATRIX])
def test_url_role_matrix(client_for, subject, role, method, url, data, allowed):
    response = getattr(client_for(role), method)(url, data) if data else getattr(client_for(role), method)(url)
    assert response.status_code == allowed.get(role, 403)


@pytest.mark.requirement("URS-ROLE-005")
@pytest.mark.parametrize("method, url, data, allowed", MATRIX, ids=[f"{m} {u}" for m, u, _, _ in MATRIX])
def test_anonymous_goes_to_login(client, subject, method, url, data, allowed):
    response = getattr(client, method)(url, data) if data else getattr(client, method)(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.requirement("URS-ROLE-007")
@pytest.mark.parametrize("url", ["/exports/", "/dashboard/"])
def test_other_methods_are_not_allowed(client_for, url):
    assert client_for("admin").put(url).status_code == 405
