"""Filters of the analysis pages. Choices come from lists the view has already read, so a
filter costs no query of its own."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from palermo.reference.models import Instrument, RegionalGroup
from palermo.reporting.models import PriorityArea, Section

from .selectors import Filters, Group

ALL: list[tuple[str, Any]] = [("", _("All"))]


def _int(value: Any) -> int | None:
    return int(value) if value not in (None, "") else None


class FilterForm(forms.Form):
    group = forms.TypedChoiceField(label=_("Regional group"), required=False, coerce=int,
                                   empty_value=None)
    instrument = forms.TypedChoiceField(label=_("Instrument"), required=False, coerce=int,
                                        empty_value=None)
    section = forms.TypedChoiceField(label=_("Section"), required=False, coerce=int,
                                     empty_value=None)
    start = forms.DateField(label=_("From"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), required=False,
                          widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, data: Any, *, groups: Sequence[RegionalGroup | Group] = (),
                 instruments: Sequence[Instrument] | None = None,
                 sections: Sequence[Section] | None = None, date_label: Any = None) -> None:
        super().__init__(data)
        group: Any = self.fields["group"]
        group.choices = ALL + [(g.pk, g.name) for g in groups]
        if instruments is None:
            del self.fields["instrument"]
        else:
            instrument: Any = self.fields["instrument"]
            instrument.choices = ALL + [(i.pk, i.short_name) for i in instruments]
        if sections is None:
            del self.fields["section"]
        else:
            section: Any = self.fields["section"]
            section.choices = ALL + [(s.pk, s.localized_title) for s in sections]
        if date_label is not None:
            self.fields["start"].help_text = date_label

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end cannot be before the start."))
        return data

    def filters(self) -> Filters:
        """The filters chosen, or none where the form is not valid."""
        if not self.is_valid():
            return Filters()
        data = self.cleaned_data
        return Filters(group=_int(data.get("group")), instrument=_int(data.get("instrument")),
                       start=data.get("start"), end=data.get("end"),
                       section=_int(data.get("section")))


class QuickSelect(forms.Select):
    """A select drawn in one pass rather than one template per option: the State filter
    lists up to 190 States, which Django's option templates take milliseconds to draw."""

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None,
               renderer: Any = None) -> SafeString:
        chosen = {str(v) for v in self.format_value(value)}
        options = "".join(
            f'<option value="{escape(code)}"{" selected" if str(code) in chosen else ""}>'
            f"{escape(label)}</option>"
            for code, label in self.choices)
        return format_html('<select name="{}"{}>{}</select>', name,
                           flatatt(self.build_attrs(self.attrs, attrs)), mark_safe(options))


class NeedsFilterForm(forms.Form):
    """The needs page's filters. ``state`` offers only the States whose answers the reader
    may see by name; any other (a focal point's link to another State, a mistyped number)
    is refused with a field error naming no number, and the page is shown unfiltered."""

    area = forms.ChoiceField(label=_("Priority area"), required=False,
                             choices=ALL + list(PriorityArea.choices))
    state = forms.TypedChoiceField(label=_("State"), required=False, coerce=int,
                                   empty_value=None, widget=QuickSelect,
                                   error_messages={"invalid_choice": _(
                                       "Choose one of the States listed.")})

    def __init__(self, data: Any, *, states: Sequence[tuple[int, str]]) -> None:
        super().__init__(data)
        state: Any = self.fields["state"]
        state.choices = ALL + list(states)

    def values(self) -> tuple[str, int | None]:
        if not self.is_valid():
            return "", None
        return self.cleaned_data.get("area") or "", _int(self.cleaned_data.get("state"))
