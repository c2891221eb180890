"""The permission predicates (``screening.permissions``): the candidate page offers an action exactly when
the service would take it, and a refusal says the same thing in both places."""

import datetime

import pytest

from screening import permissions
from screening.models import Candidate
from screening.selectors.signoff import standing
from screening.services import signoff
from screening.services.candidates import save_candidate
from tests.conftest import PASSWORD, eligible_record, with_lab

pytestmark = pytest.mark.django_db

KINDS = ("unsigned", "signed", "superseded", "incomplete", "screen_failure", "enrolled")
ROLES = ("coordinator", "investigator", "monitor", "admin")
LINKS = {"sign": "/sign/", "enrol": "/enrol/", "close": "/close/", "rescreen": "/rescreen/"}


def make(kind, users):
    coordinator, investigator = users["coordinator"], users["investigator"]
    record = eligible_record(screening_number="NLX-S-501")
    if kind == "incomplete":
        record["ecog"] = None
    if kind == "screen_failure":
        with_lab(record, "platelets", value="95")
    candidate = save_candidate(record=record, user=coordinator).candidate
    if kind in ("signed", "superseded", "enrolled"):
        signoff.sign(candidate=candidate, user=investigator, password=PASSWORD,
                     evaluation_id=candidate.latest_evaluation_id)
    if kind == "superseded":
        save_candidate(record=eligible_record(screening_number="NLX-S-501", ecog=0), user=coordinator,
                       reason="ECOG corrected")
    if kind == "screen_failure":
        signoff.close(candidate=candidate, user=coordinator, state=Candidate.State.SCREEN_FAILURE)
    if kind == "enrolled":
        signoff.enrol(candidate=candidate, user=coordinator, enrolment_date=candidate.screening_date)
    return Candidate.objects.select_related("latest_evaluation").get(pk=candidate.pk)


def perform(action, candidate, user):
    if action == "sign":
        return signoff.sign(candidate=candidate, user=user, password=PASSWORD,
                            evaluation_id=candidate.latest_evaluation_id)
    if action == "enrol":
        return signoff.enrol(candidate=candidate, user=user, enrolment_date=candidate.screening_date)
    if action == "close":
        return signoff.close(candidate=candidate, user=user, state=Candidate.State.DECLINED)
    return signoff.rescreen(candidate=candidate, user=user,
                            screening_date=candidate.screening_date + datetime.timedelta(days=1))


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("role", ROLES)
def test_the_page_offers_an_action_exactly_when_the_predicate_allows_it(client_for, users, kind, role):
    candidate = make(kind, users)
    page = client_for(role).get(f"/candidates/{candidate.screening_number}/").content.decode()
    now = standing(candidate)
    for action, link in LINKS.items():
        offered = f'href="/candidates/{candidate.screening_number}{link}"' in page
        assert offered == permissions.may(action, user=users[role], standing=now), (action, kind, role)


@pytest.mark.parametrize("action", LINKS)
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("role", ["coordinator", "investigator"])
def test_the_service_takes_the_action_exactly_when_the_predicate_allows_it(users, kind, role, action):
    candidate = make(kind, users)
    refusal = permissions.refusal(action, user=users[role], standing=standing(candidate))
    if refusal is None:
        perform(action, candidate, users[role])
    else:
        with pytest.raises(signoff.Refused) as refused:
            perform(action, candidate, users[role])
        assert refused.value.message == refusal


def test_every_action_names_its_roles_and_a_rule():
    assert set(permissions.ACTIONS) == set(permissions.STATE_RULES) == set(LINKS)


@pytest.mark.parametrize("role", ["coordinator", "investigator", "monitor", "admin"])
def test_only_an_admin_may_re_evaluate_under_an_amendment(users, role):
    assert permissions.may_reevaluate(users[role]) is (role == "admin")
