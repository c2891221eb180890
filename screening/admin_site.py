"""The Django admin needs two things: staff status AND the admin role (group ``admin`` or superuser).

``ScreeningAdminConfig`` replaces ``django.contrib.admin`` in INSTALLED_APPS
so that ``admin.site`` (used by ``@admin.register`` everywhere, including
third-party apps) is a ``ScreeningAdminSite``.
"""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _

from screening import roles


class ScreeningAdminSite(admin.AdminSite):
    site_header = _("NALIRIFOX Screen administration")
    site_title = "NALIRIFOX Screen"

    def has_permission(self, request):
        return super().has_permission(request) and roles.has_role(request.user, [roles.ADMIN])


class ScreeningAdminConfig(AdminConfig):
    default_site = "screening.admin_site.ScreeningAdminSite"
