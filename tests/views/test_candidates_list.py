"""The candidate list: columns, search, filters, sorting, pagination, constant query count."""

import pytest

from bench.pages import clone_candidates
from tests.conftest import eligible_record, with_lab

LIST = "/candidates/"


@pytest.fixture
def screened(make_candidate):
    """Three outcomes: eligible, ineligible on platelets (and ANC), incomplete (no ECOG)."""
    make_candidate(screening_number="NLX-S-001", initials="WXL")
    failing = eligible_record(screening_number="NLX-S-002", initials="CYF")
    with_lab(failing, "platelets", value="95")
    with_lab(failing, "anc", value="1.2")
    make_candidate(**failing)
    make_candidate(screening_number="NLX-S-003", initials="LHM", ecog=None)


def numbers(response):
    return [row.record["screening_number"] for row in response.context["table"].page.object_list]


@pytest.mark.requirement("URS-UI-003")
def test_list_shows_outcome_badges_and_counts(client_for, screened):
    response = client_for("monitor").get(LIST)
    page = response.content.decode()
    for word in ("Eligible", "Ineligible", "Incomplete"):
        assert f'outcome-{word.lower()}"><i class="bi' in page and f"</i> {word}</span>" in page
    rows = {row.record["screening_number"]: row.record for row in response.context["table"].page.object_list}
    assert (rows["NLX-S-002"]["failing_count"], rows["NLX-S-002"]["missing_count"]) == (2, 0)
    assert (rows["NLX-S-003"]["failing_count"], rows["NLX-S-003"]["missing_count"]) == (0, 1)
    assert (rows["NLX-S-001"]["failing_count"], rows["NLX-S-001"]["missing_count"]) == (0, 0)
    assert '<span class="count-fail">2</span>' in page
    assert 'href="/candidates/NLX-S-002/"' in page
    assert "2026-03-02" in page  # ISO dates


@pytest.mark.requirement("URS-UI-003")
@pytest.mark.parametrize(("query", "expected"), [("s-002", ["NLX-S-002"]), ("lhm", ["NLX-S-003"]), ("", None)])
def test_search_by_screening_number_or_initials(client_for, screened, query, expected):
    found = numbers(client_for("investigator").get(LIST, {"q": query}))
    assert found == (expected or ["NLX-S-003", "NLX-S-002", "NLX-S-001"])


@pytest.mark.requirement("URS-UI-003")
def test_filter_by_outcome(client_for, screened):
    assert numbers(client_for("coordinator").get(LIST, {"outcome": "incomplete"})) == ["NLX-S-003"]


@pytest.mark.requirement("URS-UI-003")
@pytest.mark.parametrize(("criterion", "expected"),
                         [("anc", ["NLX-S-002"]), ("ecog", []), ("platelets", ["NLX-S-002"])])
def test_filter_by_failing_criterion(client_for, screened, criterion, expected):
    assert numbers(client_for("coordinator").get(LIST, {"failing": criterion})) == expected


@pytest.mark.requirement("URS-UI-003")
def test_sort_by_failing_count_and_screening_number(client_for, screened):
    client = client_for("coordinator")
    assert numbers(client.get(LIST, {"sort": "-failing_count"}))[0] == "NLX-S-002"
    assert numbers(client.get(LIST, {"sort": "screening_number"})) == ["NLX-S-001", "NLX-S-002", "NLX-S-003"]


@pytest.mark.requirement("URS-UI-003")
def test_pagination_and_bounded_page_size(client_for, screened):
    client = client_for("coordinator")
    assert numbers(client.get(LIST, {"per_page": 2, "page": 2, "sort": "screening_number"})) == ["NLX-S-003"]
    for per_page in ("0", "-5", "abc", "100000"):
        assert client.get(LIST, {"per_page": per_page}).status_code == 200


@pytest.mark.requirement("URS-INPUT-010")
@pytest.mark.parametrize("params", [
    {"outcome": "maybe"}, {"failing": "nonsense"}, {"page": "999"}, {"page": "x"}, {"sort": "nonexistent"},
    {"q": "x" * 500}, {"q": "\x00"},
])
def test_bad_query_strings_do_not_crash(client_for, screened, params):
    control = any("\x00" in value for value in params.values())  # refused before the view (request_guards)
    assert client_for("coordinator").get(LIST, params).status_code == (400 if control else 200)


@pytest.mark.requirement("URS-ROLE-008")
def test_new_button_only_for_editors(client_for, screened):
    assert 'href="/candidates/new/"' in client_for("coordinator").get(LIST).content.decode()
    assert 'href="/candidates/new/"' not in client_for("monitor").get(LIST).content.decode()


@pytest.mark.requirement("URS-UI-004")
@pytest.mark.parametrize("count", [10, 1000])
def test_list_and_checklist_use_a_constant_number_of_queries(client_for, make_candidate, count,
                                                              django_assert_max_num_queries):
    template = make_candidate()
    clone_candidates(template, count - 1)
    client = client_for("coordinator")
    client.get(LIST)  # warm the session
    # 8, plus the page's open-query counts and SDV progress (1) and the navigation counts' data stamp (1)
    with django_assert_max_num_queries(10):
        response = client.get(LIST, {"sort": "-failing_count"})
    assert response.context["table"].paginator.count == count
    with django_assert_max_num_queries(19):  # the sign-off panel's and the monitoring panel's own queries
        assert client.get("/candidates/NLX-S-001/").status_code == 200
    with django_assert_max_num_queries(9):  # the lab import's "imported" marks (1), the navigation counts' stamp (1)
        assert client.get("/candidates/NLX-S-001/print/").status_code == 200
