"""The evaluation history (screening/selectors/history.py): each evaluation with the inputs that changed and the
verdicts, on the candidate page."""

import pytest

from screening.selectors.history import evaluation_history, input_changes
from screening.services.candidates import save_candidate
from tests.conftest import eligible_record, with_lab

pytestmark = pytest.mark.requirement("URS-CAND-017")


def test_each_evaluation_lists_its_input_changes_and_the_page_shows_them(client_for, users, make_candidate):
    first = with_lab(eligible_record(weight_kg="58.5"), "platelets", value="80")
    candidate = make_candidate(**first)
    second = eligible_record(weight_kg="60")
    save_candidate(record=second, user=users["coordinator"])
    candidate.refresh_from_db()
    newest, oldest = evaluation_history(candidate)
    assert oldest.inputs == [] and oldest.changes is None
    assert newest.inputs == input_changes(oldest.evaluation.input, newest.evaluation.input)
    texts = [str(change) for change in newest.inputs]
    assert any(text.startswith("Weight") and "58.5 → 60" in text for text in texts), texts
    assert any(text.startswith("Platelets") and "80 → 120" in text for text in texts), texts
    html = client_for("monitor").get(f"/candidates/{candidate.screening_number}/").content.decode()
    inputs = html.split("data-history-inputs")[1].split("</div>")[0]
    assert "58.5 → 60" in inputs and "80 → 120" in inputs
    assert "platelets: fail → pass; outcome: ineligible → eligible" in html


def test_an_evaluation_with_no_input_change_lists_none(client_for, users, make_candidate):
    candidate = make_candidate(**eligible_record())
    save_candidate(record=eligible_record(), user=users["coordinator"], expected_version=candidate.version)
    candidate.refresh_from_db()
    entries = evaluation_history(candidate)
    assert len(entries) == 2 and entries[0].inputs == []
    html = client_for("monitor").get(f"/candidates/{candidate.screening_number}/").content.decode()
    assert "data-history-inputs" not in html and "no change in any verdict" in html
