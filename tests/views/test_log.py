"""The screening log (/log/) and the CONSORT funnel (/log/consort/)."""

import datetime
import re

import pytest
from django.contrib.auth.models import User

from screening.eligibility import PROTOCOL
from screening.models import Candidate, Evaluation, Signature
from screening.selectors.log import consort_funnel
from screening.services import signoff
from screening.services.candidates import save_candidate
from tests.conftest import PASSWORD, eligible_record, with_lab

pytestmark = pytest.mark.django_db


def sign(candidate, user):
    candidate.refresh_from_db()
    signoff.sign(candidate=candidate, user=user, password=PASSWORD, evaluation_id=candidate.latest_evaluation_id)


def failing(make_candidate, number, **labs):
    record = eligible_record(screening_number=number)
    for test, value in labs.items():
        with_lab(record, test, value=value)
    return make_candidate(**record)


def bulk_attempts(count, signer=None):
    """``count`` attempts straight into the tables (fast): a mix of outcomes, a third of them signed."""
    outcomes = [("eligible", ""), ("ineligible", ",anc,platelets,"), ("incomplete", "")]
    candidates = Candidate.objects.bulk_create(
        Candidate(screening_number=f"NLX-B-{n:05d}", initials="AB", sex="male",
                  screening_date=datetime.date(2026, 1, 1) + datetime.timedelta(days=n % 60),
                  date_of_birth=datetime.date(1960, 1, 1))
        for n in range(count)
    )
    evaluations = Evaluation.objects.bulk_create(
        Evaluation(candidate=candidate, protocol_version="1.0", outcome=outcomes[n % 3][0], criteria=[], input={},
                   input_sha256="0" * 64, failing=outcomes[n % 3][1])
        for n, candidate in enumerate(candidates)
    )
    for candidate, evaluation in zip(candidates, evaluations):
        candidate.latest_evaluation = evaluation
    Candidate.objects.bulk_update(candidates, ["latest_evaluation"])
    if signer:
        Signature.objects.bulk_create(
            Signature(evaluation=evaluation, signed_by=signer, meaning="m", eligible=True, evaluation_sha256="0")
            for evaluation in evaluations[::3]
        )
    return candidates


def numbers_in(html):
    return re.findall(r"NLX-S-\d{3}(?:-R\d)?", html)


@pytest.fixture
def log_data(users, make_candidate):
    """001 enrolled · 002 fails anc+platelets, signed, closed · 003 fails platelets, signature superseded ·
    004 declined · 005 not enrolled · 006 incomplete, screening."""
    investigator, coordinator = users["investigator"], users["coordinator"]
    enrolled = make_candidate(screening_number="NLX-S-001")
    sign(enrolled, investigator)
    signoff.enrol(candidate=enrolled, user=coordinator)
    both = failing(make_candidate, "NLX-S-002", anc="1.0", platelets="50")
    sign(both, investigator)
    signoff.close(candidate=both, user=coordinator, state="screen_failure")
    platelets = failing(make_candidate, "NLX-S-003", platelets="60")
    sign(platelets, investigator)
    save_candidate(record=with_lab(eligible_record(screening_number="NLX-S-003"), "platelets", value="61"),
                   user=coordinator, reason="corrected")
    signoff.close(candidate=make_candidate(screening_number="NLX-S-004"), user=coordinator, state="declined")
    signoff.close(candidate=make_candidate(screening_number="NLX-S-005"), user=coordinator,
                  state="not_enrolled", reason="travel distance")
    make_candidate(screening_number="NLX-S-006", screening_date="2026-03-05", ecog=None)


@pytest.mark.requirement("URS-LOG-001")
def test_the_log_lists_every_attempt_with_its_columns(client_for, log_data):
    response = client_for("monitor").get("/log/")
    assert response.status_code == 200
    html = response.content.decode()
    assert sorted(set(numbers_in(html))) == [f"NLX-S-00{n}" for n in range(1, 7)]
    row = html[html.index("NLX-S-002"):]
    row = row[:row.index("</tr>")]
    for text in ("2026-03-02", "WXL", '<td class="age">64</td>', "Female", "ineligible", "anc, platelets", "signed",
                 "screen failure", "Failing criteria: anc, platelets"):
        assert text in row, text
    enrolled = html[html.index("NLX-S-001"):]
    assert "NLX-001" in enrolled[:enrolled.index("</tr>")]


@pytest.mark.requirement("URS-LOG-001")
@pytest.mark.parametrize("query, expected", [
    ("outcome=ineligible", ["NLX-S-002", "NLX-S-003"]),
    ("outcome=incomplete", ["NLX-S-006"]),
    ("failing=anc", ["NLX-S-002"]),
    ("failing=platelets", ["NLX-S-002", "NLX-S-003"]),
    ("state=enrolled", ["NLX-S-001"]),
    ("state=not_enrolled", ["NLX-S-005"]),
    ("signoff=signed", ["NLX-S-001", "NLX-S-002"]),
    ("signoff=superseded", ["NLX-S-003"]),
    ("signoff=unsigned", ["NLX-S-004", "NLX-S-005", "NLX-S-006"]),
    ("screened_from=2026-03-03", ["NLX-S-006"]),
    ("screened_to=2026-03-02", ["NLX-S-001", "NLX-S-002", "NLX-S-003", "NLX-S-004", "NLX-S-005"]),
    ("screened_from=2026-03-02&screened_to=2026-03-02&outcome=eligible", ["NLX-S-001", "NLX-S-004", "NLX-S-005"]),
])
def test_filters(client_for, log_data, query, expected):
    html = client_for("investigator").get(f"/log/?{query}").content.decode()
    assert sorted(set(numbers_in(html))) == expected


@pytest.mark.requirement("URS-LOG-001")
def test_a_bad_filter_value_is_a_message_naming_the_field_not_a_500(client_for, log_data):
    response = client_for("coordinator").get("/log/?screened_from=2026-13-45&outcome=maybe")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Enter a valid date" in html and "Select a valid choice" in html


@pytest.mark.requirement("URS-UI-004")
@pytest.mark.parametrize("count", [3, 120, 5000])
def test_the_log_uses_a_constant_number_of_queries(client_for, users, django_assert_max_num_queries, count):
    bulk_attempts(count, signer=users["investigator"])
    client = client_for("monitor")
    # session, user, roles, count, page, session save (3 with its savepoint): the same for any count;
    # plus the navigation bar's work counts (issue 16): their data stamp, and on a cache miss the queue (8).
    with django_assert_max_num_queries(18):
        response = client.get("/log/?outcome=ineligible&signoff=unsigned")
    assert response.status_code == 200 and "NLX-B-" in response.content.decode()
    with django_assert_max_num_queries(18):
        assert client.get("/log/?page=2&sort=outcome").status_code == 200


@pytest.mark.requirement("URS-LOG-002")
def test_consort_numbers_add_up(log_data, users, make_candidate):
    # Issue 13: 003 is ineligible and still open; it counts as not meeting the criteria (and apart as open).
    funnel = consort_funnel()
    assert (funnel.assessed, funnel.excluded, funnel.enrolled, funnel.screening) == (6, 4, 1, 1)
    assert (funnel.not_meeting, funnel.ineligible_open, funnel.declined, funnel.other) == (2, 1, 1, 1)
    assert funnel.failing == [("anc", PROTOCOL.criterion("anc").label, 1),
                              ("platelets", PROTOCOL.criterion("platelets").label, 2)]
    assert PROTOCOL.criterion("platelets").label == "Platelet count ≥ 100 ×10⁹/L"
    assert funnel.adds_up


@pytest.mark.requirement("URS-LOG-002")
def test_consort_counts_a_rescreened_person_once_at_the_latest_attempt(users, make_candidate):
    first = failing(make_candidate, "NLX-S-014", platelets="50")
    signoff.close(candidate=first, user=users["coordinator"], state="screen_failure")
    signoff.rescreen(candidate=first, user=users["coordinator"], screening_date=datetime.date(2026, 3, 20))
    funnel = consort_funnel()
    assert (funnel.attempts, funnel.assessed, funnel.not_meeting, funnel.screening) == (2, 1, 0, 1)
    assert funnel.failing == [] and funnel.adds_up


@pytest.mark.requirement("URS-LOG-002", "URS-OUT-004")
def test_consort_counts_every_ineligible_person_and_those_still_open_apart(users, make_candidate):
    """Issue 13: eight ineligible candidates, none closed yet, are eight not meeting the criteria."""
    for number in range(8):
        failing(make_candidate, f"NLX-S-02{number}", platelets="50")
    make_candidate(screening_number="NLX-S-030")  # eligible, open: in progress
    closed = failing(make_candidate, "NLX-S-031", anc="1.0")
    signoff.close(candidate=closed, user=users["coordinator"], state="screen_failure")
    funnel = consort_funnel()
    assert (funnel.not_meeting, funnel.ineligible_open, funnel.screening, funnel.excluded) == (9, 8, 1, 9)
    assert [(criterion, count) for criterion, _, count in funnel.failing] == [("anc", 1), ("platelets", 8)]
    assert funnel.adds_up


@pytest.mark.requirement("URS-LOG-002")
def test_the_consort_page_shows_the_numbers(client_for, log_data):
    html = client_for("monitor").get("/log/consort/").content.decode()
    counts = dict(re.findall(r'data-count="(\w+)">(\d+)<', html))
    assert counts == {"assessed": "6", "excluded": "4", "not_meeting": "2", "ineligible_open": "1", "declined": "1",
                      "other": "1", "screening": "1", "enrolled": "1"}
    assert re.findall(r'data-criterion="(\w+)">(\d+)<', html) == [("anc", "1"), ("platelets", "2")]
    assert "do not add up" not in html


@pytest.mark.requirement("URS-UI-004")
def test_the_consort_page_uses_a_constant_number_of_queries(client_for, users, django_assert_max_num_queries):
    bulk_attempts(90)
    client = client_for("monitor")
    with django_assert_max_num_queries(18):  # 9, and the navigation bar's work counts (issue 16)
        assert client.get("/log/consort/").status_code == 200


@pytest.mark.requirement("URS-LOG-001", "URS-ELIG-004")
def test_log_ages_use_completed_years(client_for, users, make_candidate):
    make_candidate(screening_number="NLX-S-010", date_of_birth="1961-03-02")  # birthday on the screening date
    make_candidate(screening_number="NLX-S-011", date_of_birth="1961-03-03")  # one day short
    html = client_for("monitor").get("/log/").content.decode()
    ages = re.findall(r'(NLX-S-01\d)</a></td>.*?<td class="age">(\d+)</td>', html, re.S)
    assert dict(ages) == {"NLX-S-010": "65", "NLX-S-011": "64"}


@pytest.mark.requirement("URS-ROLE-005")
def test_nobody_without_a_login_reads_the_log(client):
    assert client.get("/log/").status_code == 302
    assert User.objects.count() == 0


@pytest.mark.requirement("URS-LOG-001", "URS-OUT-004")
def test_the_log_names_failing_criteria_by_their_labels(client_for, log_data):
    """Issue 13: the failing-criteria cell reads the criteria's labels, not their ids."""
    html = client_for("monitor").get("/log/").content.decode()
    row = html[html.index("NLX-S-002"):]
    row = row[:row.index("</tr>")]
    cells = re.findall(r'<span class="log-criterion" data-criterion="(\w+)">([^<]+)</span>', row)
    assert cells == [("anc", PROTOCOL.criterion("anc").label), ("platelets", "Platelet count ≥ 100 ×10⁹/L")]
