from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ApiToken


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=ApiToken._meta.get_field("name").max_length,
        help_text=_("What the token is for, such as the program that uses it."),
    )
