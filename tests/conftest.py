"""Fixtures shared by the web, service and browser tests."""

import copy
import io
import sys
import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from screening import roles

# The requirement marker and run recorder (validation evidence); pytester tests that plugin.
pytest_plugins = ["tests.traceability.plugin", "pytester"]

PASSWORD = "correct-horse-battery-staple"

# A complete, eligible interchange record (spec section 4); tests override what they are about.
ELIGIBLE_RECORD = {
    "screening_number": "NLX-S-001",
    "initials": "WXL",
    "screening_date": "2026-03-02",
    "planned_first_dose": "2026-03-10T09:00:00+08:00",
    "date_of_birth": "1961-05-14",
    "sex": "female",
    "weight_kg": "58.5",
    "consent_signed_on": "2026-03-01",
    "diagnosis": {"type": "NEC", "confirmation": "histological", "primary_site": "pancreas",
                  "metastatic": True, "ne_component_percent": None},
    "prior_systemic_lines": 1,
    "prior_line_failed": True,
    "ecog": 1,
    "life_expectancy_months": 6,
    "liver_metastases": True,
    "lesions": [{"kind": "non_nodal", "method": "CT", "size_mm": "23", "slice_thickness_mm": "5",
                 "imaged_on": "2026-02-26",
                 "locally_treated": False, "progressed_after_local_treatment": None}],
    "transfusion_or_growth_factor": {"any": False},
    "labs": [
        {"test": "anc", "value": "2.1", "unit": "10*9/L", "uln": None, "collected": "2026-02-27"},
        {"test": "platelets", "value": "120", "unit": "10*9/L", "uln": None, "collected": "2026-02-27"},
        {"test": "haemoglobin", "value": "11.0", "unit": "g/dL", "uln": None, "collected": "2026-02-27"},
        {"test": "bilirubin", "value": "12", "unit": "umol/L", "uln": "21", "collected": "2026-02-27"},
        {"test": "alt", "value": "88", "unit": "U/L", "uln": "40", "collected": "2026-02-27"},
        {"test": "ast", "value": "35", "unit": "U/L", "uln": "40", "collected": "2026-02-27"},
        {"test": "creatinine", "value": "70", "unit": "umol/L", "uln": "104", "collected": "2026-02-27"},
    ],
    "childbearing_potential": True,
    "partner_childbearing_potential": None,
    "contraception_agreed": True,
    "pregnancy_tests": [{"specimen": "serum", "result": "negative", "collected": "2026-03-08T10:30:00+08:00"}],
}


def eligible_record(**overrides):
    """A deep copy of ELIGIBLE_RECORD with top-level keys replaced."""
    record = copy.deepcopy(ELIGIBLE_RECORD)
    record.update(overrides)
    return record


def with_lab(record, test, **changes):
    """Change the fields of one lab entry (by test) in a record, in place; returns the record."""
    for lab in record["labs"]:
        if lab["test"] == test:
            lab.update(changes)
    return record


def run_evaluate_candidates(text, *args):
    """Run ``evaluate_candidates -`` in-process on ``text``; returns (exit code, standard output)."""
    stdout, stdin = io.StringIO(), sys.stdin
    sys.stdin = io.StringIO(text)
    try:
        call_command("evaluate_candidates", "-", *args, stdout=stdout)
        code = 0
    except SystemExit as exit_:
        code = exit_.code
    except CommandError as error:
        code = error.returncode
    finally:
        sys.stdin = stdin
    return code, stdout.getvalue()


@pytest.fixture(autouse=True)
def english_by_default(settings):
    """Tests read English unless they ask for Chinese (the site's default is zh-hans; see tests/i18n/).

    A request without Accept-Language, cookie or saved choice gets settings.LANGUAGE_CODE; code outside
    a request (services, forms) runs in the activated language."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Tests log users in often; PBKDF2 would cost seconds per test (production keeps it)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fresh_cache():
    """The navigation-bar counts are cached per data state; a rolled-back test must not leave them behind."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def users(db):
    """One user per role (plus one with no role), each in the group of the same name."""
    made = {}
    for name in roles.ROLES:
        group, _ = Group.objects.get_or_create(name=name)
        user = User.objects.create_user(username=name, password=PASSWORD, is_staff=name == roles.ADMIN)
        user.groups.add(group)
        made[name] = user
    made["norole"] = User.objects.create_user(username="norole", password=PASSWORD)
    return made


@pytest.fixture
def client_for(client, users):
    """client_for("coordinator") -> the test client logged in as that role."""

    def login(role):
        client.force_login(users[role])
        return client

    return login


@pytest.fixture
def make_candidate(db):
    """make_candidate(screening_number=..., **overrides) -> saved Candidate with one evaluation."""
    from screening.services.candidates import save_candidate

    def make(user=None, **overrides):
        evaluation = save_candidate(record=eligible_record(**overrides), user=user)
        return evaluation.candidate

    return make
