"""`manage.py check --deploy` passes with the production settings; production refuses a missing or weak key."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REAL_KEY = secrets.token_urlsafe(50)


def manage(*args, **env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SECURE_", "SECRET_KEY"))}
    clean.pop("DATABASE_URL", None)  # the checks below need no database
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120
    )


@pytest.mark.requirement("URS-SEC-005")
def test_check_deploy_passes_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", DEBUG="0", SECRET_KEY=REAL_KEY)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.requirement("URS-SEC-005")
def test_check_deploy_passes_behind_a_tls_proxy_that_redirects():
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING",
        DEBUG="0", SECRET_KEY=REAL_KEY, SECURE_SSL_REDIRECT="0", SECURE_PROXY_SSL_HEADER="1",
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.requirement("URS-SEC-005")
def test_check_deploy_fails_when_hsts_is_switched_off():
    """The check is not vacuous: without HSTS the same command fails."""
    result = manage("check", "--deploy", "--fail-level", "WARNING", DEBUG="0", SECRET_KEY=REAL_KEY,
                    SECURE_HSTS_SECONDS="0")
    assert result.returncode != 0
    assert "security.W004" in result.stdout + result.stderr


@pytest.mark.requirement("URS-SEC-005")
def test_development_settings_do_not_pass_check_deploy():
    result = manage("check", "--deploy", "--fail-level", "WARNING", DEBUG="1")
    assert result.returncode != 0


@pytest.mark.requirement("URS-SEC-005")
@pytest.mark.parametrize(
    "key, message",
    [
        ("", "SECRET_KEY must be set"),
        ("django-insecure-development-only-key-do-not-use-in-production", "real secret"),
        ("too-short-a-key", "real secret"),
    ],
    ids=["missing", "development-key", "short"],
)
def test_production_refuses_to_start_without_a_real_secret_key(key, message):
    result = manage("check", DEBUG="0", SECRET_KEY=key)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and message in result.stderr
