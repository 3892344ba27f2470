from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from . import selectors
from .models import Instrument, RegionalGroup


class StateFilterForm(forms.Form):
    group: forms.ModelChoiceField[RegionalGroup] = forms.ModelChoiceField(
        queryset=RegionalGroup.objects.all(), to_field_name="code", required=False,
        label=_("Regional group"), empty_label=_("All groups"),
    )
    instrument: forms.ModelChoiceField[Instrument] = forms.ModelChoiceField(
        queryset=Instrument.objects.all(), to_field_name="code", required=False,
        label=_("Instrument"), empty_label=_("Any instrument"),
    )
    status = forms.ChoiceField(
        required=False, label=_("Participation"),
        choices=[
            ("", _("Any")),
            ("party", _("Party")),
            ("signatory", _("Signatory, not (yet) party")),
            ("unknown", _("No record in Palermo")),
        ],
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("status") and not data.get("instrument"):
            self.add_error("instrument", _("Choose an instrument to filter by participation."))
        return data

    def filters(self) -> selectors.StateFilter:
        if not self.is_valid():
            return selectors.StateFilter()
        return selectors.StateFilter(
            group=self.cleaned_data.get("group"),
            instrument=self.cleaned_data.get("instrument"),
            status=self.cleaned_data.get("status") or "",
        )


class ParticipationImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("UTF-8, with the header row: state, instrument, signature_date, "
                    "consent_date, action, source, note."),
    )
    reason = forms.CharField(
        label=_("Reason for the change"), max_length=100, required=False,
        help_text=_("Recorded in the history of every row that changes."),
    )
