"""Filters of the secretariat's dashboard."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from palermo.reference.models import RegionalGroup

from .selectors import Status

STATUS_CHOICES = [
    ("", _("Any status")),
    (Status.CURRENT, _("Current")),
    (Status.STALE, _("Stale")),
    (Status.ESCALATED, _("Escalated to the secretariat")),
]

SORT_CHOICES = [
    ("state", _("State")), ("-state", _("State, Z to A")),
    ("updated", _("Last updated, oldest first")), ("-updated", _("Last updated, newest first")),
    ("confirmed", _("Last confirmed, oldest first")),
    ("-confirmed", _("Last confirmed, newest first")),
    ("reminders", _("Reminders, fewest first")), ("-reminders", _("Reminders, most first")),
]


class StalenessFilterForm(forms.Form):
    group = forms.ChoiceField(label=_("Regional group"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=STATUS_CHOICES)
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORT_CHOICES)

    def __init__(self, *args: Any, groups: list[RegionalGroup], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        group = self.fields["group"]
        assert isinstance(group, forms.ChoiceField)
        group.choices = [("", _("All regional groups")),
                                        *((g.code, g.name) for g in groups)]
