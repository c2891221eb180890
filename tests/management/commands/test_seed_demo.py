"""seed_demo: demo users in their groups, 12 candidates of every outcome, idempotent, not in production."""

import io

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError

from screening.models import Candidate, Evaluation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def debug_on(settings):
    settings.DEBUG = True  # the test runner turns DEBUG off; seed_demo is a development command


@pytest.mark.requirement("URS-UI-006")
def test_creates_users_in_their_groups_and_twelve_candidates_of_every_outcome():
    call_command("seed_demo", stdout=io.StringIO())
    for role in ("coordinator", "investigator", "monitor", "admin"):
        user = User.objects.get(username=role)
        assert user.check_password("nalirifox-demo")
        assert user.groups.filter(name=role).exists()
    assert User.objects.get(username="admin").is_superuser
    assert not User.objects.get(username="coordinator").is_staff
    outcomes = list(Candidate.objects.values_list("latest_evaluation__outcome", flat=True))
    assert len(outcomes) == 12
    assert outcomes.count("eligible") >= 2
    assert outcomes.count("incomplete") >= 1
    failing = {c for e in Evaluation.objects.filter(outcome="ineligible") for c in e.failing_criteria}
    assert len(failing) >= 4  # several different reasons


@pytest.mark.requirement("URS-UI-006")
def test_is_idempotent_and_takes_a_password():
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", "--password", "another-long-pass", stdout=io.StringIO())
    assert Candidate.objects.count() == 12
    assert Evaluation.objects.count() == 12
    assert User.objects.get(username="monitor").check_password("another-long-pass")


@pytest.mark.requirement("URS-UI-006")
def test_refuses_to_run_with_debug_off_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo", stdout=io.StringIO())
    assert User.objects.count() == 0
    call_command("seed_demo", "--force", stdout=io.StringIO())
    assert User.objects.count() == 4
