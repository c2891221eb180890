"""URL × role matrix for the work queue, queries and source-data verification (issue 16), by sending requests."""

import pytest

from screening.models import AuditEvent, Query, QueryMessage, Verification
from screening.services import queries

pytestmark = [pytest.mark.django_db, pytest.mark.requirement("URS-ROLE-005", "URS-ROLE-007", "URS-QRY-001", "URS-SDV-001")]

ROLES = ["coordinator", "investigator", "monitor", "admin", "norole"]
ALL = {"coordinator", "investigator", "monitor", "admin"}
GET_ALLOWED = {
    "/": ALL,
    "/queries/": ALL,
    "/queries/{query}/": ALL,
    "/candidates/NLX-S-001/source/": ALL,
    "/candidates/NLX-S-001/queries/new/?item=ecog": {"investigator", "monitor", "admin"},
}
POST_ALLOWED = {
    "/candidates/NLX-S-001/queries/new/": {"investigator", "monitor", "admin"},
    "/queries/{query}/answer/": {"coordinator", "investigator", "admin"},
    "/queries/{query}/close/": {"investigator", "monitor", "admin"},
    "/queries/{query}/reopen/": {"investigator", "monitor", "admin"},
    "/candidates/NLX-S-001/source/verify/": {"monitor", "admin"},
}


@pytest.fixture
def query(make_candidate, users):
    return queries.raise_query(candidate=make_candidate(), item="ecog", text="check", user=users["monitor"])


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url", list(GET_ALLOWED))
def test_get(client_for, query, url, role):
    response = client_for(role).get(url.format(query=query.pk))
    assert response.status_code == (200 if role in GET_ALLOWED[url] else 403)


@pytest.mark.parametrize("url", list(GET_ALLOWED) + list(POST_ALLOWED))
def test_anonymous_users_are_sent_to_log_in(client, query, url):
    response = client.get(url.format(query=query.pk))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("url, role", [(url, role) for url in POST_ALLOWED for role in ROLES
                                       if role not in POST_ALLOWED[url]])
def test_refused_roles_cannot_post_and_nothing_changes(client_for, query, url, role):
    events = AuditEvent.objects.count()
    data = {"item": "ecog", "text": "x", "assigned_role": "coordinator", "version": 1, "value": "0",
            "all": "1", "fp:ecog": "0" * 64}
    assert client_for(role).post(url.format(query=query.pk), data).status_code == 403
    query.refresh_from_db()
    assert query.state == "open" and Query.objects.count() == 1 and QueryMessage.objects.count() == 1
    assert not Verification.objects.exists() and AuditEvent.objects.count() == events


@pytest.mark.parametrize("url", [url for url in POST_ALLOWED if "{query}" in url])
def test_actions_are_post_only(client_for, query, url):
    assert client_for("admin").get(url.format(query=query.pk)).status_code == 405


@pytest.mark.parametrize("url", ["/queries/999999/", "/candidates/NLX-S-404/source/",
                                 "/candidates/NLX-S-404/queries/new/?item=ecog"])
def test_unknown_objects_are_404(client_for, query, url):
    assert client_for("admin").get(url).status_code == 404


def test_raise_page_for_an_unknown_item_is_404(client_for, query):
    assert client_for("monitor").get("/candidates/NLX-S-001/queries/new/?item=nonsense").status_code == 404
