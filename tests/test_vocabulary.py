"""The vocabulary (``screening.vocabulary``) and its one tag (``status_tags``): every page and file that shows
a status shows the vocabulary's icon and word for it, and the codes are the models' and the engine's."""

import io

import pytest
from django.utils import translation
from pypdf import PdfReader

from screening import trial_design, vocabulary
from screening.eligibility import Outcome, Status
from screening.filters import CandidateFilter
from screening.models import Candidate, EndpointAssessment, Query
from screening.selectors.signoff import SIGNOFF_STATES
from screening.services import signoff
from screening.services.candidates import save_candidate
from screening.templatetags.status_tags import criterion_notes, status_word
from screening.filters import LogFilter
from tests.conftest import PASSWORD, eligible_record, with_lab

ENGINE_STATUSES = [status.value for status in Status]
ENGINE_OUTCOMES = [outcome.value for outcome in Outcome]
KINDS = {
    "criterion": {status.value for status in Status},
    "outcome": {outcome.value for outcome in Outcome},
    "signoff": set(SIGNOFF_STATES),
    "state": set(Candidate.State.values),
    "dfs": set(EndpointAssessment.Dfs.values),
    "query": set(Query.State.values),
    "decision": {trial_design.PASSED, trial_design.POSSIBLE, trial_design.CANNOT_PASS, trial_design.STOPPED},
}


@pytest.mark.parametrize("kind", KINDS)
def test_the_codes_are_the_engines_the_models_and_the_selectors(kind):
    assert set(vocabulary.codes(kind)) == KINDS[kind]


@pytest.mark.parametrize("kind", KINDS)
def test_every_status_has_a_label_a_word_and_an_icon(kind):
    for code in vocabulary.codes(kind):
        entry = vocabulary.term(kind, code)
        assert str(entry.label) and str(entry.word) and str(entry.on_paper), (kind, code)
        assert entry.icon.startswith("bi-"), (kind, code)


# What the pages draw for a query's state and a trial decision (issue 12: these were written in a template tag
# and in the dashboard's view); the page tests check that each page draws the vocabulary's.
DRAWN = {
    "query": {"open": ("bi-chat-left-dots-fill", ""), "answered": ("bi-reply-fill", ""),
              "closed": ("bi-check-circle-fill", "")},
    "decision": {"passed": ("bi-check-circle-fill", "success"), "possible": ("bi-hourglass-split", "primary"),
                 "cannot_pass": ("bi-x-octagon-fill", "danger"), "stopped": ("bi-sign-stop-fill", "danger")},
}


@pytest.mark.parametrize("kind", DRAWN)
def test_query_states_and_trial_decisions_keep_their_icon_and_tone(kind):
    assert {code: (entry.icon, entry.tone) for code, entry in vocabulary.STATUSES[kind].items()} == DRAWN[kind]
    assert vocabulary.QUERY_ICON == DRAWN["query"]["open"][0]


def test_a_status_has_one_icon_wherever_it_is_shown():
    """The checklist and the sign-off page once drew a failing criterion with two different icons."""
    fail = vocabulary.term("criterion", "fail").icon
    assert str(status_word("criterion", "fail", "label")).count(fail) == 1
    assert str(status_word("criterion", "fail")).count(fail) == 1
    assert str(status_word("criterion", Status.FAIL, "bare")).count(fail) == 1  # the engine's enum reads the same


def test_model_and_filter_choices_are_the_vocabulary():
    assert Candidate.State.choices == vocabulary.status_choices("state")
    assert EndpointAssessment.Dfs.choices == vocabulary.status_choices("dfs")
    assert Query.State.choices == vocabulary.status_choices("query")
    log = LogFilter().form.fields
    assert list(log["outcome"].choices)[1:] == vocabulary.status_choices("outcome")
    assert list(log["state"].choices)[1:] == vocabulary.status_choices("state")
    assert list(log["signoff"].choices)[1:] == vocabulary.status_choices("signoff")
    assert list(CandidateFilter().form.fields["outcome"].choices)[1:] == vocabulary.status_choices("outcome")


def test_an_attempt_without_evaluation_reads_not_evaluated_and_an_unknown_code_as_itself():
    assert vocabulary.term("outcome", None) == vocabulary.NOT_EVALUATED
    assert vocabulary.term("state", "archived").word == "archived"


def test_notes_take_their_icon_from_the_engines_kind_not_from_their_english():
    row = {"notes": ["serum test valid until 2026-03-11", "anc 1.9 of 2026-01-02 not used"],
           "note_facts": [{"code": "pregnancy.valid_until", "values": {}}, {"code": "lab.too_old", "values": {}}]}
    assert criterion_notes(row) == [
        (vocabulary.NOTE_ICONS["expiry"], "serum test valid until 2026-03-11"),
        (vocabulary.NOTE_ICONS["caution"], "anc 1.9 of 2026-01-02 not used"),
    ]
    row["notes"][0] = "an English text that says nothing of validity"
    assert criterion_notes(row)[0][0] == vocabulary.NOTE_ICONS["expiry"]
    assert criterion_notes({"notes": ["stored before facts"]}) == [(vocabulary.NOTE_ICONS["caution"], "stored before facts")]


@pytest.fixture
def four_statuses(users):
    """A male candidate (pregnancy not applicable), platelets 95 (fail), ECOG not recorded (missing)."""
    record = with_lab(eligible_record(screening_number="NLX-S-201", sex="male", ecog=None,
                                      childbearing_potential=None, partner_childbearing_potential=False,
                                      contraception_agreed=None, pregnancy_tests=[]),
                      "platelets", value="95")
    evaluation = save_candidate(record=record, user=users["coordinator"])
    statuses = {row["status"] for row in evaluation.criteria}
    assert statuses == {"pass", "fail", "missing", "not_applicable"}
    return evaluation


def known(kind, code):
    """The vocabulary's term of a code it defines. A code the vocabulary lost fails here (``status_word`` would
    show it as its bare code, and a page test built on it would pass), and so does a kind two of whose codes
    look alike (the same icon, word or label)."""
    assert code in vocabulary.codes(kind), (kind, code)
    terms = [vocabulary.STATUSES[kind][other] for other in vocabulary.codes(kind)]
    for part in ("icon", "word", "label", "on_paper"):
        assert len({str(getattr(term, part)) for term in terms}) == len(terms), (kind, part)
    return vocabulary.STATUSES[kind][code]


def markup(kind, code, form="word"):
    known(kind, code)
    return str(status_word(kind, code, form))


@pytest.mark.django_db
def test_the_checklist_page_shows_each_criterion_status_and_the_outcome(client_for, four_statuses):
    page = client_for("coordinator").get("/candidates/NLX-S-201/").content.decode()
    for code in ENGINE_STATUSES:  # the engine's codes: a status the vocabulary lost is still looked for
        assert markup("criterion", code, "label") in page, code
    assert markup("outcome", "ineligible", "bare") in page
    assert markup("state", "screening") in page and markup("signoff", "unsigned") in page


@pytest.mark.django_db
def test_the_print_view_shows_each_criterion_status(client_for, four_statuses):
    page = client_for("coordinator").get("/candidates/NLX-S-201/print/").content.decode()
    for code in ENGINE_STATUSES:  # the engine's codes: a status the vocabulary lost is still looked for
        assert markup("criterion", code, "label") in page, code
    assert markup("outcome", "ineligible", "bare") in page


@pytest.mark.django_db
def test_the_sign_page_shows_each_criterion_status_word(client_for, four_statuses):
    page = client_for("investigator").get("/candidates/NLX-S-201/sign/").content.decode()
    for code in ENGINE_STATUSES:  # the engine's codes: a status the vocabulary lost is still looked for
        assert markup("criterion", code) in page, code
    assert markup("outcome", "ineligible") in page


@pytest.mark.django_db
def test_the_candidate_list_shows_each_outcome(client_for, users):
    save_candidate(record=eligible_record(screening_number="NLX-S-301"), user=users["coordinator"])
    save_candidate(record=with_lab(eligible_record(screening_number="NLX-S-302"), "platelets", value="95"),
                   user=users["coordinator"])
    save_candidate(record=eligible_record(screening_number="NLX-S-303", ecog=None), user=users["coordinator"])
    page = client_for("coordinator").get("/candidates/").content.decode()
    for code in ENGINE_OUTCOMES:
        assert f'outcome-{code}">{markup("outcome", code, "bare")}</span>' in page, code


@pytest.fixture
def enrolled(users):
    candidate = save_candidate(record=eligible_record(screening_number="NLX-S-401"), user=users["coordinator"]).candidate
    signoff.sign(candidate=candidate, user=users["investigator"], password=PASSWORD,
                 evaluation_id=candidate.latest_evaluation_id)
    return signoff.enrol(candidate=candidate, user=users["coordinator"], enrolment_date=candidate.screening_date)


@pytest.mark.django_db
def test_the_log_shows_outcome_state_and_signoff_words(client_for, enrolled, four_statuses):
    page = client_for("investigator").get("/log/").content.decode()
    for kind, code in [("outcome", "eligible"), ("outcome", "ineligible"), ("state", "enrolled"),
                       ("state", "screening"), ("signoff", "signed"), ("signoff", "unsigned")]:
        assert markup(kind, code) in page, (kind, code)


@pytest.mark.django_db
def test_the_dashboard_shows_the_dfs_status(client_for, enrolled):
    page = client_for("coordinator").get("/dashboard/").content.decode()
    assert f'dfs-not_evaluable">{markup("dfs", "not_evaluable", "bare")}</td>' in page


@pytest.mark.django_db
def test_the_pdf_prints_the_vocabularys_words(client_for, four_statuses):
    response = client_for("coordinator").get("/candidates/NLX-S-201/checklist.pdf")
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages).split())
    assert str(known("outcome", "ineligible").on_paper) in text
    squeezed = text.replace(" ", "")  # a narrow column wraps "Not applicable" inside a word
    for code in ENGINE_STATUSES:  # the engine's codes: a status the vocabulary lost is still looked for
        assert str(known("criterion", code).on_paper).replace(" ", "") in squeezed, code


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_in_each_language_the_codes_of_a_kind_look_different(language):
    with translation.override(language):
        for kind in KINDS:
            known(kind, vocabulary.codes(kind)[0])


@pytest.mark.django_db
@pytest.mark.parametrize("language, ineligible, eligible", [
    ("en", "Ineligible evaluation of", "Eligible evaluation of"),
    ("zh-hans", "的评估（不符合入选）待您签名", "的评估（符合入选）待您签名"),
])
def test_the_queue_names_each_outcome_awaiting_signature_by_its_word(client_for, users, language, ineligible,
                                                                     eligible):
    save_candidate(record=with_lab(eligible_record(screening_number="NLX-S-302"), "platelets", value="95"),
                   user=users["coordinator"])
    save_candidate(record=eligible_record(screening_number="NLX-S-301"), user=users["coordinator"])
    page = client_for("investigator").get("/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    known("outcome", "ineligible")
    assert ineligible in page and eligible in page
