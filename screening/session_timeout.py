"""The idle session timeout (settings.SESSION_COOKIE_AGE, renewed by every request) as the browser sees it.

- ``keepalive`` (POST /accounts/keepalive/): "stay signed in"; the request itself renews the session.
  Answers 204 with the idle timeout in ``X-Session-Seconds``, or 401 once the session has expired.
- ``HtmxSessionExpiredMiddleware``: an htmx request whose session has expired gets 401 with
  ``HX-Reswap: none`` and a short message instead of the redirect to the login page (which htmx would
  follow and swap into the panel); static/js/session.js then says "signed out — your entries are kept".
- ``draft_saved``: the candidate form was saved; the browser drops the draft it kept of it.
"""

from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

EXPIRED_HEADER = "X-Session-Expired"
DRAFT_SAVED = "draft_saved"  # session key: the form path whose entries were just saved


def draft_saved(request):
    """Called after a successful save of the candidate form: the next page tells the browser to drop
    the draft it kept of this form (body[data-draft-saved])."""
    request.session[DRAFT_SAVED] = request.path


def pop_draft_saved(request):
    session = getattr(request, "session", None)
    return session.pop(DRAFT_SAVED, "") if session is not None and DRAFT_SAVED in session else ""


def signed_out():
    response = HttpResponse(
        _("Signed out: your session expired. Your entries are kept in this browser tab; log in again to go on."),
        status=401, content_type="text/plain; charset=utf-8",
    )
    response["HX-Reswap"] = "none"
    response[EXPIRED_HEADER] = "1"
    return response


@require_POST
def keepalive(request):
    if not request.user.is_authenticated:
        return signed_out()
    response = HttpResponse(status=204)
    response["X-Session-Seconds"] = str(settings.SESSION_COOKIE_AGE)
    return response


class HtmxSessionExpiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.headers.get("HX-Request") == "true"
            and response.status_code in (301, 302)
            and response.get("Location", "").split("?")[0] == settings.LOGIN_URL
            and not request.user.is_authenticated
        ):
            return signed_out()
        return response
