"""Views: the password change, whose old password is throttled with the logins (``services.reauth``)."""

from django.contrib.auth import views as auth_views
from django.http import HttpResponseForbidden

from screening.forms_accounts import ThrottledPasswordChangeForm
from screening.services import reauth


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = ThrottledPasswordChangeForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}

    def post(self, request, *args, **kwargs):
        try:
            return super().post(request, *args, **kwargs)
        except reauth.LockedOut as lockout:  # logged out; django-axes' middleware answers with its lockout page
            return HttpResponseForbidden(str(lockout))
