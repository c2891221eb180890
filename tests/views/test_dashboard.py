"""The trial dashboard: stage decisions in plain words, charts with text alternatives, numbers that
match the screening log."""

import csv
import io
import re
from collections import Counter
from datetime import date

import pytest

from screening import vocabulary
from screening.eligibility import CRITERIA, PROTOCOL
from screening.models import Candidate, EndpointAssessment, Evaluation

pytestmark = pytest.mark.django_db


def attempt(number, screened, *, state="screening", failing=(), outcome=None, subject=None, enrolled=None,
            dfs=None, assessed_on=None):
    """A screening attempt made directly with the ORM (with a latest evaluation unless outcome is None)."""
    candidate = Candidate.objects.create(
        screening_number=number, initials="AB", screening_date=screened, state=state,
        subject_number=subject, enrolment_date=enrolled, date_of_birth=date(1960, 1, 1), sex="male",
    )
    if outcome or failing:
        criteria = [
            {"id": c.id, "label": c.label, "status": "fail" if c.id in failing else "pass", "detail": "", "notes": []}
            for c in CRITERIA
        ]
        evaluation = Evaluation.objects.create(
            candidate=candidate, protocol_version="1.0", outcome=outcome or "ineligible", criteria=criteria,
            input={}, input_sha256="0" * 64, failing=f",{','.join(failing)}," if failing else "",
        )
        Candidate.objects.filter(pk=candidate.pk).update(latest_evaluation=evaluation)
    if dfs:
        EndpointAssessment.objects.create(candidate=candidate, dfs_6_month=dfs, assessed_on=assessed_on)
    return candidate


def enrol(count, *, responders=0, non_responders=0, start=1):
    """``count`` enrolled subjects NLX-001…; the first ``responders`` yes, the next ``non_responders`` no."""
    for index in range(start, start + count):
        position = index - start
        dfs = "yes" if position < responders else "no" if position < responders + non_responders else None
        attempt(
            f"NLX-S-{index:03d}", date(2025, 1 + position % 12, 5), state="enrolled", outcome="eligible",
            subject=f"NLX-{index:03d}", enrolled=date(2025, 1 + position % 12, 10),
            dfs=dfs, assessed_on=date(2025, 12, 20) if dfs else None,
        )


def page(client_for, role="investigator"):
    response = client_for(role).get("/dashboard/")
    assert response.status_code == 200
    return response, " ".join(response.content.decode().split())


@pytest.mark.requirement("URS-DASH-002")
def test_stage_1_still_possible_in_plain_words(client_for):
    enrol(9, responders=4, non_responders=1)
    _, content = page(client_for)
    assert (
        "Stage 1: 9 of 12 enrolled, 5 evaluated, 4 reached 6-month DFS; 7 needed to continue; still possible"
        in content
    )
    assert "Stage 1 still possible" in content
    assert "3 more of the 7 pending (4 awaiting assessment, 3 not yet enrolled) must reach 6-month DFS." in content
    assert "Overall: 9 of 28 enrolled" in content


@pytest.mark.requirement("URS-DASH-002")
def test_stage_1_passed(client_for):
    enrol(12, responders=7, non_responders=5)
    _, content = page(client_for)
    assert "Stage 1 passed" in content
    assert "Stage 1: 12 of 12 enrolled, 12 evaluated, 7 reached 6-month DFS" in content


@pytest.mark.requirement("URS-DASH-002")
def test_stage_1_cannot_pass_any_more_and_the_trial_stops(client_for):
    enrol(10, responders=2, non_responders=6)  # 2 responders + 4 pending (2 awaiting, 2 open) = 6 at most
    _, content = page(client_for)
    assert "Stage 1 cannot pass any more" in content
    assert "Trial stops after stage 1" in content


@pytest.mark.requirement("URS-DASH-002")
@pytest.mark.parametrize("decision, counts", [("possible", (9, 4, 1)), ("passed", (12, 7, 5)),
                                              ("cannot_pass", (10, 2, 6)), ("stopped", (10, 2, 6))])
def test_each_decision_shows_its_tone_and_icon_from_the_vocabulary(client_for, decision, counts):
    count, responders, non_responders = counts
    enrol(count, responders=responders, non_responders=non_responders)
    _, content = page(client_for)
    entry = vocabulary.STATUSES["decision"][decision]  # not term(): its fallback would hide a removed decision
    card = 1 if decision != "stopped" else 2  # stage 1's card, or the overall one
    assert (f'stage-card stage-{entry.tone}" aria-labelledby="stage-{card}-headline"' in content
            and f'text-{entry.tone}" id="stage-{card}-headline"><i class="bi {entry.icon}" aria-hidden="true">'
            in content), decision


@pytest.mark.requirement("URS-DASH-002")
def test_dashboard_without_data(client_for):
    _, content = page(client_for)
    assert (
        "Stage 1: 0 of 12 enrolled, 0 evaluated, 0 reached 6-month DFS; 7 needed to continue; still possible"
        in content
    )
    assert "No screening attempts yet" in content
    assert "No subject enrolled yet." in content


@pytest.fixture
def mixed_log():
    """Attempts over three months: enrolled, screen failures (one failing two criteria), open, declined."""
    enrol(3, responders=1)  # Jan, Feb, Mar 2025
    attempt("NLX-S-101", date(2025, 1, 20), state="screen_failure", failing=("platelets",))
    attempt("NLX-S-102", date(2025, 3, 2), state="screen_failure", failing=("platelets", "ecog"))
    attempt("NLX-S-103", date(2025, 3, 15), failing=("anc",))  # still screening, currently ineligible
    attempt("NLX-S-104", date(2025, 3, 16), outcome="incomplete")
    attempt("NLX-S-105", date(2025, 5, 1), state="declined", outcome="eligible")  # April stays, with zeros


@pytest.mark.requirement("URS-DASH-002")
def test_numbers_match_the_screening_log(client_for, mixed_log):
    response, content = page(client_for)
    log = client_for("admin").post(
        "/exports/", {"dataset": "screening_log", "format": "csv", "identification": "identified"}
    )
    rows = list(csv.DictReader(io.StringIO(b"".join(log.streaming_content).decode("utf-8-sig"))))
    assert len(rows) == 8

    screened = Counter(row["screening_date"][:7] for row in rows)
    enrolled = Counter(row["enrolment_date"][:7] for row in rows if row["state"] == "enrolled")
    months = response.context["months"]
    assert [row.label for row in months] == ["2025-01", "2025-02", "2025-03", "2025-04", "2025-05"]
    assert {row.label: row.screened for row in months if row.screened} == dict(screened)
    assert {row.label: row.enrolled for row in months if row.enrolled} == dict(enrolled)
    assert months[-1].cumulative_enrolled == sum(enrolled.values()) == 3

    failures = Counter(
        criterion for row in rows if row["state"] == "screen_failure"
        for criterion in row["failing_criteria"].split(";")
    )
    still_open = Counter(
        criterion for row in rows if row["state"] == "screening" and row["failing_criteria"]
        for criterion in row["failing_criteria"].split(";")
    )
    reasons = response.context["reasons"]
    assert {reason.criterion: reason.screen_failures for reason in reasons if reason.screen_failures} == dict(failures)
    assert {
        reason.criterion: reason.open_ineligible for reason in reasons if reason.open_ineligible
    } == dict(still_open)
    assert [reason.criterion for reason in reasons] == ["ecog", "anc", "platelets"]  # protocol order

    states = Counter(row["state"] for row in rows)
    assert response.context["states"] == {
        state: states.get(state, 0) for state in ("screening", "enrolled", "screen_failure", "declined", "not_enrolled")
    }
    assert '<div class="tile-value">8</div><div class="tile-label">screening attempts</div>' in content
    # The data tables (the charts' text alternatives) carry the same numbers.
    assert '<tr><th scope="row">2025-03</th><td>4</td><td>1</td></tr>' in content
    assert '<tr><th scope="row">2025-04</th><td>0</td><td>0</td></tr>' in content
    platelets = PROTOCOL.criterion("platelets").label  # built from the protocol's threshold
    assert f'<tr><th scope="row">{platelets}</th><td>2</td><td>0</td></tr>' in content


@pytest.mark.requirement("URS-SEC-004")
def test_charts_are_svg_with_text_alternatives_and_no_inline_script_or_style(client_for, mixed_log):
    response, content = page(client_for)
    html = response.content.decode()
    for chart in ("monthly", "cumulative", "failures"):
        assert f'aria-labelledby="{chart}-title {chart}-desc"' in html
        assert f'<title id="{chart}-title">' in html and f'<desc id="{chart}-desc">' in html
        assert f'id="{chart}-table"' in html
    assert "2025-03: 4 screened, 1 enrolled." in content
    assert "Target: 28" in content or "Total: 28" in content
    assert "Stage 1: 12" in content
    assert "style=" not in html
    assert not re.search(r"\son[a-z]+=", html)
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert "http://" not in html and "https://" not in html  # no CDN


@pytest.mark.requirement("URS-ROLE-008")
def test_subject_table_shows_endpoint_and_edit_links_for_editors(client_for):
    enrol(2, responders=1)
    _, content = page(client_for, "coordinator")
    assert 'id="subject-NLX-001"' in content
    assert "Yes" in content and "Not yet evaluable" in content
    assert "/dashboard/subjects/NLX-S-001/dfs/" in content
    _, content = page(client_for, "monitor")
    assert "/dashboard/subjects/NLX-S-001/dfs/" not in content


@pytest.mark.requirement("URS-UI-004")
def test_dashboard_queries_do_not_grow_with_subjects(client_for, django_assert_max_num_queries):
    enrol(3, responders=1)
    client = client_for("investigator")
    client.get("/dashboard/")
    # 12, and issue 16's SDV progress (up to 9) and open queries (1), and the navigation's work counts (up to 9)
    with django_assert_max_num_queries(31):
        client.get("/dashboard/")
    enrol(25, responders=10, start=4)
    with django_assert_max_num_queries(31):
        client.get("/dashboard/")
