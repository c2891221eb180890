"""The password change form, whose old password is throttled with the logins (``services.reauth``)."""

from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import ValidationError

from screening.services import reauth


class ThrottledPasswordChangeForm(PasswordChangeForm):
    def __init__(self, user, *args, request=None, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.request = request

    def clean_old_password(self):
        old_password = self.cleaned_data["old_password"]
        if not reauth.confirm_password(request=self.request, user=self.user, password=old_password,
                                       purpose="password_change"):
            raise ValidationError(self.error_messages["password_incorrect"], code="password_incorrect")
        return old_password
