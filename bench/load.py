"""Load test of the production server (a script, not a test; never run in CI).

    make serve                                   # in another terminal (PostgreSQL, DEBUG=0, gunicorn)
    .venv/bin/python bench/load.py [--users 50] [--duration 60] [--think 1.0]
    .venv/bin/python bench/load.py --start       # starts `make serve` on a free port itself, stops it after

``--users`` simulated coordinators (asyncio + httpx, one connection each) log
in over HTTP, then for ``--duration`` seconds each repeats what a coordinator
does at the desk: open the candidate list, open one of their candidates'
checklist, open its edit form, change a value and save (the server evaluates
and stores a new evaluation, then redirects to the checklist, which is loaded
too). Between two actions a coordinator pauses ``--think`` seconds on average
(uniform 0.5x-1.5x; 0 for a stress run without pauses).

Printed: requests/s, p50 / p95 / p99 latency (all requests and per action),
errors. After the run the number of evaluations stored for the load-test
candidates since the start is compared with the number of saves the server
confirmed: they must be equal (nothing lost, nothing doubled).

Bounded: at most 200 users, 600 s and 30 s per request; the target must be a
loopback address (127.0.0.0/8, ::1, localhost): this script sends no traffic
anywhere else. It needs the server's database (DATABASE_URL, default the
`make serve` one) to create its users and candidates (LOAD-* / load-coord-*,
reused across runs) and to count evaluations.

Target (issue 7): zero errors and p95 < 300 ms with 50 coordinators on the 2-core machine.
"""

from __future__ import annotations

import argparse
import asyncio
import ipaddress
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

MAX_USERS = 200
MAX_DURATION = 600
REQUEST_TIMEOUT = 30
PASSWORD = "load-test-password-not-secret-0815"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/nalirifox"
VERSION = re.compile(r'name="version" value="(\d+)"')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ACCESS_LINE = re.compile(r'"(GET|POST) (\S+) HTTP/[\d.]+" (\d{3}) .* (\d+)ms$')


def loopback_only(base):
    host = urlsplit(base).hostname or ""
    if host == "localhost":
        return
    try:
        if ipaddress.ip_address(host).is_loopback:
            return
    except ValueError:
        pass
    sys.exit(f"refusing to load {base}: only loopback addresses (127.0.0.1, ::1, localhost) are allowed")


def django_setup():
    os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nalirifox_screen.settings")
    os.environ.setdefault("DEBUG", "1")  # settings fail closed; the benchmark's own setup is development
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # setup and the final count run outside the event loop
    import django

    django.setup()


def prepare(users):
    """load-coord-NN users (coordinator role) and one LOAD-NNN candidate each; returns their numbers."""
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group, User

    from screening.models import Candidate
    from screening.services.candidates import save_candidate
    from tests.conftest import eligible_record

    group, _ = Group.objects.get_or_create(name="coordinator")
    password = make_password(PASSWORD)
    pairs = []
    for index in range(1, users + 1):
        user, created = User.objects.get_or_create(username=f"load-coord-{index:03d}")
        if created or not user.check_password(PASSWORD):
            user.password = password
            user.save()
        user.groups.add(group)
        number = f"LOAD-{index:03d}"
        if not Candidate.objects.filter(screening_number=number).exists():
            save_candidate(record=eligible_record(screening_number=number), user=user)
        pairs.append((user.username, number))
    return pairs


def evaluations_since(started_at):
    from screening.models import Evaluation

    return Evaluation.objects.filter(
        candidate__screening_number__startswith="LOAD-", created_at__gte=started_at
    ).count()


class Coordinator:
    def __init__(self, http, username, number, stats):
        self.http, self.username, self.number, self.stats = http, username, number, stats
        self.cookies = {}

    async def request(self, action, method, path, data=None, expect=(200,)):
        headers = {}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        started = time.perf_counter()
        try:
            response = await self.http.request(method, path, data=data, headers=headers)
        except Exception as error:  # noqa: BLE001 - a failed request is an error in the figures
            self.stats.error(action, f"{type(error).__name__}: {error}")
            return None
        elapsed = time.perf_counter() - started
        for header in response.headers.get_list("set-cookie"):  # Secure cookies, plain http: kept by hand
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        if response.status_code not in expect:
            self.stats.error(action, f"{method} {path} -> {response.status_code}")
            return None
        self.stats.record(action, elapsed)
        return response

    async def login(self):
        page = await self.request("login page", "GET", "/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        response = await self.request(
            "login", "POST", "/accounts/login/",
            data={"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": token},
            expect=(302,),
        )
        if response is None:
            raise RuntimeError(f"{self.username} could not log in")

    async def work(self, deadline, think):
        from tests.html_forms import form_fields

        rng = random.Random(self.username)

        async def pause():
            if think:
                await asyncio.sleep(think * rng.uniform(0.5, 1.5))

        form = None
        while time.monotonic() < deadline:
            await self.request("list", "GET", "/candidates/")
            await pause()
            await self.request("checklist", "GET", f"/candidates/{self.number}/")
            await pause()
            edit = await self.request("edit form", "GET", f"/candidates/{self.number}/edit/")
            if edit is None:
                continue
            await pause()
            if time.monotonic() >= deadline:
                break
            if form is None:
                form = form_fields(edit.text)  # the whole form once; afterwards only what changes
            else:
                form["version"] = VERSION.search(edit.text).group(1)
                form["csrfmiddlewaretoken"] = CSRF.search(edit.text).group(1)
            form["weight_kg"] = f"{rng.uniform(45, 90):.1f}"
            saved = await self.request("save", "POST", f"/candidates/{self.number}/edit/", data=form,
                                       expect=(302,))
            if saved is not None:
                self.stats.saves += 1
                await self.request("checklist", "GET", saved.headers["location"])
            await pause()


class Stats:
    def __init__(self):
        self.latencies = defaultdict(list)
        self.errors = defaultdict(list)
        self.saves = 0
        self.log_start = 0
        self.measuring = False

    def record(self, action, seconds):
        if self.measuring:
            self.latencies[action].append(seconds)

    def error(self, action, message):
        self.errors[action].append(message)

    def report(self, elapsed):
        every = [value for values in self.latencies.values() for value in values]
        errors = sum(len(messages) for messages in self.errors.values())
        print(f"\nrequests: {len(every)} in {elapsed:.1f} s = {len(every) / elapsed:.1f} requests/s; "
              f"saves confirmed: {self.saves}; errors: {errors}")
        print(f"{'action':<12} {'count':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8}")
        for action, values in sorted(self.latencies.items()) + [("ALL", every)]:
            if values:
                p50, p95, p99 = percentiles(values)
                print(f"{action:<12} {len(values):>7} {p50:>8.0f} {p95:>8.0f} {p99:>8.0f} {max(values) * 1000:>8.0f}")
        for action, messages in self.errors.items():
            print(f"errors in {action}: {len(messages)}, e.g. {messages[0]}")
        return every, errors


def server_side(log_path, start, end):
    """Per-request times gunicorn logged (ms in the worker) between two offsets of its log."""
    with open(log_path, "rb") as log:
        log.seek(start)
        lines = log.read(end - start).decode(errors="replace").splitlines()
    times = [int(match.group(4)) / 1000 for line in lines if (match := ACCESS_LINE.search(line))]
    if times:
        p50, p95, p99 = percentiles(times)
        print(f"server side (gunicorn, time in the worker): {len(times)} requests, "
              f"p50 {p50:.0f} ms, p95 {p95:.0f} ms, p99 {p99:.0f} ms, max {max(times) * 1000:.0f} ms")


def percentiles(values):
    if len(values) == 1:
        return (values[0] * 1000,) * 3
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return cuts[49] * 1000, cuts[94] * 1000, cuts[98] * 1000


async def run(base, pairs, duration, think, ramp, log_path=None):
    import httpx

    stats = Stats()
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    clients = [httpx.AsyncClient(base_url=base, timeout=REQUEST_TIMEOUT, limits=limits) for _ in pairs]
    try:
        coordinators = [Coordinator(client, user, number, stats) for client, (user, number) in zip(clients, pairs)]
        print(f"logging in {len(coordinators)} coordinators ...", flush=True)
        for start in range(0, len(coordinators), 10):  # password hashing is deliberately slow: 10 at a time
            await asyncio.gather(*(c.login() for c in coordinators[start:start + 10]))
        print(f"running {duration} s (think time {think} s) ...", flush=True)
        stats.measuring = True
        stats.log_start = log_path.stat().st_size if log_path else 0
        started = time.monotonic()
        deadline = started + duration

        async def staggered(index, coordinator):
            await asyncio.sleep(ramp * index / len(coordinators))  # spread the first requests a little
            await coordinator.work(deadline, think)

        await asyncio.wait_for(
            asyncio.gather(*(staggered(i, c) for i, c in enumerate(coordinators))),
            timeout=duration + REQUEST_TIMEOUT * 6,
        )
        return stats, time.monotonic() - started
    finally:
        await asyncio.gather(*(client.aclose() for client in clients))


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(port, log_path):
    env = {**os.environ, "PORT": str(port), "HOST": "127.0.0.1", "PYTHONUNBUFFERED": "1"}
    log = open(log_path, "wb")  # noqa: SIM115 - closed with the process
    process = subprocess.Popen(["make", "--no-print-directory", "serve"], cwd=REPO, env=env, stdout=log,
                               stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
    import httpx

    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"make serve exited with {process.returncode}; see {log_path}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return process
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    stop_server(process)
    sys.exit(f"make serve did not start; see {log_path}")


def stop_server(process):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", default="http://127.0.0.1:8000", help="server URL (loopback only)")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of measured load")
    parser.add_argument("--think", type=float, default=1.0, help="mean pause between actions, seconds")
    parser.add_argument("--ramp", type=float, default=2.0, help="seconds over which the coordinators start")
    parser.add_argument("--start", action="store_true", help="start `make serve` on a free port and stop it after")
    args = parser.parse_args()
    if not 1 <= args.users <= MAX_USERS:
        sys.exit(f"--users must be 1..{MAX_USERS}")
    if not 0 < args.duration <= MAX_DURATION:
        sys.exit(f"--duration must be in (0, {MAX_DURATION}]")
    if not 0 <= args.think <= 60:
        sys.exit("--think must be 0..60")

    process = log_path = None
    if args.start:
        port = free_port()
        args.base = f"http://127.0.0.1:{port}"
        (REPO / "bench" / "results").mkdir(exist_ok=True)
        log_path = REPO / "bench" / "results" / "serve.log"
        print(f"starting make serve on {args.base} (log: bench/results/serve.log) ...", flush=True)
        process = start_server(port, log_path)
    loopback_only(args.base)
    try:
        django_setup()
        from django.db import connection
        from django.utils import timezone

        print(f"database: {connection.vendor} {connection.settings_dict['NAME']}; server: {args.base}")
        pairs = prepare(args.users)
        connection.close()
        started_at = timezone.now()
        stats, elapsed = asyncio.run(run(args.base, pairs, args.duration, args.think, args.ramp, log_path))
        every, errors = stats.report(elapsed)
        import resource

        usage = resource.getrusage(resource.RUSAGE_SELF)
        print(f"this load generator used {usage.ru_utime + usage.ru_stime:.1f} CPU-seconds "
              f"(it shares the machine's cores with the server)")
        if log_path:
            server_side(log_path, stats.log_start, log_path.stat().st_size)
        stored = evaluations_since(started_at)
        print(f"evaluations stored since the start: {stored}; saves confirmed by the server: {stats.saves} -> "
              + ("OK, nothing lost" if stored == stats.saves else "MISMATCH"))
        p95 = percentiles(every)[1] if every else float("nan")
        verdict = errors == 0 and p95 < 300 and stored == stats.saves
        print(f"target (0 errors, p95 < 300 ms, evaluations == saves): {'met' if verdict else 'NOT met'}")
        return 0 if verdict else 1
    finally:
        if process is not None:
            stop_server(process)


if __name__ == "__main__":
    sys.exit(main())
