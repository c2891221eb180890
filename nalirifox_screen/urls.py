from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from screening import language, session_timeout
from screening.views.accounts import PasswordChangeView

admin.site.site_header = _("NALIRIFOX Screen administration")
admin.site.site_title = "NALIRIFOX Screen"



def favicon(request):
    """A browser asks for /favicon.ico before it has read a page's <link rel="icon">: the site's icon, not a 404."""
    return redirect(static("img/favicon.svg"), permanent=True)


urlpatterns = [
    path("favicon.ico", favicon),
    # Login, logout and password change only: no password reset by e-mail (this server sends no mail;
    # an administrator resets passwords in the admin).
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password_change/", PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password_change/done/", auth_views.PasswordChangeDoneView.as_view(),
         name="password_change_done"),
    path("accounts/keepalive/", session_timeout.keepalive, name="session_keepalive"),
    path("language/", language.set_language, name="set_language"),  # the switcher in the navigation bar
    path("admin/", admin.site.urls),
    path("", include("screening.urls")),
]

# A database outage raised outside a view (e.g. saving the session) is a 503 page, not a 500 or 400.
handler400 = "screening.middleware.bad_request"
handler500 = "screening.middleware.server_error"
