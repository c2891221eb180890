"""docker-compose.yml and the Dockerfile describe the production stack (no Docker engine here: parse them)."""

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


@pytest.fixture(scope="module")
def dockerfile():
    return (ROOT / "Dockerfile").read_text()


def environment(service):
    env = service["environment"]
    if isinstance(env, list):  # the "KEY=value" list form
        env = dict(item.split("=", 1) for item in env)
    return env


@pytest.mark.requirement("URS-OPS-003")
def test_compose_has_exactly_a_database_the_app_and_its_proxy(compose):
    assert set(compose["services"]) == {"db", "app", "proxy"}


@pytest.mark.requirement("URS-OPS-003")
def test_database_is_postgres_16_on_a_named_volume(compose):
    db = compose["services"]["db"]
    assert re.fullmatch(r"postgres:16(\.\d+)*(-[\w.]+)?", db["image"])
    mounts = [volume.split(":") for volume in db["volumes"]]
    assert ["pgdata", "/var/lib/postgresql/data"] in mounts
    assert "pgdata" in compose["volumes"]  # named, so it survives `docker compose down`
    assert db["environment"]["POSTGRES_PASSWORD"].startswith("${POSTGRES_PASSWORD:?")


@pytest.mark.requirement("URS-OPS-003")
def test_database_has_a_healthcheck_that_asks_postgres(compose):
    healthcheck = compose["services"]["db"]["healthcheck"]
    test = healthcheck["test"]
    command = " ".join(test) if isinstance(test, list) else test
    assert "pg_isready" in command
    assert healthcheck["retries"] >= 3


@pytest.mark.requirement("URS-OPS-003")
def test_app_waits_for_a_healthy_database(compose):
    app = compose["services"]["app"]
    assert app["depends_on"]["db"]["condition"] == "service_healthy"


@pytest.mark.requirement("URS-OPS-003")
def test_app_is_configured_from_the_environment(compose):
    app = compose["services"]["app"]
    env = environment(app)
    assert {"SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS"} <= set(env)
    assert env["DEBUG"] == "0"
    assert env["SECRET_KEY"].startswith("${SECRET_KEY:?")  # no default: refuses to start without one
    assert env["DATABASE_URL"].startswith("postgres://") and "@db:5432/" in env["DATABASE_URL"]
    assert app["build"] == "." and "healthcheck" in app
    assert "/healthz" in " ".join(app["healthcheck"]["test"])


@pytest.mark.requirement("URS-OPS-003")
def test_proxy_port_is_published_on_loopback_by_default(compose):
    (port,) = compose["services"]["proxy"]["ports"]
    assert port.startswith("${APP_BIND:-127.0.0.1}:${APP_PORT:-8000}:")
    assert "ports" not in compose["services"]["app"]  # the app is reached through the proxy only


@pytest.mark.requirement("URS-OPS-003")
def test_dockerfile_builds_a_non_root_gunicorn_image(dockerfile):
    lines = [line.strip() for line in dockerfile.splitlines() if line.strip() and not line.startswith("#")]
    assert lines[0] == "FROM python:3.11-slim"
    assert any(line.startswith("RUN pip install -r requirements.txt") for line in lines)
    assert "collectstatic" in dockerfile
    users = [line.split()[1] for line in lines if line.startswith("USER ")]
    assert users and users[-1] not in {"root", "0"}
    entrypoint = (ROOT / "deploy" / "entrypoint.sh").read_text()
    assert "migrate --noinput" in entrypoint
    assert "exec gunicorn" in entrypoint


@pytest.mark.requirement("URS-OPS-003")
def test_docker_context_leaves_secrets_and_local_state_out():
    ignored = set((ROOT / ".dockerignore").read_text().split())
    assert {".git", ".venv", ".secret_key", "db.sqlite3", "staticfiles"} <= ignored
