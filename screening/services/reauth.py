"""Password re-entry (the e-signature, the password change's old password), throttled with the logins.

A wrong password here counts as a failed login in django-axes (same username and address, same
threshold, AXES_FAILURE_LIMIT): the check goes through ``django.contrib.auth.authenticate``, whose
failure signal axes records. When the limit is reached the account is locked as for logins, the
session is ended and an audit event is written (21 CFR 11.300(d): attempted misuse detected and
reported); every wrong re-entry is also an audit event.
"""

from django.contrib.auth import authenticate, logout
from django.utils.translation import gettext as _

from screening.models import AuditEvent


class LockedOut(Exception):
    """Too many wrong passwords: the user is locked out and logged out."""


def confirm_password(*, request, user, password, purpose, candidate=None):
    """True when ``password`` is ``user``'s; False when it is not (counted). Raises ``LockedOut``.

    Without a request (management commands, tests of services) there is no address to throttle by;
    the password is checked as is.
    """
    if request is None:
        return bool(password) and user.check_password(password)
    authenticated = authenticate(request, username=user.get_username(), password=password or "")
    if authenticated is not None and authenticated.pk == user.pk:
        return True
    locked = bool(getattr(request, "axes_locked_out", False))
    AuditEvent.objects.create(
        user=user, candidate=candidate,
        action="password_lockout" if locked else "password_reentry_failed",
        details={"purpose": purpose, "address": getattr(request, "axes_ip_address", None) or ""},
    )
    if locked:
        logout(request)
        raise LockedOut(_("Too many wrong passwords: you have been logged out and this account is locked for a while."))
    return False
