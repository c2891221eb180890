"""Middleware: refuse what must not be parsed, and keep patient data out of caches.

``RequestGuardMiddleware`` (after authentication, before any view or CSRF check reads the body):

- a path or query string with a NUL or another control character is a 400 page (PostgreSQL cannot
  compare such text; nothing legitimate sends it);
- a request body larger than ``REQUEST_BODY_MAX_BYTES`` (``ANONYMOUS_BODY_MAX_BYTES`` before
  login: the login form is a few hundred bytes) is a 413, refused from its Content-Length before a
  byte of it is read or parsed. Django's own limits (DATA_UPLOAD_MAX_MEMORY_SIZE for form fields,
  DATA_UPLOAD_MAX_NUMBER_FILES) apply to what is accepted.

``NoStoreMiddleware``: every page and file the application sends carries
``Cache-Control: no-store`` (and the rest of ``never_cache``): no browser or proxy keeps a copy of
patient data. Static files are served by WhiteNoise before this and stay cacheable.
"""

import re
from urllib.parse import unquote_plus

from django.conf import settings
from django.http import HttpResponse
from django.template import loader
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from screening.middleware import UNAVAILABLE, database_unavailable_response

CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def refusal(request, status, title, message):
    body = loader.render_to_string("refused.html", {"status": status, "title": title, "message": message},
                                   request=request)
    response = HttpResponse(body, status=status)
    add_never_cache_headers(response)
    return response


class RequestGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if CONTROL.search(request.path) or CONTROL.search(unquote_plus(request.META.get("QUERY_STRING", ""))):
            return refusal(request, 400, _("Bad request"), _("The address contains a control character."))
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return refusal(request, 400, _("Bad request"), _("The request's Content-Length is not a number."))
        if length <= settings.ANONYMOUS_BODY_MAX_BYTES:  # every ordinary request: no database access here
            return self.get_response(request)
        try:
            authenticated = request.user.is_authenticated
        except UNAVAILABLE:
            return database_unavailable_response()
        limit = settings.REQUEST_BODY_MAX_BYTES if authenticated else settings.ANONYMOUS_BODY_MAX_BYTES
        if length > limit:
            return refusal(request, 413, _("Request too large"),
                           _("The request is %(length)d bytes; at most %(limit)d bytes are accepted here.")
                           % {"length": length, "limit": limit})
        return self.get_response(request)


class NoStoreMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        add_never_cache_headers(response)
        return response
