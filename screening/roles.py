"""Roles are Django groups: coordinator, investigator, monitor, admin.

Coordinators create and edit candidates; investigators and monitors read;
investigators sign; admins (group ``admin`` or superusers) do everything.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

COORDINATOR = "coordinator"
INVESTIGATOR = "investigator"
MONITOR = "monitor"
ADMIN = "admin"
ROLES = (COORDINATOR, INVESTIGATOR, MONITOR, ADMIN)

READERS = ROLES
EDITORS = (COORDINATOR, ADMIN)
SIGNERS = (INVESTIGATOR, ADMIN)
AUDITORS = (INVESTIGATOR, MONITOR, ADMIN)
EXPORTERS = (MONITOR, ADMIN)
# Per-candidate files (audit.csv, checklist.pdf) carry identified data. Site staff take them as they
# are; a user with none of these roles (a monitor) may take de-identified data only.
IDENTIFIED_FILES = (COORDINATOR, INVESTIGATOR, ADMIN)


def roles_of(user):
    """The set of role names a user holds (cached on the user object for the request)."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    if not hasattr(user, "_screening_roles"):
        names = set(user.groups.filter(name__in=ROLES).values_list("name", flat=True))
        if user.is_superuser:
            names.add(ADMIN)
        user._screening_roles = frozenset(names)
    return user._screening_roles


def has_role(user, roles):
    return bool(roles_of(user) & set(roles))


def role_required(roles):
    """View decorator: login required, then 403 unless the user holds one of ``roles``."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not has_role(request.user, roles):
                raise PermissionDenied(_("Your role does not allow this page."))
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
