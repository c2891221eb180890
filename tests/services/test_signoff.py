"""Investigator sign-off: who may sign, password re-entry, the hash of the exact evaluation, superseding."""

import datetime

import re

import pytest

from screening import protocols
from screening.models import AuditEvent, Evaluation, Signature
from screening.selectors import signoff as signoff_selectors
from screening.services import signoff
from screening.selectors.history import describe, evaluation_history
from screening.services.candidates import save_candidate, sha256_of
from tests.conftest import PASSWORD, eligible_record, with_lab

pytestmark = pytest.mark.django_db

MEETS = "I confirm this candidate meets the eligibility criteria of protocol 1.0"
DOES_NOT_MEET = "I confirm this candidate does not meet the eligibility criteria of protocol 1.0"


def sign_url(candidate):
    return f"/candidates/{candidate.screening_number}/sign/"


def post_sign(client, candidate, password=PASSWORD, evaluation_id=None):
    evaluation_id = candidate.latest_evaluation_id if evaluation_id is None else evaluation_id
    return client.post(sign_url(candidate), {"evaluation": evaluation_id, "password": password})


@pytest.mark.requirement("URS-SIGN-001", "URS-SIGN-003", "URS-AUDIT-002")
def test_investigator_signs_with_password_and_the_signature_covers_the_exact_evaluation(
    client_for, users, make_candidate
):
    candidate = make_candidate()
    response = post_sign(client_for("investigator"), candidate)
    assert response.status_code == 302
    signature = Signature.objects.get()
    evaluation = candidate.latest_evaluation
    assert signature.evaluation == evaluation
    assert signature.signed_by == users["investigator"]
    assert signature.meaning == MEETS
    assert signature.eligible is True
    assert signature.evaluation_sha256 == sha256_of({
        "id": evaluation.pk,
        "input": evaluation.input,
        "criteria": evaluation.criteria,
        "outcome": "eligible",
        "protocol_version": "1.0",
        "created_at": evaluation.created_at.astimezone(datetime.UTC).isoformat(),
        "protocol_sha256": protocols.get("1.0").sha256,  # the signature covers the exact rules applied
    })
    event = AuditEvent.objects.get(action="sign")
    assert event.user == users["investigator"] and event.candidate == candidate
    assert event.details["sha256"] == signature.evaluation_sha256


@pytest.mark.requirement("URS-SIGN-003")
def test_the_hash_changes_when_any_signed_part_of_the_evaluation_differs(make_candidate):
    evaluation = make_candidate().latest_evaluation
    payload = signoff.evaluation_payload(evaluation)
    assert signoff.evaluation_sha256(evaluation) == sha256_of(payload)
    for key in ("id", "outcome", "created_at", "protocol_sha256"):
        assert sha256_of({**payload, key: "x"}) != sha256_of(payload)


@pytest.mark.requirement("URS-SIGN-005")
def test_an_ineligible_evaluation_is_signed_as_not_meeting_the_criteria(client_for, make_candidate):
    candidate = make_candidate(**with_lab(eligible_record(), "platelets", value="80"))
    assert candidate.latest_evaluation.outcome == "ineligible"
    post_sign(client_for("investigator"), candidate)
    signature = Signature.objects.get()
    assert signature.meaning == DOES_NOT_MEET and signature.eligible is False


@pytest.mark.requirement("URS-ROLE-002")
def test_admin_may_sign(client_for, make_candidate):
    candidate = make_candidate()
    assert post_sign(client_for("admin"), candidate).status_code == 302
    assert Signature.objects.count() == 1


@pytest.mark.requirement("URS-ROLE-002")
@pytest.mark.parametrize("role", ["coordinator", "monitor", "norole"])
def test_other_roles_cannot_sign(client_for, make_candidate, role):
    candidate = make_candidate()
    assert post_sign(client_for(role), candidate).status_code == 403
    assert Signature.objects.count() == 0


@pytest.mark.requirement("URS-ROLE-002")
def test_the_service_refuses_a_coordinator_too(users, make_candidate):
    candidate = make_candidate()
    with pytest.raises(signoff.Refused, match="role"):
        signoff.sign(candidate=candidate, user=users["coordinator"], password=PASSWORD,
                     evaluation_id=candidate.latest_evaluation_id)
    assert Signature.objects.count() == 0


@pytest.mark.requirement("URS-SIGN-001")
def test_wrong_password_is_refused_and_nothing_is_signed(client_for, make_candidate):
    candidate = make_candidate()
    response = post_sign(client_for("investigator"), candidate, password="wrong password")
    assert response.status_code == 200
    assert "password is not correct" in response.content.decode()
    assert Signature.objects.count() == 0 and not AuditEvent.objects.filter(action="sign").exists()


@pytest.mark.requirement("URS-SIGN-001")
def test_empty_password_is_refused_naming_the_field(client_for, make_candidate):
    candidate = make_candidate()
    response = post_sign(client_for("investigator"), candidate, password="")
    assert response.status_code == 200
    assert "Your password" in response.content.decode() and "required" in response.content.decode()
    assert Signature.objects.count() == 0


@pytest.mark.requirement("URS-SIGN-004")
def test_a_superseded_evaluation_cannot_be_signed(client_for, users, make_candidate):
    candidate = make_candidate()
    shown_evaluation = candidate.latest_evaluation_id
    save_candidate(record=with_lab(eligible_record(), "platelets", value="130"), user=users["coordinator"])
    candidate.refresh_from_db()
    assert candidate.latest_evaluation_id != shown_evaluation
    response = post_sign(client_for("investigator"), candidate, evaluation_id=shown_evaluation)
    assert response.status_code == 200
    assert "superseded" in response.content.decode()
    assert Signature.objects.count() == 0
    # The page now offers the current evaluation.
    assert f'value="{candidate.latest_evaluation_id}"' in response.content.decode()


@pytest.mark.requirement("URS-SIGN-005")
def test_an_incomplete_evaluation_cannot_be_signed_at_all(client_for, users, make_candidate):
    record = eligible_record(ecog=None)
    candidate = make_candidate(**record)
    assert candidate.latest_evaluation.outcome == "incomplete"
    client = client_for("investigator")
    page = client.get(sign_url(candidate))
    assert page.status_code == 200 and "Cannot be signed" in page.content.decode()
    assert 'name="password"' not in page.content.decode()
    assert post_sign(client, candidate).status_code == 200
    with pytest.raises(signoff.Refused, match="incomplete"):
        signoff.sign(candidate=candidate, user=users["investigator"], password=PASSWORD,
                     evaluation_id=candidate.latest_evaluation_id)
    assert Signature.objects.count() == 0


@pytest.mark.requirement("URS-SIGN-005")
def test_the_same_evaluation_is_not_signed_twice(client_for, make_candidate):
    candidate = make_candidate()
    client = client_for("investigator")
    post_sign(client, candidate)
    response = post_sign(client, candidate)
    assert response.status_code == 200 and "already signed" in response.content.decode()
    assert Signature.objects.count() == 1


@pytest.mark.requirement("URS-SIGN-002", "URS-SIGN-003")
def test_sign_page_shows_the_evaluation_the_meaning_and_its_hash(client_for, make_candidate):
    candidate = make_candidate()
    page = client_for("investigator").get(sign_url(candidate)).content.decode()
    assert MEETS in page
    assert signoff.evaluation_sha256(candidate.latest_evaluation) in page
    assert "Platelet count" in page and 'type="password"' in page


@pytest.mark.requirement("URS-SIGN-004")
def test_any_later_change_supersedes_the_signature_visibly(client_for, users, make_candidate):
    candidate = make_candidate()
    post_sign(client_for("investigator"), candidate)
    assert signoff_selectors.current_signature(candidate) is not None
    save_candidate(record=with_lab(eligible_record(), "anc", value="2.2"), user=users["coordinator"],
                   reason="transcription error")
    candidate.refresh_from_db()
    assert signoff_selectors.current_signature(candidate) is None
    page = client_for("coordinator").get(f"/candidates/{candidate.screening_number}/evaluations/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "superseded" in html


@pytest.mark.requirement("URS-IMM-001")
def test_signature_and_evaluation_rows_are_immutable(client_for, make_candidate):
    candidate = make_candidate()
    post_sign(client_for("investigator"), candidate)
    signature = Signature.objects.get()
    evaluation = Evaluation.objects.get()
    for row in (signature, evaluation):
        row.outcome = "x"
        with pytest.raises(PermissionError):
            row.save()
        with pytest.raises(PermissionError):
            row.delete()
        with pytest.raises(PermissionError):
            type(row).objects.all().delete()
        with pytest.raises(PermissionError):
            type(row).objects.update(pk=1)
    assert Signature.objects.count() == 1 and Evaluation.objects.count() == 1


@pytest.mark.requirement("URS-SIGN-004", "URS-ROLE-008")
def test_the_candidate_page_shows_the_panel_and_a_superseded_signature(client_for, users, make_candidate):
    candidate = make_candidate()
    url = f"/candidates/{candidate.screening_number}/"
    html = client_for("investigator").get(url).content.decode()
    assert "Sign-off and outcome" in html and "Sign eligibility decision" in html
    post_sign(client_for("investigator"), candidate)
    html = client_for("coordinator").get(url).content.decode()
    assert "signoff-alert-current" in html and MEETS in html and 'href="/candidates/NLX-S-001/enrol/"' in html
    assert "Sign eligibility decision" not in html
    save_candidate(record=with_lab(eligible_record(), "platelets", value="101"), user=users["coordinator"],
                   reason="re-read")
    html = client_for("coordinator").get(url).content.decode()
    assert "signoff-alert-superseded" in html and "Superseded:" in html
    assert "no change in any verdict" in html  # 120 -> 101 still passes
    assert "/enrol/" not in html


@pytest.mark.requirement("URS-AUDIT-005")
def test_history_describes_what_changed_between_evaluations(client_for, users, make_candidate):
    candidate = make_candidate(**with_lab(eligible_record(), "platelets", value="80"))
    save_candidate(record=eligible_record(), user=users["coordinator"])
    candidate.refresh_from_db()
    entries = evaluation_history(candidate)
    assert [entry.current for entry in entries] == [True, False]
    assert describe(entries[0].changes) == "platelets: fail → pass; outcome: ineligible → eligible"
    assert entries[1].changes is None
    html = client_for("monitor").get(f"/candidates/{candidate.screening_number}/").content.decode()
    assert "platelets: fail → pass; outcome: ineligible → eligible" in html


@pytest.mark.requirement("URS-AUDIT-005")
def test_any_two_evaluations_can_be_compared(client_for, users, make_candidate):
    candidate = make_candidate(**with_lab(eligible_record(), "platelets", value="80"))
    first = candidate.latest_evaluation_id
    save_candidate(record=eligible_record(ecog=None), user=users["coordinator"])
    save_candidate(record=eligible_record(), user=users["coordinator"])
    candidate.refresh_from_db()
    client = client_for("monitor")
    url = f"/candidates/{candidate.screening_number}/evaluations/"
    html = client.get(url, {"a": candidate.latest_evaluation_id, "b": first}).content.decode()
    assert "platelets: fail → pass; outcome: ineligible → eligible" in html  # ordered oldest → newest
    html = client.get(url, {"a": "x", "b": first}).content.decode()
    assert "Compare: choose two evaluations of this candidate." in html


@pytest.mark.requirement("URS-AUDIT-005", "URS-OUT-002")
def test_the_comparison_lists_every_input_that_changed_with_units_and_uln_multiples(client_for, users,
                                                                                      make_candidate):
    """Issue 13: AST 48 → 52 and a weight change used to read "no change in any verdict" only."""
    candidate = make_candidate(**with_lab(eligible_record(), "ast", value="48"))
    first = candidate.latest_evaluation_id
    record = with_lab(eligible_record(weight_kg="56", ecog=0), "ast", value="52")
    with_lab(record, "haemoglobin", value="105", unit="g/L")
    record["lesions"][0]["size_mm"] = "25"
    save_candidate(record=record, user=users["coordinator"], reason="re-read")
    candidate.refresh_from_db()
    html = client_for("monitor").get(f"/candidates/{candidate.screening_number}/evaluations/",
                                     {"a": first, "b": candidate.latest_evaluation_id}).content.decode()
    inputs = html[html.index('class="comparison-inputs'):html.index('class="comparison-verdicts')]
    items = [" ".join(re.sub(r"<[^>]+>", "", item).split()) for item in re.findall(r"<li>(.*?)</li>", inputs)]
    assert "AST 48 → 52 U/L (1.2 → 1.3 × ULN)" in items
    assert "Haemoglobin 11 g/dL → 105 g/L" in items
    assert any(item.startswith("Weight") and "58.5 → 56" in item for item in items), items
    assert any(item.startswith("Ecog") or item.startswith("ECOG") for item in items), items
    assert any("25" in item and item.startswith("Lesion") for item in items), items
    assert len(items) == 4 + 1  # nothing else changed
    assert html.index("comparison-inputs") < html.index("comparison-verdicts")
    assert "no change in any verdict" in html[html.index("comparison-verdicts"):]
