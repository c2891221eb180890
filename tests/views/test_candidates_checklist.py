"""The checklist page, the live preview (htmx, nothing saved) and the print view."""

import re

import pytest
from django.utils import timezone

from screening.eligibility import CRITERIA
from screening.models import Candidate, Evaluation
from tests.conftest import eligible_record, with_lab
from tests.test_forms import form_data, rendered_form_data  # noqa: F401


def criterion_rows(page):
    """(criterion id, status) of each checklist row, in page order."""
    return re.findall(r'data-criterion="(\w+)" data-status="(\w+)"', page)


@pytest.fixture
def ineligible(make_candidate, users):
    record = eligible_record(screening_number="NLX-S-004")
    with_lab(record, "platelets", value="95")
    record["labs"].append({"test": "anc", "value": "0.9", "unit": "10*9/L", "uln": None, "collected": "2026-01-20"})
    return make_candidate(user=users["coordinator"], **record)


@pytest.mark.requirement("URS-UI-001", "URS-ELIG-001")
def test_checklist_lists_every_criterion_in_protocol_order_with_icon_and_word(client_for, ineligible):
    page = client_for("investigator").get("/candidates/NLX-S-004/").content.decode()
    rows = criterion_rows(page)
    assert [criterion_id for criterion_id, _ in rows] == [criterion.id for criterion in CRITERIA]
    assert dict(rows)["platelets"] == "fail" and dict(rows)["anc"] == "pass"
    assert '<i class="bi bi-x-octagon-fill" aria-hidden="true"></i> Fail</span>' in page
    assert '<i class="bi bi-check-circle-fill" aria-hidden="true"></i> Pass</span>' in page
    assert 'data-outcome="ineligible"' in page and "Not met:" in page


@pytest.mark.requirement("URS-UI-001", "URS-ELIG-024")
def test_checklist_shows_details_notes_and_validity(client_for, ineligible):
    page = client_for("monitor").get("/candidates/NLX-S-004/").content.decode()
    assert "Platelets 95 ×10⁹/L" in page
    assert 'ANC of <span class="iso-date">2026-01-20</span> ignored' in page  # an old lab result is flagged
    assert 'serum test valid until <span class="iso-date">2026-03-11 10:30 +08:00</span>' in page  # on one line
    assert "by coordinator · protocol 1.0" in page


@pytest.mark.requirement("URS-UI-001")
def test_checklist_reads_the_stored_evaluation(client_for, ineligible):
    """The page shows the stored snapshot, not a fresh computation."""
    stored = Evaluation.objects.get(candidate=ineligible)
    criteria = [dict(row, detail="STORED DETAIL", facts=None) if row["id"] == "ecog" else row for row in stored.criteria]  # without facts: the stored text
    snapshot = Evaluation.objects.create(
        candidate=ineligible, protocol_version="1.0", outcome=stored.outcome, criteria=criteria,
        input=stored.input, input_sha256=stored.input_sha256, failing=stored.failing, missing=stored.missing)
    Candidate.objects.filter(pk=ineligible.pk).update(latest_evaluation=snapshot)
    assert "STORED DETAIL" in client_for("monitor").get("/candidates/NLX-S-004/").content.decode()


@pytest.mark.requirement("URS-UI-001")
def test_missing_rows_say_what_is_missing(client_for, make_candidate):
    make_candidate(screening_number="NLX-S-005", ecog=None)
    page = client_for("monitor").get("/candidates/NLX-S-005/").content.decode()
    assert dict(criterion_rows(page))["ecog"] == "missing"
    assert 'data-outcome="incomplete"' in page and "Missing</span>" in page


@pytest.mark.requirement("URS-ROLE-007")
def test_unknown_screening_number_is_a_friendly_404(client_for, users):
    response = client_for("coordinator").get("/candidates/NLX-NOPE/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


# --- live preview ---------------------------------------------------------------------

@pytest.mark.requirement("URS-CAND-008")
def test_preview_evaluates_the_unsaved_form_and_saves_nothing(client_for, ineligible):
    client = client_for("coordinator")
    url = "/candidates/NLX-S-004/edit/"
    data = rendered_form_data(client.get(url))
    platelets = next(key for key, value in data.items() if key.endswith("-test") and value == "platelets")
    data[platelets.replace("-test", "-value")] = "150"
    response = client.post("/candidates/NLX-S-004/preview/", data, headers={"HX-Request": "true"})
    page = response.content.decode()
    assert response.status_code == 200 and "<html" not in page
    assert dict(criterion_rows(page))["platelets"] == "pass"
    assert 'data-outcome="eligible"' in page and "Live preview · not saved" in page
    assert 'id="live-outcome"' in page and 'hx-swap-oob="true"' in page
    assert Evaluation.objects.filter(candidate=ineligible).count() == 1
    assert ineligible.lab_results.get(test="platelets").value == 95


@pytest.mark.requirement("URS-CAND-008")
def test_preview_of_a_new_candidate_needs_no_screening_number(client_for, users):
    data = form_data(eligible_record(screening_number=""))
    page = client_for("coordinator").post("/candidates/new/preview/", data).content.decode()
    assert 'data-outcome="eligible"' in page
    assert Candidate.objects.count() == 0


@pytest.mark.requirement("URS-CAND-008")
def test_preview_lists_what_prevents_evaluation(client_for, users):
    data = form_data(with_lab(eligible_record(), "creatinine", unit="g/dL"))
    page = client_for("coordinator").post("/candidates/new/preview/", data).content.decode()
    assert 'data-outcome="not_evaluated"' in page and "Not evaluated" in page
    assert "Creatinine · Unit" in page and "not an accepted unit for creatinine" in page


@pytest.mark.requirement("URS-CAND-008")
def test_preview_is_post_only(client_for, users):
    assert client_for("coordinator").get("/candidates/new/preview/").status_code == 405


# --- print view -----------------------------------------------------------------------

@pytest.mark.requirement("URS-UI-002")
def test_print_view_has_the_paper_file_facts(client_for, ineligible):
    page = client_for("monitor").get("/candidates/NLX-S-004/print/").content.decode()
    evaluation = ineligible.latest_evaluation
    assert "NLX-S-004" in page and "Protocol version</dt><dd>1.0" in page
    assert f"Evaluated</dt><dd>{timezone.localtime(evaluation.created_at):%Y-%m-%d %H:%M} by coordinator" in page
    assert "by monitor" in page
    assert len(criterion_rows(page)) == len(CRITERIA)
    assert "@media print" in open("static/css/app.css").read()
    assert 'src="/static/js/print.js"' in page and "navbar" not in page
