"""The interface language (issue 14): Simplified Chinese by default, English one click away.

Which language a request gets, first match wins:

1. the language the signed-in user chose (``UserProfile.language``), copied into
   the session at login and by the switcher;
2. the language cookie (the switcher on the login page, before signing in);
3. the browser's ``Accept-Language`` (Django's ``LocaleMiddleware``);
4. ``settings.LANGUAGE_CODE`` (``zh-hans``).

URLs are the same in every language (no /en/ prefix).
"""

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.db import DatabaseError
from django.dispatch import receiver
from django.http import HttpResponseRedirect
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

SESSION_KEY = "language"


def supported(code):
    """``code`` if it is one of settings.LANGUAGES, else None."""
    return code if code in dict(settings.LANGUAGES) else None


class LanguageMiddleware(LocaleMiddleware):
    """LocaleMiddleware, with the user's saved choice (kept in the session) first."""

    def process_request(self, request):
        chosen = saved_choice(request)
        if chosen is None:
            return super().process_request(request)
        translation.activate(chosen)
        request.LANGUAGE_CODE = translation.get_language()
        return None

    def process_response(self, request, response):
        response = super().process_response(request, response)
        chosen = getattr(request, "LANGUAGE_CODE", None)
        if chosen is not None and saved_choice(request) == chosen \
                and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != chosen:
            set_cookie(response, chosen)  # after login: the login page of the next visit speaks it too
        return response


def saved_choice(request):
    """The session's language, or None; None too when the session cannot be read (database down: the
    page still renders, in the cookie's or browser's language)."""
    session = getattr(request, "session", None)
    if session is None:
        return None
    try:
        return supported(session.get(SESSION_KEY))
    except DatabaseError:
        return None


def set_cookie(response, code):
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME, code, max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH, domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE, httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


@receiver(user_logged_in, dispatch_uid="screening.language.apply_saved_language")
def apply_saved_language(sender, request, user, **kwargs):
    """At login: the language saved on the user's profile, if any, becomes the session's."""
    from screening.models import UserProfile

    code = supported(UserProfile.objects.filter(user=user).values_list("language", flat=True).first())
    if code and request is not None and hasattr(request, "session"):
        request.session[SESSION_KEY] = code


def save_language(*, user, code):
    """Remember ``code`` as ``user``'s language."""
    from screening.models import UserProfile

    UserProfile.objects.update_or_create(user=user, defaults={"language": code})


@require_POST
def set_language(request):
    """The navigation bar's switcher: POST language (and next); remembered for the user, the session
    and the browser. An unknown language changes nothing."""
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = "/"
    response = HttpResponseRedirect(target)
    code = supported(request.POST.get("language"))
    if code is None:
        return response
    if request.user.is_authenticated:
        save_language(user=request.user, code=code)
    request.session[SESSION_KEY] = code
    set_cookie(response, code)
    return response
