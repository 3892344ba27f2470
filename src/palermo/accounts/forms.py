from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class SignInForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    error_messages = {
        "invalid_login": _("The e-mail address and password do not match an account."),
        "inactive": _("This account is inactive."),
    }

    def clean_username(self) -> str:
        # Accounts are stored under the lower-cased address; people type it as they like.
        return str(self.cleaned_data["username"]).strip().lower()
