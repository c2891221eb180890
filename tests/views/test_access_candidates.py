"""Every candidate URL x every role: coordinators and admins write, investigators and monitors read,
a user without a role gets the friendly 403 page, anonymous users go to the login page."""

import pytest

from screening.models import Candidate
from tests.conftest import eligible_record
from tests.test_forms import form_data  # noqa: F401

NUMBER = "NLX-S-001"
READ, WRITE = "read", "write"
URLS = [
    ("get", "/candidates/", READ),
    ("get", f"/candidates/{NUMBER}/", READ),
    ("get", f"/candidates/{NUMBER}/print/", READ),
    ("get", "/candidates/new/", WRITE),
    ("post", "/candidates/new/", WRITE),
    ("get", f"/candidates/{NUMBER}/edit/", WRITE),
    ("post", f"/candidates/{NUMBER}/edit/", WRITE),
    ("post", "/candidates/new/preview/", WRITE),
    ("post", f"/candidates/{NUMBER}/preview/", WRITE),
]
ALLOWED = {
    READ: {"coordinator", "investigator", "monitor", "admin"},
    WRITE: {"coordinator", "admin"},
}
ROLES = ["coordinator", "investigator", "monitor", "admin", "norole", "anonymous"]


@pytest.mark.requirement("URS-ROLE-001", "URS-ROLE-005")
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "url", "kind"), URLS, ids=[f"{m} {u}" for m, u, _ in URLS])
def test_url_by_role(client, users, make_candidate, method, url, kind, role):
    make_candidate()
    if role != "anonymous":
        client.force_login(users[role])
    data = form_data(eligible_record(screening_number="NLX-S-777")) if method == "post" else None
    response = getattr(client, method)(url, data)
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(f"/accounts/login/?next={url}")
    elif role in ALLOWED[kind]:
        assert response.status_code in (200, 302)
    else:
        assert response.status_code == 403
        assert "You do not have access to this page" in response.content.decode()
    if role not in ALLOWED[WRITE]:
        assert not Candidate.objects.filter(screening_number="NLX-S-777").exists()


@pytest.mark.requirement("URS-ROLE-005")
def test_a_user_without_role_is_told_to_ask_for_one(client_for, users):
    page = client_for("norole").get("/candidates/").content.decode()
    assert "have no study role yet" in page


@pytest.mark.requirement("URS-ROLE-008")
def test_readers_do_not_see_the_edit_button(client_for, make_candidate):
    make_candidate()
    edit_link = f'href="/candidates/{NUMBER}/edit/"'
    assert edit_link not in client_for("investigator").get(f"/candidates/{NUMBER}/").content.decode()
    assert edit_link in client_for("admin").get(f"/candidates/{NUMBER}/").content.decode()
