"""Fields that do not apply are hidden (screening/entry_conditions.py): each condition against the engine, and
the page never hides a value."""

import copy

import pytest

from screening import eligibility
from screening.entry_conditions import CONDITIONS, PREGNANCY_TESTS
from screening.models import Candidate
from tests.conftest import eligible_record
from tests.test_forms import NEW, form_data

pytestmark = pytest.mark.requirement("URS-CAND-016")

# field -> (path in the record, the record with the controlling answer under which it does not apply)
NOT_APPLYING = {
    "ne_component_percent": (("diagnosis", "ne_component_percent"), {}),  # a NEC
    "washout_last_date": (("transfusion_or_growth_factor", "last_date"), {"transfusion_or_growth_factor": {"any": None}}),
    "childbearing_potential": (("childbearing_potential",), {"sex": "male", "partner_childbearing_potential": True}),
    "partner_childbearing_potential": (("partner_childbearing_potential",), {}),  # a female
    "progressed_after_local_treatment": (("lesions", 0, "progressed_after_local_treatment"), {}),  # not treated
}
VALUES = {"ne_component_percent": (None, "5", "60"), "washout_last_date": (None, "2026-03-09", "2026-01-02")}


def evaluated(record):
    result = eligibility.evaluate(eligibility.parse_candidate(record), eligibility.PROTOCOL).as_dict()
    return result["outcome"], result["criteria"]


def with_value(record, path, value):
    record = copy.deepcopy(record)
    target = record
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return record


def test_every_condition_is_checked_against_the_engine():
    assert set(NOT_APPLYING) == set(CONDITIONS)


@pytest.mark.parametrize("name", sorted(NOT_APPLYING))
def test_a_field_that_does_not_apply_never_changes_the_verdict(name):
    path, answers = NOT_APPLYING[name]
    record = eligible_record(**answers)
    verdicts = {repr(evaluated(with_value(record, path, value))) for value in VALUES.get(name, (None, True, False))}
    assert len(verdicts) == 1


def test_the_washout_date_with_no_transfusion_is_the_engines_error():
    record = eligible_record(transfusion_or_growth_factor={"any": False, "last_date": "2026-03-01"})
    with pytest.raises(eligibility.InvalidRecord, match="last_date"):
        eligibility.parse_candidate(record)


def test_the_pregnancy_tests_of_a_male_do_not_change_the_verdict():
    record = eligible_record(sex="male", partner_childbearing_potential=True)
    positive = [{"specimen": "serum", "result": "positive", "collected": "2026-03-09T10:30:00+08:00"}]
    assert evaluated(record) == evaluated(eligible_record(**{**record, "pregnancy_tests": positive}))
    assert PREGNANCY_TESTS["sex"] == ("female", "")


@pytest.fixture
def coordinator(client_for):
    return client_for("coordinator")


@pytest.mark.parametrize("answer, hidden", [("False", True), ("", True), ("True", False)])
def test_the_last_washout_date_is_hidden_until_something_was_given(coordinator, answer, hidden):
    data = form_data(eligible_record())
    data.update(washout_any=answer, washout_last_date="", screening_number="")  # an error: the form again
    page = coordinator.post(NEW, data).content.decode()
    tag = page.split('name="washout_last_date"')[0].rsplit("data-applies=", 1)[1].split(">", 1)[0]
    assert (" hidden" in tag) is hidden


def test_a_typed_value_that_does_not_apply_stays_in_sight_marked(coordinator):
    data = form_data(eligible_record())
    data.update(washout_any="False", washout_last_date="2026-03-01")
    response = coordinator.post(NEW, data)
    page = response.content.decode()
    tag = page.split('name="washout_last_date"')[0].rsplit("data-applies=", 1)[1].split(">", 1)[0]
    assert " hidden" not in tag
    after = page.split('name="washout_last_date"')[1].split("data-applies=")[0]
    note = after.split("data-not-applicable", 1)[1].split(">", 1)[0]
    assert "hidden" not in note and "Does not apply with the answers above" in after
    assert "is given while any is false" in page  # and the engine refuses the combination


def test_a_partner_answer_for_a_female_is_kept_and_marked_not_dropped(coordinator):
    data = form_data(eligible_record(partner_childbearing_potential=True))
    response = coordinator.post(NEW, data)
    assert response.status_code == 302  # the engine accepts it (and does not read it)
    candidate = Candidate.objects.get()
    assert candidate.partner_childbearing_potential is True
    page = coordinator.get(f"/candidates/{candidate.screening_number}/edit/").content.decode()
    after = page.split('name="partner_childbearing_potential"')[1].split("data-applies=")[0]
    assert "Does not apply with the answers above" in after
    assert "hidden" not in after.split("data-not-applicable", 1)[1].split(">", 1)[0]


def test_one_blank_pregnancy_row_is_offered_once_childbearing_potential_is_yes(coordinator):
    for potential, hidden in (("True", False), ("", True), ("False", True)):
        data = form_data(eligible_record(pregnancy_tests=[]))  # the blank row as a browser sends it
        data.update({"childbearing_potential": potential, "screening_number": "", "pregnancy_tests-TOTAL_FORMS": "1",
                     "pregnancy_tests-0-specimen": "", "pregnancy_tests-0-result": "", "pregnancy_tests-0-collected": ""})
        page = coordinator.post(NEW, data).content.decode()
        row = page.split('name="pregnancy_tests-0-specimen"')[0].rsplit("<tr", 1)[1].split(">", 1)[0]
        assert "data-applies" in row and (" hidden" in row) is hidden
    page = coordinator.get(NEW).content.decode()  # a new form: potential not recorded yet
    row = page.split('name="pregnancy_tests-0-specimen"')[0].rsplit("<tr", 1)[1].split(">", 1)[0]
    assert " hidden" in row
