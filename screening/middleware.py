"""Middleware for running in production: a health probe and a friendly page when the database is down.

``DatabaseUnavailableMiddleware``: if PostgreSQL cannot be reached (or the
connection drops mid-request), the user gets ``templates/503.html`` with
status 503 instead of a server error. Nothing is half-written: every write
runs in a transaction, which the database rolls back when the connection is
lost. Django opens a new connection for the next request, so the site
recovers by itself as soon as the database is back (no restart).

Exceptions raised in a view reach ``process_exception``; those raised in
another middleware (the session save, for instance) become a server error
(or, for the session, a 400) response, which ``server_error`` and
``bad_request`` (the project's ``handler500`` and ``handler400``) turn into
the same 503 page when the cause was the database.
"""

import logging
import sys

from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.http import HttpResponse, HttpResponseServerError
from django.template import loader
from django.views.defaults import bad_request as default_bad_request
from django.views.defaults import server_error as default_server_error

from screening import protocols

log = logging.getLogger(__name__)

UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


def database_unavailable_response():
    """The 503 page, rendered without a request so nothing touches the database."""
    try:
        body = loader.render_to_string("503.html", {"protocol_version": protocols.in_force().version})
    except Exception:  # the page itself must never fail  # noqa: BLE001
        body = "<h1>Service temporarily unavailable</h1><p>Please try again in a minute.</p>"
    response = HttpResponse(body, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def is_database_outage(error):
    """True when ``error`` or an exception it was raised from is the database being unreachable.

    (Django turns some of these into other errors: a session that cannot be saved becomes
    ``SessionInterrupted``, a 400.)
    """
    seen = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, UNAVAILABLE):
            return True
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return False


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_database_outage(exception):
            return None
        log.warning("Database unavailable on %s %s: %s", request.method, request.path, exception)
        session = getattr(request, "session", None)
        if session is not None and not hasattr(session, "_session_cache"):
            # The session could not be loaded: let the session middleware finish this response without
            # trying the database again (it keeps the cookie and, for a 5xx response, saves nothing).
            session._session_cache = {}
        return database_unavailable_response()


def server_error(request, *args, **kwargs):
    """handler500: a database outage outside the view (session save, ...) is still a 503 page."""
    error = sys.exc_info()[1]
    if is_database_outage(error):
        log.warning("Database unavailable on %s %s: %s", request.method, request.path, error)
        return database_unavailable_response()
    try:
        return default_server_error(request, *args, **kwargs)
    except Exception:  # noqa: BLE001 — a 500 page must not raise
        return HttpResponseServerError("<h1>Server Error (500)</h1>")


def bad_request(request, exception, *args, **kwargs):
    """handler400: a session save that failed because the database went away is a 503, not a 400."""
    if is_database_outage(exception):
        log.warning("Database unavailable on %s %s: %s", request.method, request.path, exception)
        return database_unavailable_response()
    return default_bad_request(request, exception, *args, **kwargs)


class HealthCheckMiddleware:
    """GET /healthz: "ok" (200) when the database answers, 503 otherwise. For container health checks.

    It answers before the host validation and the https redirect, so a probe
    from inside the container (http://127.0.0.1:8000/healthz) works with any
    ALLOWED_HOSTS.
    """

    PATH = "/healthz"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path != self.PATH:
            return self.get_response(request)
        try:
            with connections["default"].cursor() as cursor:
                cursor.execute("SELECT 1")
        except DatabaseError as error:
            log.warning("Health check: database unavailable: %s", error)
            return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
        return HttpResponse("ok\n", content_type="text/plain")
