"""The export and import forms: which State, which format, which edition."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from palermo.reference.models import State
from palermo.reference.selectors import sort_key

from .exporter import FULL, PUBLIC, managed_states, may_export_full
from .formats import megabytes, page_max_bytes, too_large

ALL = "all"
FORMAT_CHOICES = [("csv", "CSV"), ("xlsx", "XLSX"), ("json", "JSON")]


def _state_choices(states: list[State]) -> list[tuple[str, str]]:
    return sorted(((s.code, f"{s.name} ({s.code})") for s in states),
                  key=lambda choice: sort_key(choice[1]))


class _StateForm(forms.Form):
    state = forms.ChoiceField(label=_("State"))

    def __init__(self, *args: Any, user: Any, states: list[State], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.states = {s.code: s for s in states}
        choices: list[tuple[str, Any]] = list(_state_choices(states))
        if getattr(user, "is_secretariat", False):
            choices = [(ALL, _("Every State")), *choices]
        state_field = self.fields["state"]
        assert isinstance(state_field, forms.ChoiceField)
        state_field.choices = choices

    def chosen_state(self) -> State | None:
        """The State chosen; None for every State (the secretariat only)."""
        return self.states.get(self.cleaned_data["state"])


class ExportForm(_StateForm):
    format = forms.ChoiceField(label=_("Format"), choices=FORMAT_CHOICES)
    edition = forms.ChoiceField(label=_("Edition"), choices=[
        (PUBLIC, _("Public entries only")),
        (FULL, _("Public and restricted entries")),
    ], initial=PUBLIC, help_text=_(
        "Restricted entries are exported only for the focal points and editors of the State "
        "and for the secretariat."))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("state") and data.get("edition") == FULL and \
                not may_export_full(self.user, self.states.get(data["state"])):
            self.add_error("edition", _(
                "You may export only the public entries of this State."))
        return data


class ImportForm(_StateForm):
    file = forms.FileField(label=_("File"))
    format = forms.ChoiceField(label=_("Format"), required=False, choices=[
        ("", _("From the file name")), *FORMAT_CHOICES])
    reason = forms.CharField(label=_("Reason for the change"), max_length=100, required=False,
                             help_text=_("Recorded in the history of every entry that changes."))
    check_only = forms.BooleanField(label=_("Only check the file and show what would change"),
                                    required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, user=user, states=list(managed_states(user)), **kwargs)
        self.max_bytes = page_max_bytes()
        size = self.max_bytes / 1_000_000
        self.fields["file"].help_text = ngettext(
            "CSV, XLSX or JSON in the directory exchange format, at most %(size)s MB.",
            "CSV, XLSX or JSON in the directory exchange format, at most %(size)s MB.",
            int(size) if size.is_integer() else 2) % {"size": megabytes(self.max_bytes)}

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > self.max_bytes:  # refused before it is read into memory
            raise forms.ValidationError(too_large(self.max_bytes))
        return upload

    def file_format(self) -> str:
        chosen = self.cleaned_data.get("format")
        if chosen:
            return str(chosen)
        name = self.cleaned_data["file"].name or ""
        return name.rsplit(".", 1)[-1].lower() if "." in name else ""
