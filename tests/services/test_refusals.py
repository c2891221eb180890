"""One refusal hierarchy (``screening.services.refusals``): every kind is ``(message, field=None)``."""

import pytest

from screening.services.refusals import PlanChanged, ReasonRequired, Refusal, Refused, StaleCandidate
from screening.services.signoff import Refused as SignoffRefused


@pytest.mark.parametrize("kind", [Refused, ReasonRequired, PlanChanged])
def test_every_refusal_takes_the_message_first_and_the_field_by_name(kind):
    refusal = kind("Assessment date: in the future.", field="assessed_on")
    assert isinstance(refusal, Refusal)
    assert (refusal.message, refusal.field, str(refusal)) == (
        "Assessment date: in the future.", "assessed_on", "Assessment date: in the future."
    )


def test_a_missing_reason_names_the_reason_field_and_the_services_share_one_refused():
    assert ReasonRequired("Reason: required.").field == "reason"
    assert Refused("No.").field is None
    assert SignoffRefused is Refused and issubclass(StaleCandidate, Refusal)


@pytest.mark.django_db
def test_dfs_refusals_use_the_same_order(users, make_candidate):
    from screening.services.endpoints import record_dfs

    with pytest.raises(Refused) as refused:
        record_dfs(candidate=make_candidate(), dfs_6_month="yes", assessed_on=None, user=users["coordinator"])
    assert refused.value.field == "candidate" and "is not enrolled" in refused.value.message
