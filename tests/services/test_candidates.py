"""save_candidate / record_evaluation: one transaction, the engine's validation, immutable snapshots."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from screening.eligibility import InvalidRecord
from screening.models import Candidate, Evaluation, LabResult, Signature
from screening.services.candidates import ReasonRequired, StaleCandidate, save_candidate, sha256_of
from tests.conftest import eligible_record, with_lab

pytestmark = pytest.mark.django_db


@pytest.mark.requirement("URS-CAND-001")
def test_saving_stores_the_candidate_its_rows_and_an_evaluation():
    evaluation = save_candidate(record=eligible_record())
    candidate = evaluation.candidate
    assert candidate.initials == "WXL"
    assert candidate.lab_results.count() == 7
    assert candidate.lesions.count() == 1
    assert candidate.pregnancy_tests.count() == 1
    assert candidate.latest_evaluation == evaluation
    assert evaluation.outcome == "eligible"
    assert evaluation.protocol_version == "1.0"
    assert evaluation.input["screening_number"] == "NLX-S-001"
    assert evaluation.input_sha256 == sha256_of(evaluation.input)
    assert [row["id"] for row in evaluation.criteria][-2:] == ["pregnancy_test", "contraception"]


@pytest.mark.requirement("URS-INPUT-009", "URS-CAND-001")
def test_invalid_record_saves_nothing_and_names_the_field():
    bad = with_lab(eligible_record(), "platelets", unit="g/L")
    with pytest.raises(InvalidRecord) as error:
        save_candidate(record=bad)
    assert error.value.field == "labs[1].unit"
    assert Candidate.objects.count() == 0 and LabResult.objects.count() == 0


@pytest.mark.requirement("URS-CAND-003")
def test_a_value_that_does_not_fit_the_database_column_is_refused_naming_the_field():
    bad = with_lab(eligible_record(), "anc", value="2.123456789")
    with pytest.raises(InvalidRecord) as error:
        save_candidate(record=bad)
    assert error.value.field == "labs[0].value"
    assert Candidate.objects.count() == 0


@pytest.mark.requirement("URS-INPUT-001")
@pytest.mark.parametrize("initials", ["Wang Xiao", 12, ["W"]])
def test_initials_must_be_letters(initials):
    with pytest.raises(InvalidRecord) as error:
        save_candidate(record=eligible_record(initials=initials))
    assert error.value.field == "initials"
    assert Candidate.objects.count() == 0


@pytest.mark.requirement("URS-AUDIT-001")
def test_updating_matches_rows_by_position_and_records_the_change_in_history():
    save_candidate(record=eligible_record())
    platelets = LabResult.objects.get(test="platelets")
    save_candidate(record=with_lab(eligible_record(), "platelets", value="95"))
    platelets.refresh_from_db()
    assert platelets.value == 95
    changes = platelets.history.order_by("history_date")
    assert [row.value for row in changes][-2:] == [Decimal("120"), Decimal("95")]


@pytest.mark.requirement("URS-CAND-001")
def test_rows_matched_by_id_survive_removal_of_an_earlier_row():
    candidate = save_candidate(record=eligible_record()).candidate
    labs = list(candidate.lab_results.all())
    record = eligible_record()
    record["labs"] = [dict(entry, id=row.pk) for entry, row in zip(record["labs"], labs)][1:]
    save_candidate(record=record)
    remaining = list(candidate.lab_results.values_list("pk", "test"))
    assert remaining == [(row.pk, row.test) for row in labs[1:]]
    candidate.refresh_from_db()
    assert candidate.latest_evaluation.statuses()["anc"] == "missing"


@pytest.mark.requirement("URS-CAND-003", "URS-ELIG-012")
def test_lesions_null_means_not_assessed_and_empty_list_means_none_found():
    not_assessed = save_candidate(record=eligible_record(screening_number="A", lesions=None))
    none_found = save_candidate(record=eligible_record(screening_number="B", lesions=[]))
    assert not_assessed.statuses()["measurable_disease"] == "missing"
    assert none_found.statuses()["measurable_disease"] == "fail"


@pytest.mark.requirement("URS-CAND-005")
def test_a_stale_version_is_refused_with_who_changed_it():
    candidate = save_candidate(record=eligible_record()).candidate
    save_candidate(record=eligible_record(ecog=0), expected_version=candidate.version)
    with pytest.raises(StaleCandidate, match="was changed by"):
        save_candidate(record=eligible_record(ecog=2), expected_version=candidate.version)
    assert Candidate.objects.get().ecog == 0


@pytest.mark.requirement("URS-CAND-007")
def test_editing_a_signed_candidate_needs_a_reason(users):
    evaluation = save_candidate(record=eligible_record())
    Signature.objects.create(
        evaluation=evaluation, signed_by=users["investigator"], meaning="I confirm", eligible=True,
        evaluation_sha256="0" * 64,
    )
    with pytest.raises(ReasonRequired):
        save_candidate(record=eligible_record(ecog=0))
    assert Candidate.objects.get().ecog == 1
    save_candidate(record=eligible_record(ecog=0), reason="ECOG re-assessed at visit 2")
    latest = Candidate.objects.get().history.first()
    assert latest.history_change_reason == "ECOG re-assessed at visit 2"


@pytest.mark.requirement("URS-IMM-001")
def test_evaluations_can_be_neither_updated_nor_deleted():
    evaluation = save_candidate(record=eligible_record())
    evaluation.outcome = "ineligible"
    with pytest.raises(PermissionError):
        evaluation.save()
    with pytest.raises(PermissionError):
        evaluation.delete()
    with pytest.raises(PermissionError):
        Evaluation.objects.all().delete()
    with pytest.raises(PermissionError):
        Evaluation.objects.update(outcome="ineligible")
    assert Evaluation.objects.get().outcome == "eligible"


@pytest.mark.requirement("URS-IMM-001")
def test_a_candidate_with_evaluations_cannot_be_deleted():
    candidate = save_candidate(record=eligible_record()).candidate
    with pytest.raises(Exception):
        with transaction.atomic():
            candidate.delete()
    assert Candidate.objects.count() == 1


@pytest.mark.requirement("URS-IMM-003")
def test_database_refuses_an_ecog_above_5():
    candidate = save_candidate(record=eligible_record()).candidate
    with pytest.raises(IntegrityError):
        with transaction.atomic():
            Candidate.objects.filter(pk=candidate.pk).update(ecog=7)


@pytest.mark.requirement("URS-AUDIT-004")
def test_history_names_the_user_also_outside_a_web_request(users):
    save_candidate(record=eligible_record(), user=users["coordinator"])
    save_candidate(record=with_lab(eligible_record(), "platelets", value="95"), user=users["admin"])
    platelets = LabResult.objects.get(test="platelets")
    assert [row.history_user for row in platelets.history.order_by("history_date")] == [
        users["coordinator"], users["admin"],
    ]
    assert Candidate.objects.get().history.first().history_user == users["admin"]
