from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from palermo.directory import access
from palermo.reference.models import RegionalGroup, State
from palermo.reference.selectors import sort_key

from .models import Edition


class EditionForm(forms.Form):
    PUBLIC, RESTRICTED = "public", "restricted"

    scope = forms.ChoiceField(label=_("What to print"), choices=Edition.Scope.choices,
                              widget=forms.RadioSelect, initial=Edition.Scope.STATE)
    state = forms.ChoiceField(label=_("State"), required=False)
    group = forms.ChoiceField(label=_("Regional group"), required=False)
    language = forms.ChoiceField(label=_("Language of the edition"), choices=settings.LANGUAGES)
    edition = forms.ChoiceField(
        label=_("Edition"), widget=forms.RadioSelect, initial=PUBLIC,
        choices=[(PUBLIC, _("Public edition: public entries only")),
                 (RESTRICTED, _("Restricted edition: public and restricted entries"))])

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        states = sorted(State.objects.all(), key=lambda state: sort_key(state.name))
        self._choices("state", [("", _("Choose a State"))] + [
            (state.code, state.name) for state in states])
        self._choices("group", [("", _("Choose a regional group"))] + [
            (group.code, group.name) for group in RegionalGroup.objects.all()])
        if not access.sees_restricted(user):
            self._choices("edition", [(self.PUBLIC, _("Public edition: public entries only"))])

    def _choices(self, name: str, choices: list[tuple[str, Any]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        scope = data.get("scope")
        if scope == Edition.Scope.STATE and not data.get("state"):
            self.add_error("state", _("Choose the State to print."))
        if scope == Edition.Scope.GROUP and not data.get("group"):
            self.add_error("group", _("Choose the regional group to print."))
        return data

    def order(self) -> dict[str, Any]:
        """The arguments of :func:`palermo.editions.services.edition_request`."""
        data = self.cleaned_data
        scope = data["scope"]
        code = {Edition.Scope.STATE: data.get("state", ""),
                Edition.Scope.GROUP: data.get("group", "")}.get(scope, "")
        return {"scope": scope, "scope_code": code, "language": data["language"],
                "restricted": data["edition"] == self.RESTRICTED}
