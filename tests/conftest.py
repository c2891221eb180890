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
from tests.eligibility.records import candidate, lab

# The requirement marker and run recorder (validation evidence); pytester tests that plugin.
pytest_plugins = ["tests.traceability.plugin", "pytester"]

PASSWORD = "correct-horse-battery-staple"

# A complete, eligible interchange record (spec section 4); tests override what they are about.
# It is the engine tests' base record (tests/eligibility/records.py) with a screening number, initials and the
# lab values the web tests were written against (ALT 2.2 × ULN with liver metastases, platelets 120).
_BASE = candidate(
    screening_number="NLX-S-001",
    labs=[lab("anc"), lab("platelets", "120"), lab("haemoglobin", "11.0"), lab("bilirubin", "12"),
          lab("alt", "88"), lab("ast", "35"), lab("creatinine", uln="104")],
)
ELIGIBLE_RECORD = {"screening_number": _BASE.pop("screening_number"), "initials": "WXL", **_BASE}


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
