"""Slow and idle clients cannot freeze the server; nginx buffers in front of gunicorn.

The assessment: six idle connections froze `make serve` for about 65 s (/healthz included): three
sync gunicorn workers, each held by one connection. Here gunicorn runs with deploy/gunicorn.conf.py
as `make serve` runs it (DEBUG=0, loopback, a free port), two worker processes with the default
thread pool; twice as many slow and idle connections as froze it before are opened (bounded,
loopback only) and /healthz must still answer; a client that stops mid-request is dropped after
the read timeout, so even more of them only delay the pool. docker-compose.yml and
deploy/nginx.conf are checked by parsing (no Docker here).
"""

import os
import re
import secrets
import socket
import subprocess
import time
from pathlib import Path

import httpx
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKERS = 2
SLOW_CONNECTIONS = 12  # bounded: 12 sockets on 127.0.0.1 (the finding: 6 froze the server)
ANSWER_WITHIN_SECONDS = 10  # a bound on waiting (the finding was ~65 s), not a speed assertion
STARTUP_SECONDS = 60

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def gunicorn(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("slow")
    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith(("SECURE_", "DJANGO_"))}
    env.update(
        DEBUG="0", SECRET_KEY=secrets.token_urlsafe(50), HOST="127.0.0.1", PORT=str(port),
        WEB_CONCURRENCY=str(WORKERS), SECURE_SSL_REDIRECT="0",
        DATABASE_URL=f"sqlite:///{tmp / 'slow.sqlite3'}", GUNICORN_LOG_LEVEL="warning",
    )
    log = (tmp / "gunicorn.log").open("w")
    process = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "--config", "deploy/gunicorn.conf.py", "nalirifox_screen.wsgi:application"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + STARTUP_SECONDS
    while True:
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise AssertionError((tmp / "gunicorn.log").read_text())
        time.sleep(0.3)
    yield base, port
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()


@pytest.mark.requirement("URS-SEC-008")
def test_health_check_answers_while_slow_and_idle_clients_hold_connections(gunicorn):
    base, port = gunicorn
    held = []
    try:
        for index in range(SLOW_CONNECTIONS):
            sock = socket.create_connection(("127.0.0.1", port), timeout=5)
            if index % 2:  # slowloris: half a request, then nothing
                sock.sendall(b"GET /accounts/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
            held.append(sock)  # the others: connected, idle
        time.sleep(1)
        started = time.monotonic()
        response = httpx.get(f"{base}/healthz", timeout=ANSWER_WITHIN_SECONDS)
        assert response.status_code == 200 and response.text == "ok\n"
        assert time.monotonic() - started < ANSWER_WITHIN_SECONDS
        # Several at once, too.
        with httpx.Client(timeout=ANSWER_WITHIN_SECONDS) as client:
            assert all(client.get(f"{base}/healthz").status_code == 200 for _ in range(5))
    finally:
        for sock in held:
            sock.close()


@pytest.mark.requirement("URS-SEC-008")
def test_a_client_that_stops_mid_request_is_dropped(gunicorn):
    from nalirifox_screen.gunicorn_worker import READ_TIMEOUT_SECONDS

    _, port = gunicorn
    with socket.create_connection(("127.0.0.1", port), timeout=READ_TIMEOUT_SECONDS + 15) as sock:
        sock.sendall(b"GET /accounts/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        started = time.monotonic()
        answer = b""
        while chunk := sock.recv(4096):  # the server closes the connection (after a 400, if it sends one)
            answer += chunk
        assert time.monotonic() - started < READ_TIMEOUT_SECONDS + 15
        assert answer == b"" or answer.startswith(b"HTTP/1.1 400")


@pytest.mark.requirement("URS-SEC-008", "URS-SEC-009")
def test_oversized_request_lines_and_headers_are_refused(gunicorn):
    base, _ = gunicorn
    assert httpx.get(f"{base}/healthz?{'x' * 5000}", timeout=10).status_code == 414
    assert httpx.get(f"{base}/healthz", headers={"X-Big": "y" * 9000}, timeout=10).status_code in (400, 431)
    too_many = {f"X-H{index}": "1" for index in range(60)}
    assert httpx.get(f"{base}/healthz", headers=too_many, timeout=10).status_code in (400, 431)


@pytest.mark.requirement("URS-SEC-008")
def test_gunicorn_config_uses_bounded_threaded_workers_and_request_limits():
    config = {}
    exec((ROOT / "deploy/gunicorn.conf.py").read_text(), config)  # noqa: S102 — our own config file
    assert config["worker_class"] == "nalirifox_screen.gunicorn_worker.ThreadWorker"
    assert 2 <= config["threads"] <= 16 and config["worker_connections"] <= 1000
    assert config["limit_request_line"] <= 8190 and config["limit_request_fields"] <= 100
    assert config["limit_request_field_size"] <= 8190
    assert config["timeout"] <= 60 and config["keepalive"] <= 10


# --- the nginx proxy in docker-compose.yml ---------------------------------------------------------


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def nginx_directives():
    text = re.sub(r"#.*", "", (ROOT / "deploy/nginx.conf").read_text())
    directives = {}
    for name, value in re.findall(r"^\s*([a-z_]+)\s+([^;{]*);", text, flags=re.MULTILINE):
        if name == "proxy_set_header":  # one per header: "proxy_set_header X-Forwarded-For" -> value
            header, value = value.split(None, 1)
            name = f"{name} {header}"
        directives[name] = value.strip()
    return directives


def seconds(value):
    return int(value.removesuffix("s"))


@pytest.mark.requirement("URS-SEC-008", "URS-OPS-003")
def test_nginx_buffers_requests_and_responses_with_timeouts():
    directives = nginx_directives()
    assert directives["proxy_pass"] == "http://app"
    assert directives["proxy_request_buffering"] == "on" and directives["proxy_buffering"] == "on"
    assert seconds(directives["client_header_timeout"]) <= 30 and seconds(directives["client_body_timeout"]) <= 30
    assert directives["client_max_body_size"] == "10m"
    assert directives["server_tokens"] == "off"


@pytest.mark.requirement("URS-OPS-003", "URS-SEC-007")
def test_the_proxy_is_the_only_way_in(compose):
    services = compose["services"]
    proxy, app = services["proxy"], services["app"]
    assert re.fullmatch(r"nginx:1\.\d+(\.\d+)?(-alpine)?", proxy["image"])
    assert "./deploy/nginx.conf:/etc/nginx/conf.d/default.conf:ro" in proxy["volumes"]
    (port,) = proxy["ports"]
    assert port.startswith("${APP_BIND:-127.0.0.1}:") and port.endswith(":8080")
    assert "ports" not in app and app["expose"] == ["8000"]
    assert proxy["depends_on"]["app"]["condition"] == "service_healthy"


@pytest.mark.requirement("URS-SEC-007")
def test_the_app_trusts_forwarded_addresses_from_the_proxy_only(compose):
    services = compose["services"]
    proxy_address = services["proxy"]["networks"]["internal"]["ipv4_address"]
    env = services["app"]["environment"]
    assert env["AXES_TRUSTED_PROXIES"] == proxy_address == env["FORWARDED_ALLOW_IPS"]
    assert env["AXES_PROXY_COUNT"] == "2"
    assert nginx_directives()["proxy_set_header X-Forwarded-For"] == "$proxy_add_x_forwarded_for"
