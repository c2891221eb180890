"""`make serve` runs the production configuration: start it, log in over HTTP, load pages, stop it.

The server is the real thing (DEBUG=0, gunicorn, WhiteNoise, collectstatic,
migrate, the secret key generated into a file), on a free port of 127.0.0.1:
- when the tests run on PostgreSQL, against a fresh database on the same server
  (created by `make serve` itself, dropped afterwards);
- on SQLite, against a temporary SQLite file.
It runs as behind the hospital's TLS proxy: SECURE_SSL_REDIRECT=1 and
SECURE_PROXY_SSL_HEADER=1, and the requests carry ``X-Forwarded-Proto: https``
as the proxy's would, so HSTS and the Secure cookies are those of production.
"""

import os
import re
import signal
import socket
import subprocess
import sys
import time
from http.cookies import SimpleCookie
from pathlib import Path

import dj_database_url
import httpx
import pytest

from tests.html_forms import form_fields

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "serve-test-password-4711"
STARTUP_SECONDS = 180  # a bound on waiting, not an assertion about speed

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def postgres_config():
    url = os.environ.get("DATABASE_URL", "")
    config = dj_database_url.parse(url) if url else {}
    return config if "postgresql" in config.get("ENGINE", "") else None


def maintenance_connection(config):
    import psycopg2

    connection = psycopg2.connect(
        dbname="postgres", user=config.get("USER") or None, password=config.get("PASSWORD") or None,
        host=config.get("HOST") or None, port=config.get("PORT") or None,
    )
    connection.autocommit = True
    return connection


class Browser:
    """httpx with a hand-kept cookie jar: the cookies are Secure, the transport is the proxy's plain http."""

    def __init__(self, base):
        self.base = base
        self.cookies = {}
        self.http = httpx.Client(base_url=base, timeout=30, follow_redirects=False)

    def request(self, method, path, proxy_https=True, **kwargs):
        headers = kwargs.pop("headers", {})
        headers.setdefault("Accept-Language", "en")  # the site's default is Chinese; these checks read English
        if proxy_https:
            headers["X-Forwarded-Proto"] = "https"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        response = self.http.request(method, path, headers=headers, **kwargs)
        for header in response.headers.get_list("set-cookie"):
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0" or morsel.value == "":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return response

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, data, **kwargs):
        origin = self.base.replace("http://", "https://")
        headers = {"Origin": origin, "Referer": origin + path}
        return self.request("POST", path, data=data, headers=headers, **kwargs)


def csrf_token(html):
    return form_fields(html, "login-form")["csrfmiddlewaretoken"]


def set_cookie(response, name):
    """The raw Set-Cookie header for ``name`` (lower-cased)."""
    for header in response.headers.get_list("set-cookie"):
        if header.startswith(f"{name}="):
            return header.lower()
    raise AssertionError(f"no Set-Cookie for {name}: {response.headers.get_list('set-cookie')}")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("serve")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SECURE_", "SECRET_KEY", "DJANGO_"))}
    env.update(
        PORT=str(port), HOST="127.0.0.1", SECRET_KEY_FILE=str(tmp / "secret_key"),
        SECURE_SSL_REDIRECT="1", SECURE_PROXY_SSL_HEADER="1", WEB_CONCURRENCY="2",
    )
    env.pop("SECRET_KEY", None)
    pg = postgres_config()
    if pg:
        database = f"nlx_serve_test_{os.getpid()}"
        user = pg.get("USER") or "postgres"
        auth = f"{user}:{pg['PASSWORD']}" if pg.get("PASSWORD") else user
        env["DATABASE_URL"] = f"postgres://{auth}@{pg.get('HOST') or '127.0.0.1'}:{pg.get('PORT') or 5432}/{database}"
    else:
        env["DATABASE_URL"] = f"sqlite:///{tmp / 'serve.sqlite3'}"

    log_path = tmp / "serve.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            ["make", "--no-print-directory", "serve"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            if process.poll() is not None:
                pytest.fail(f"make serve exited with {process.returncode}:\n{log_path.read_text()}")
            try:
                if httpx.get(base + "/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"make serve did not answer within {STARTUP_SECONDS}s:\n{log_path.read_text()}")
            time.sleep(0.5)

        # Users, made with the same production settings against the same database.
        script = (
            "from django.contrib.auth.models import Group, User\n"
            "for name, staff in (('coordinator', False), ('admin', True)):\n"
            "    group, _ = Group.objects.get_or_create(name=name)\n"
            f"    user = User.objects.create_user('serve-' + name, password='{PASSWORD}', is_staff=staff)\n"
            "    user.groups.add(group)\n"
        )
        made = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", script], cwd=ROOT, capture_output=True, text=True,
            timeout=120, env={**env, "DEBUG": "0", "SECRET_KEY": (tmp / "secret_key").read_text().strip()},
        )
        assert made.returncode == 0, made.stderr
        yield {"base": base, "process": process, "log": log_path, "key_file": tmp / "secret_key"}
    finally:
        stop(process)
        if pg:
            connection = maintenance_connection(pg)
            with connection.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
            connection.close()


def stop(process):
    """SIGTERM to the process group that `make serve` started (make, gunicorn and its workers)."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=30)
    try:  # gunicorn's workers belong to the same group; make sure none is left
        os.killpg(process.pid, 0)
    except ProcessLookupError:
        return
    for _ in range(60):
        try:
            os.killpg(process.pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.5)
    os.killpg(process.pid, signal.SIGKILL)


def login(browser, username, password=PASSWORD):
    page = browser.get("/accounts/login/")
    assert page.status_code == 200
    return browser.post(
        "/accounts/login/",
        {"username": username, "password": password, "csrfmiddlewaretoken": csrf_token(page.text), "next": ""},
    )


@pytest.mark.requirement("URS-SEC-005")
def test_secret_key_is_generated_once_into_a_private_file(server):
    key = server["key_file"].read_text().strip()
    assert len(key) >= 50
    assert server["key_file"].stat().st_mode & 0o077 == 0  # readable by its owner only


@pytest.mark.requirement("URS-SEC-005")
def test_plain_http_is_redirected_to_https(server):
    response = Browser(server["base"]).get("/accounts/login/", proxy_https=False)
    assert response.status_code == 301
    assert response.headers["location"].startswith("https://127.0.0.1:")


@pytest.mark.requirement("URS-OPS-002")
def test_health_check_answers_on_plain_http(server):
    response = httpx.get(server["base"] + "/healthz", timeout=10)
    assert response.status_code == 200 and response.text.strip() == "ok"


@pytest.mark.requirement("URS-SEC-004")
def test_login_page_carries_every_security_header(server):
    response = Browser(server["base"]).get("/accounts/login/")
    assert response.status_code == 200
    headers = response.headers
    assert headers["strict-transport-security"] == "max-age=31536000; includeSubDomains"
    csp = {part.split()[0]: part.split()[1:] for part in headers["content-security-policy"].split("; ")}
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"] and csp["style-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"] and csp["object-src"] == ["'none'"]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"
    assert headers["x-frame-options"] == "DENY"
    csrf_cookie = set_cookie(response, "csrftoken")
    assert "; secure" in csrf_cookie and "samesite=lax" in csrf_cookie


@pytest.mark.requirement("URS-OPS-003")
def test_log_in_over_http_and_load_pages(server):
    browser = Browser(server["base"])
    response = login(browser, "serve-coordinator")
    assert response.status_code == 302, response.text[:2000]
    assert response.headers["location"] == "/"  # the work queue
    session_cookie = set_cookie(response, "sessionid")
    assert "; secure" in session_cookie and "; httponly" in session_cookie and "samesite=lax" in session_cookie
    assert "max-age=1800" in session_cookie  # the 30-minute idle timeout

    page = browser.get("/candidates/")
    assert page.status_code == 200, page.text[:2000]
    assert "serve-coordinator" in page.text
    assert "strict-transport-security" in page.headers

    # Static files come from WhiteNoise: hashed names, cached for ever.
    stylesheet = re.search(r'href="(/static/css/app\.[0-9a-f]{12}\.css)"', page.text).group(1)
    css = browser.get(stylesheet)
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    assert "immutable" in css.headers["cache-control"]

    # Logging out ends the session.
    logout = browser.post("/accounts/logout/", {"csrfmiddlewaretoken": browser.cookies["csrftoken"]})
    assert logout.status_code == 302
    assert browser.get("/candidates/").status_code == 302


@pytest.mark.requirement("URS-SEC-001")
def test_wrong_password_is_refused_with_a_message(server):
    response = login(Browser(server["base"]), "serve-coordinator", password="not-the-password")
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.text


@pytest.mark.requirement("URS-OPS-003")
def test_admin_loads_for_an_administrator_with_its_own_static_files(server):
    browser = Browser(server["base"])
    assert login(browser, "serve-admin").status_code == 302
    page = browser.get("/admin/")
    assert page.status_code == 200 and "NALIRIFOX Screen administration" in page.text
    admin_css = re.search(r'href="(/static/admin/css/base\.[0-9a-f]{12}\.css)"', page.text).group(1)
    assert browser.get(admin_css).status_code == 200


@pytest.mark.requirement("URS-SEC-005")
def test_a_missing_page_is_a_plain_404_without_debug_information(server):
    browser = Browser(server["base"])
    response = browser.get("/no-such-page/")
    assert response.status_code == 404
    assert "Traceback" not in response.text and "DEBUG = True" not in response.text
