"""Enrolment, closure and re-screening: what is allowed, sequential subject numbers, nothing saved on refusal."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from screening.models import AuditEvent, Candidate, Evaluation, SubjectNumberCounter
from screening.selectors import signoff as signoff_selectors
from screening.services import signoff
from screening.services.candidates import ReasonRequired, save_candidate
from tests.conftest import PASSWORD, eligible_record, with_lab

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def sign(candidate, user):
    candidate.refresh_from_db()
    return signoff.sign(candidate=candidate, user=user, password=PASSWORD,
                        evaluation_id=candidate.latest_evaluation_id)


def ineligible(make_candidate, number="NLX-S-009"):
    return make_candidate(**with_lab(eligible_record(screening_number=number), "platelets", value="80"))


def snapshot(candidate):
    """Everything an action could change, to compare before and after a refusal."""
    candidate.refresh_from_db()
    return (
        candidate.state, candidate.subject_number, candidate.enrolment_date, candidate.state_reason,
        candidate.version, candidate.history.count(), AuditEvent.objects.count(),
        SubjectNumberCounter.objects.filter(last_number__gt=0).count(), Candidate.objects.count(),
    )


def post_enrol(client, candidate, **data):
    return client.post(f"/candidates/{candidate.screening_number}/enrol/",
                       {"enrolment_date": TODAY.isoformat(), **data})


# --- enrolment ---------------------------------------------------------------------------------

@pytest.mark.requirement("URS-ENROL-002")
def test_signed_eligible_candidates_get_sequential_subject_numbers(client_for, users, make_candidate):
    first = make_candidate(screening_number="NLX-S-001")
    second = make_candidate(screening_number="NLX-S-002")
    for candidate in (first, second):
        sign(candidate, users["investigator"])
    client = client_for("coordinator")
    assert post_enrol(client, first).status_code == 302
    assert post_enrol(client, second).status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.state, first.subject_number, first.enrolment_date) == ("enrolled", "NLX-001", TODAY)
    assert second.subject_number == "NLX-002"
    assert first.closed_by == users["coordinator"]
    event = AuditEvent.objects.get(action="enrol", candidate=first)
    assert event.details["subject_number"] == "NLX-001" and event.user == users["coordinator"]


@pytest.mark.requirement("URS-ENROL-002")
def test_subject_numbers_are_never_reused(users, make_candidate):
    SubjectNumberCounter.objects.create(pk=1, last_number=7)  # e.g. numbers used before
    candidate = make_candidate()
    sign(candidate, users["investigator"])
    assert signoff.enrol(candidate=candidate, user=users["coordinator"]).subject_number == "NLX-008"


@pytest.mark.requirement("URS-ENROL-001")
def test_enrolling_an_unsigned_candidate_is_refused(client_for, make_candidate):
    candidate = make_candidate()
    before = snapshot(candidate)
    response = post_enrol(client_for("coordinator"), candidate)
    assert response.status_code == 200
    assert "must sign the eligibility decision before enrolment" in response.content.decode()
    assert snapshot(candidate) == before


@pytest.mark.requirement("URS-ENROL-001")
def test_enrolling_with_a_superseded_signature_is_refused(users, make_candidate):
    candidate = make_candidate()
    sign(candidate, users["investigator"])
    save_candidate(record=with_lab(eligible_record(), "anc", value="2.0"), user=users["coordinator"],
                   reason="lab re-run")
    before = snapshot(candidate)
    with pytest.raises(signoff.Refused, match="superseded"):
        signoff.enrol(candidate=candidate, user=users["coordinator"])
    assert snapshot(candidate) == before


@pytest.mark.requirement("URS-ENROL-001")
def test_enrolling_an_ineligible_candidate_is_refused_even_when_signed(users, make_candidate):
    candidate = ineligible(make_candidate)
    sign(candidate, users["investigator"])
    before = snapshot(candidate)
    with pytest.raises(signoff.Refused, match="Only an eligible candidate can be enrolled"):
        signoff.enrol(candidate=candidate, user=users["coordinator"])
    assert snapshot(candidate) == before


@pytest.mark.requirement("URS-ENROL-001")
def test_double_enrolment_is_refused(client_for, users, make_candidate):
    candidate = make_candidate()
    sign(candidate, users["investigator"])
    client = client_for("coordinator")
    post_enrol(client, candidate)
    before = snapshot(candidate)
    response = post_enrol(client, candidate)
    assert response.status_code == 200
    assert "already enrolled as NLX-001" in response.content.decode()
    assert snapshot(candidate) == before
    assert SubjectNumberCounter.objects.get().last_number == 1


@pytest.mark.requirement("URS-ROLE-002")
@pytest.mark.parametrize("role", ["investigator", "monitor"])
def test_only_coordinators_and_admins_enrol(client_for, users, make_candidate, role):
    candidate = make_candidate()
    sign(candidate, users["investigator"])
    assert post_enrol(client_for(role), candidate).status_code == 403
    candidate.refresh_from_db()
    assert candidate.subject_number is None


@pytest.mark.requirement("URS-ENROL-004")
@pytest.mark.parametrize("day, message", [
    (TODAY + datetime.timedelta(days=1), "cannot be in the future"),
    (datetime.date(2026, 3, 1), "cannot be before the screening date"),
])
def test_an_impossible_enrolment_date_is_refused_naming_the_field(client_for, users, make_candidate, day, message):
    candidate = make_candidate()
    sign(candidate, users["investigator"])
    before = snapshot(candidate)
    response = post_enrol(client_for("coordinator"), candidate, enrolment_date=day.isoformat())
    assert response.status_code == 200
    assert message in response.content.decode() and "Enrolment date" in response.content.decode()
    assert snapshot(candidate) == before


@pytest.mark.requirement("URS-ENROL-004", "URS-INPUT-009")
def test_garbage_enrolment_date_is_a_form_error_not_a_500(client_for, users, make_candidate):
    candidate = make_candidate()
    sign(candidate, users["investigator"])
    response = post_enrol(client_for("coordinator"), candidate, enrolment_date="31/02/2026")
    assert response.status_code == 200 and "Enter a valid date" in response.content.decode()


@pytest.mark.requirement("URS-ENROL-003")
def test_enrolment_beyond_28_needs_an_admin_override_with_a_reason(users, make_candidate):
    SubjectNumberCounter.objects.create(pk=1, last_number=28)
    candidate = make_candidate()
    sign(candidate, users["investigator"])
    before = snapshot(candidate)
    with pytest.raises(signoff.Refused, match="administrator's override"):
        signoff.enrol(candidate=candidate, user=users["coordinator"], override_reason="please")
    with pytest.raises(signoff.Refused, match="Override reason"):
        signoff.enrol(candidate=candidate, user=users["admin"], override_reason="  ")
    assert snapshot(candidate) == before
    assert SubjectNumberCounter.objects.get().last_number == 28
    enrolled = signoff.enrol(candidate=candidate, user=users["admin"], override_reason="DSMB approved replacement")
    assert enrolled.subject_number == "NLX-029"
    assert AuditEvent.objects.get(action="enrol").details["override_reason"] == "DSMB approved replacement"


@pytest.mark.requirement("URS-ENROL-003")
def test_the_28th_subject_needs_no_override(users, make_candidate):
    SubjectNumberCounter.objects.create(pk=1, last_number=27)
    candidate = make_candidate()
    sign(candidate, users["investigator"])
    assert signoff.enrol(candidate=candidate, user=users["coordinator"]).subject_number == "NLX-028"


# --- closing -------------------------------------------------------------------------------

@pytest.mark.requirement("URS-ENROL-005")
def test_screen_failure_reasons_are_the_failing_criteria(client_for, users, make_candidate):
    candidate = ineligible(make_candidate)
    response = client_for("coordinator").post(
        f"/candidates/{candidate.screening_number}/close/", {"state": "screen_failure", "reason": "ignored"}
    )
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.state == "screen_failure"
    assert candidate.state_reason == "Failing criteria: platelets"
    assert candidate.closed_by == users["coordinator"] and candidate.closed_at is not None
    assert AuditEvent.objects.get(action="close").details["state"] == "screen_failure"


@pytest.mark.requirement("URS-ENROL-005")
def test_an_eligible_candidate_cannot_be_closed_as_screen_failure(users, make_candidate):
    candidate = make_candidate()
    before = snapshot(candidate)
    with pytest.raises(signoff.Refused, match="needs failing criteria"):
        signoff.close(candidate=candidate, user=users["coordinator"], state="screen_failure")
    assert snapshot(candidate) == before


@pytest.mark.requirement("URS-ENROL-005")
def test_declined_needs_no_reason(users, make_candidate):
    candidate = signoff.close(candidate=make_candidate(), user=users["coordinator"], state="declined")
    assert candidate.state == "declined"


@pytest.mark.requirement("URS-ENROL-005")
def test_not_enrolled_for_another_reason_needs_free_text(client_for, make_candidate):
    candidate = make_candidate()
    before = snapshot(candidate)
    client = client_for("coordinator")
    url = f"/candidates/{candidate.screening_number}/close/"
    response = client.post(url, {"state": "not_enrolled", "reason": "   "})
    assert response.status_code == 200 and "Reason: describe why" in response.content.decode()
    assert snapshot(candidate) == before
    assert client.post(url, {"state": "not_enrolled", "reason": "moved to another city"}).status_code == 302
    candidate.refresh_from_db()
    assert (candidate.state, candidate.state_reason) == ("not_enrolled", "moved to another city")


@pytest.mark.requirement("URS-INPUT-009")
def test_an_unknown_outcome_is_a_form_error(client_for, make_candidate):
    candidate = make_candidate()
    response = client_for("coordinator").post(f"/candidates/{candidate.screening_number}/close/", {"state": "x"})
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()


@pytest.mark.requirement("URS-ENROL-005", "URS-ENROL-001")
def test_a_closed_candidate_cannot_be_closed_again_or_enrolled(users, make_candidate):
    candidate = signoff.close(candidate=make_candidate(), user=users["coordinator"], state="declined")
    before = snapshot(candidate)
    with pytest.raises(signoff.Refused, match="already closed"):
        signoff.close(candidate=candidate, user=users["coordinator"], state="not_enrolled", reason="x")
    with pytest.raises(signoff.Refused, match="closed"):
        signoff.enrol(candidate=candidate, user=users["coordinator"])
    assert snapshot(candidate) == before


@pytest.mark.requirement("URS-CAND-007")
def test_editing_a_closed_candidate_without_a_reason_is_refused(users, make_candidate):
    candidate = signoff.close(candidate=make_candidate(), user=users["coordinator"], state="declined")
    before = snapshot(candidate) + (Evaluation.objects.count(),)
    with pytest.raises(ReasonRequired):
        save_candidate(record=with_lab(eligible_record(), "anc", value="3.0"), user=users["coordinator"])
    assert snapshot(candidate) + (Evaluation.objects.count(),) == before
    assert candidate.lab_results.get(test="anc").value == Decimal("2.1")
    save_candidate(record=with_lab(eligible_record(), "anc", value="3.0"), user=users["coordinator"],
                   reason="late correction")
    assert candidate.lab_results.get(test="anc").value == Decimal("3")


# --- re-screening -----------------------------------------------------------------------------

@pytest.mark.requirement("URS-ENROL-006")
def test_a_screen_failure_is_rescreened_with_a_suffix_and_the_stable_data(client_for, users, make_candidate):
    first = ineligible(make_candidate, number="NLX-S-014")
    signoff.close(candidate=first, user=users["coordinator"], state="screen_failure")
    client = client_for("coordinator")
    response = client.post("/candidates/NLX-S-014/rescreen/", {"screening_date": "2026-03-20"})
    assert response.status_code == 302
    second = Candidate.objects.get(screening_number="NLX-S-014-R1")
    assert second.rescreen_of == first
    assert second.screening_date == datetime.date(2026, 3, 20)
    for field in signoff.STABLE_FIELDS:
        assert getattr(second, field) == getattr(first, field), field
    assert second.lab_results.count() == 0 and second.consent_signed_on is None
    assert second.state == "screening" and second.latest_evaluation.outcome == "incomplete"
    assert AuditEvent.objects.filter(action="rescreen").count() == 2

    second.refresh_from_db()
    signoff.close(candidate=second, user=users["coordinator"], state="declined")
    with pytest.raises(signoff.Refused, match="Only a screen failure"):
        signoff.rescreen(candidate=second, user=users["coordinator"], screening_date=datetime.date(2026, 4, 1))


@pytest.mark.requirement("URS-ENROL-006")
def test_the_second_rescreen_is_r2_of_the_original_number(users, make_candidate):
    first = ineligible(make_candidate, number="NLX-S-014")
    signoff.close(candidate=first, user=users["coordinator"], state="screen_failure")
    second = signoff.rescreen(candidate=first, user=users["coordinator"], screening_date=datetime.date(2026, 3, 20))
    record = with_lab(eligible_record(screening_number="NLX-S-014-R1", screening_date="2026-03-20",
                                      planned_first_dose="2026-03-25T09:00:00+08:00",
                                      pregnancy_tests=[{"specimen": "serum", "result": "negative",
                                                        "collected": "2026-03-23T10:30:00+08:00"}]),
                      "platelets", value="70")
    record["lesions"][0]["imaged_on"] = "2026-03-18"
    for lab in record["labs"]:
        lab["collected"] = "2026-03-18"
    save_candidate(record=record, user=users["coordinator"])
    second.refresh_from_db()
    signoff.close(candidate=second, user=users["coordinator"], state="screen_failure")
    third = signoff.rescreen(candidate=second, user=users["coordinator"], screening_date=datetime.date(2026, 4, 2))
    assert third.screening_number == "NLX-S-014-R2" and third.rescreen_of == second
    assert [attempt.screening_number for attempt in signoff_selectors.attempts_of(third)] == [
        "NLX-S-014", "NLX-S-014-R1", "NLX-S-014-R2"]


@pytest.mark.requirement("URS-ENROL-006")
def test_rescreen_refusals_change_nothing(client_for, users, make_candidate):
    first = ineligible(make_candidate, number="NLX-S-014")
    before = snapshot(first)
    with pytest.raises(signoff.Refused, match="Only a screen failure"):
        signoff.rescreen(candidate=first, user=users["coordinator"], screening_date=datetime.date(2026, 3, 20))
    assert snapshot(first) == before
    signoff.close(candidate=first, user=users["coordinator"], state="screen_failure")
    before = snapshot(first)
    response = client_for("coordinator").post("/candidates/NLX-S-014/rescreen/", {"screening_date": "2026-03-01"})
    assert response.status_code == 200 and "Screening date: must be after" in response.content.decode()
    assert snapshot(first) == before
    signoff.rescreen(candidate=first, user=users["coordinator"], screening_date=datetime.date(2026, 3, 20))
    with pytest.raises(signoff.Refused, match="already re-screened as NLX-S-014-R1"):
        signoff.rescreen(candidate=first, user=users["coordinator"], screening_date=datetime.date(2026, 3, 21))


@pytest.mark.requirement("URS-ENROL-006")
def test_earlier_attempts_and_their_reasons_are_visible(client_for, users, make_candidate):
    first = ineligible(make_candidate, number="NLX-S-014")
    signoff.close(candidate=first, user=users["coordinator"], state="screen_failure")
    signoff.rescreen(candidate=first, user=users["coordinator"], screening_date=datetime.date(2026, 3, 20))
    from django.template import Context, Template

    second = Candidate.objects.get(screening_number="NLX-S-014-R1")
    html = Template("{% load signoff_tags %}{% signoff_panel candidate user %}").render(
        Context({"candidate": second, "user": users["monitor"]})
    )
    assert "NLX-S-014" in html and "Failing criteria: platelets" in html and "(this attempt)" in html


@pytest.mark.requirement("URS-CAND-007")
def test_a_long_reason_is_kept_whole_in_the_history(users, make_candidate):
    reason = "travel distance: " + "x" * 400
    candidate = signoff.close(candidate=make_candidate(), user=users["coordinator"], state="not_enrolled",
                              reason=reason)
    assert candidate.history.first().history_change_reason.endswith(reason)
    save_candidate(record=with_lab(eligible_record(), "anc", value="3.0"), user=users["coordinator"], reason=reason)
    assert candidate.lab_results.get(test="anc").history.first().history_change_reason == reason


@pytest.mark.requirement("URS-ENROL-003", "URS-OUT-006")
def test_coordinators_see_no_override_box_and_a_crafted_override_post_is_refused(client_for, users, make_candidate):
    """Issue 13: the override is an administrator's control; a coordinator posting it anyway is refused,
    beyond the planned subjects and within them, and nothing is saved."""
    candidate = make_candidate()
    sign(candidate, users["investigator"])
    client = client_for("coordinator")
    page = client.get(f"/candidates/{candidate.screening_number}/enrol/").content.decode()
    assert "override_reason" not in page and "Override reason" not in page
    for last_number in (5, 28):
        SubjectNumberCounter.objects.update_or_create(pk=1, defaults={"last_number": last_number})
        before = snapshot(candidate)
        response = post_enrol(client, candidate, override_reason="coordinator says so")
        assert response.status_code == 200
        assert "administrator&#x27;s override; your role cannot give one" in response.content.decode()
        assert snapshot(candidate) == before
    with pytest.raises(signoff.Refused, match="administrator's override"):
        signoff.enrol(candidate=candidate, user=users["coordinator"], override_reason="coordinator says so")


@pytest.mark.requirement("URS-ENROL-003", "URS-OUT-006")
def test_admins_see_the_override_box_and_an_unneeded_override_is_refused(client_for, users, make_candidate):
    candidate = make_candidate()
    sign(candidate, users["investigator"])
    client = client_for("admin")
    assert 'name="override_reason"' in client.get(f"/candidates/{candidate.screening_number}/enrol/").content.decode()
    before = snapshot(candidate)
    response = post_enrol(client, candidate, override_reason="not needed")
    assert "no override is needed within the 28 planned subjects" in response.content.decode()
    assert snapshot(candidate) == before
    assert post_enrol(client, candidate).status_code == 302
    candidate.refresh_from_db()
    assert candidate.subject_number == "NLX-001" and candidate.state_reason == ""
