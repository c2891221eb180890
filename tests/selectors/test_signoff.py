"""Sign-off state (``selectors.signoff``): the one annotation, and every page and file that shows it.

Three attempts: signed (current evaluation signed), superseded (an earlier one signed, the data changed
since), unsigned. Each output must tell all three apart, so breaking any one state breaks a test here.
"""

import csv
import io

import openpyxl
import pytest
from django.utils import translation
from pypdf import PdfReader

from screening import vocabulary
from screening.models import Candidate
from screening.selectors.signoff import (
    SIGNED, SIGNOFF_STATES, SUPERSEDED, UNSIGNED, in_signoff_state, signoff_state_of, with_signoff_state,
)
from screening.services import signoff
from screening.services.candidates import save_candidate
from screening.templatetags.status_tags import status_word
from tests.conftest import PASSWORD, eligible_record

pytestmark = [pytest.mark.django_db, pytest.mark.requirement("URS-SIGN-004")]

NUMBERS = {SIGNED: "NLX-S-101", SUPERSEDED: "NLX-S-102", UNSIGNED: "NLX-S-103"}


@pytest.fixture
def attempts(users):
    made = {}
    for state, number in NUMBERS.items():
        candidate = save_candidate(record=eligible_record(screening_number=number), user=users["coordinator"]).candidate
        if state != UNSIGNED:
            signoff.sign(candidate=candidate, user=users["investigator"], password=PASSWORD,
                         evaluation_id=candidate.latest_evaluation_id)
        if state == SUPERSEDED:
            save_candidate(record=eligible_record(screening_number=number, ecog=0), user=users["coordinator"],
                           reason="ECOG corrected from source")
        made[state] = Candidate.objects.get(screening_number=number)
    return made


def test_the_states_are_the_three_the_exports_document():
    assert set(SIGNOFF_STATES) == {"signed", "superseded", "unsigned"}


def test_the_annotation_and_the_single_read_agree_on_each_state(attempts):
    annotated = dict(with_signoff_state(Candidate.objects).values_list("screening_number", "signoff_state"))
    for state, candidate in attempts.items():
        assert annotated[candidate.screening_number] == state
        assert signoff_state_of(candidate) == state


def test_a_candidate_without_an_evaluation_signature_is_unsigned_even_with_signed_siblings(attempts):
    assert signoff_state_of(attempts[UNSIGNED]) == UNSIGNED


def log_cells(page, number):
    row = next(line for line in page.splitlines() if f">{number}</a>" in line)
    return row


def test_the_screening_log_shows_each_state_in_its_row(client_for, attempts):
    page = client_for("investigator").get("/log/").content.decode()
    for state, number in NUMBERS.items():
        row = log_cells(page, number)
        assert f"signoff-signoff-{state}" in row and f"</i> {state}</span>" in row, (state, row)


@pytest.mark.parametrize("state", [SIGNED, SUPERSEDED, UNSIGNED])
def test_the_screening_log_filter_finds_exactly_each_state(client_for, attempts, state):
    page = client_for("investigator").get("/log/", {"signoff": state}).content.decode()
    shown = {number for number in NUMBERS.values() if f">{number}</a>" in page}
    assert shown == {NUMBERS[state]}


def test_the_screening_log_export_writes_each_state(client_for, attempts):
    response = client_for("monitor").post(
        "/exports/", {"dataset": "screening_log", "format": "csv", "identification": "deidentified", "dates": "shift"}
    )
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert {row["screening_number"]: row["sign_off"] for row in rows} == {
        number: state for state, number in NUMBERS.items()
    }


@pytest.mark.parametrize("state", [SIGNED, SUPERSEDED, UNSIGNED])
def test_the_candidate_panel_shows_the_state_and_its_explanation(client_for, attempts, state):
    page = client_for("investigator").get(f"/candidates/{NUMBERS[state]}/").content.decode()
    assert f'Sign-off: <span class="signoff-status signoff-signoff-{state}">' in page
    explanations = {
        SIGNED: "signoff-alert-current", SUPERSEDED: "signoff-alert-superseded",
        UNSIGNED: "Not signed by an investigator yet.",
    }
    for other, text in explanations.items():
        assert (text in page) == (other == state), other


def test_the_evaluation_history_marks_the_earlier_signature_superseded(client_for, attempts):
    page = client_for("investigator").get(f"/candidates/{NUMBERS[SUPERSEDED]}/evaluations/").content.decode()
    assert "signoff-signoff-superseded" in page and "signoff-signoff-signed" not in page
    page = client_for("investigator").get(f"/candidates/{NUMBERS[SIGNED]}/evaluations/").content.decode()
    assert "signoff-signoff-signed" in page and "signoff-signoff-superseded" not in page


@pytest.mark.parametrize("state", [SIGNED, SUPERSEDED, UNSIGNED])
def test_the_pdf_checklist_tells_the_states_apart(client_for, attempts, state):
    response = client_for("investigator").get(f"/candidates/{NUMBERS[state]}/checklist.pdf")
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert ("SUPERSEDED:" in text) == (state == SUPERSEDED)
    assert ("No electronic sign-off recorded." in text) == (state == UNSIGNED)
    assert ("Signed by" in text) == (state != UNSIGNED)


def test_the_filter_and_the_annotation_are_the_same_rule(attempts):
    annotated = dict(with_signoff_state(Candidate.objects).values_list("screening_number", "signoff_state"))
    for state in SIGNOFF_STATES:
        filtered = set(in_signoff_state(Candidate.objects, state).values_list("screening_number", flat=True))
        assert filtered == {number for number, value in annotated.items() if value == state}


def shown_as(state):
    """The state's icon and word as the vocabulary defines them; a state the vocabulary lost fails here
    (``status_word`` would show a lost state as its bare code with a neutral icon, and pass)."""
    assert state in vocabulary.codes("signoff"), state
    return str(status_word("signoff", state))


def test_the_states_look_different_in_every_language():
    for language in ("en", "zh-hans"):
        with translation.override(language):
            terms = [vocabulary.STATUSES["signoff"][state] for state in SIGNOFF_STATES]
            assert len({term.icon for term in terms}) == len({str(term.word) for term in terms}) == 3, language


def test_the_screening_log_shows_each_state_with_the_vocabularys_icon_and_word(client_for, attempts):
    page = client_for("investigator").get("/log/").content.decode()
    for state, number in NUMBERS.items():
        assert shown_as(state) in log_cells(page, number), state


@pytest.mark.parametrize("state", [SIGNED, SUPERSEDED, UNSIGNED])
def test_the_candidate_panel_shows_the_vocabularys_icon_and_word(client_for, attempts, state):
    page = client_for("investigator").get(f"/candidates/{NUMBERS[state]}/").content.decode()
    assert f"Sign-off: {shown_as(state)}" in page


@pytest.mark.parametrize("state", [SIGNED, SUPERSEDED])
def test_the_evaluation_history_shows_the_vocabularys_icon_and_word(client_for, attempts, state):
    page = client_for("investigator").get(f"/candidates/{NUMBERS[state]}/evaluations/").content.decode()
    assert shown_as(state) in page


def test_the_screening_log_workbook_writes_each_state(client_for, attempts):
    response = client_for("monitor").post(
        "/exports/", {"dataset": "screening_log", "format": "xlsx", "identification": "deidentified", "dates": "shift"}
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))["screening_log"]
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    written = {row[header.index("screening_number")]: row[header.index("sign_off")] for row in rows[1:]}
    assert written == {number: state for state, number in NUMBERS.items()}


@pytest.mark.parametrize("state", [SIGNED, SUPERSEDED, UNSIGNED])
def test_the_print_view_tells_the_states_apart(client_for, attempts, state):
    page = client_for("investigator").get(f"/candidates/{NUMBERS[state]}/print/").content.decode()
    assert ("SUPERSEDED:" in page) == (state == SUPERSEDED)
    assert ("No electronic sign-off recorded." in page) == (state == UNSIGNED)
    assert ("Signed by" in page) == (state != UNSIGNED)
