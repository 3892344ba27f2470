"""The kinds of directory entry that can be edited, and how to show their values."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.db import models
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from palermo.reference.models import Provision, State

from ..models import (
    DESIGNATION_RELATED,
    Authority,
    Channel,
    ContactPerson,
    Designation,
    ProfileSection,
    Resource,
)
from . import forms as edit_forms


@dataclass(frozen=True)
class ChildTable:
    related_name: str
    formset: type[forms.BaseFormSet]
    fields: tuple[str, ...]
    label: Any


@dataclass(frozen=True)
class Kind:
    slug: str
    model: type[models.Model]
    form: type[edit_forms.EntryForm]
    label: Any
    state_path: str | None  # how an entry reaches its State; None: no State (resources)
    select_related: tuple[str, ...] = ()
    prefetch: tuple[str, ...] = ()
    children: tuple[ChildTable, ...] = ()
    has_history: bool = True
    fields: tuple[str, ...] = field(default=())

    @property
    def m2m(self) -> tuple[str, ...]:
        return self.form.m2m_fields

    @property
    def plain_fields(self) -> list[str]:
        """Model fields of the form, without the many-to-many ones."""
        return [name for name in self.form._meta.fields or () if name not in self.m2m]

    def state_of(self, entry: models.Model) -> State | None:
        if self.state_path is None:
            return None
        target: Any = entry
        for part in self.state_path.split("__"):
            target = getattr(target, part)
        return target


KINDS: dict[str, Kind] = {kind.slug: kind for kind in (
    Kind("authority", Authority, edit_forms.AuthorityForm, gettext_lazy("authority"), "state",
         select_related=("state",), prefetch=("accepted_languages", "office_hours"),
         children=(ChildTable("office_hours", edit_forms.OfficeHoursFormSet,
                              ("weekday", "opens", "closes"), gettext_lazy("Office hours")),)),
    Kind("contact", ContactPerson, edit_forms.ContactForm, gettext_lazy("contact person"),
         "authority__state", select_related=("authority__state",), prefetch=("languages",)),
    Kind("designation", Designation, edit_forms.DesignationForm,
         gettext_lazy("designation"), "authority__state",
         select_related=("authority__state", *DESIGNATION_RELATED)),
    Kind("profile", ProfileSection, edit_forms.ProfileSectionForm,
         gettext_lazy("profile section"), "state", select_related=("state",),
         prefetch=("languages", "checklist", "laws"),
         children=(ChildTable("checklist", edit_forms.ChecklistFormSet,
                              ("position", *edit_forms.localized("text")),
                              gettext_lazy("A request must also contain")),
                   ChildTable("laws", edit_forms.LawLinkFormSet, ("title", "url"),
                              gettext_lazy("National laws")))),
    Kind("resource", Resource, edit_forms.ResourceForm, gettext_lazy("resource"), None,
         prefetch=("languages", "instruments"), has_history=False),
)}


EMPTY = "—"


class Names:
    """Names of the rows that entries point at, read in one query per table when needed."""

    def __init__(self) -> None:
        self.wanted: dict[type[models.Model], set[Any]] = defaultdict(set)
        self.found: dict[type[models.Model], dict[Any, Any]] = {}

    def want(self, model: type[models.Model], keys: Iterable[Any]) -> None:
        self.wanted[model].update(key for key in keys if key is not None)

    def load(self) -> None:
        for model, keys in self.wanted.items():
            if not keys:
                continue
            queryset: Any = model._default_manager.all()
            if model is Provision:
                queryset = queryset.select_related("instrument", "article__instrument", "paragraph")
            self.found[model] = queryset.in_bulk(list(keys))
        self.wanted.clear()

    def name(self, model: type[models.Model], key: Any) -> str:
        if isinstance(key, models.Model):
            return str(key)
        row = self.found.get(model, {}).get(key)
        return str(row) if row is not None else _("(deleted, no. %(key)s)") % {"key": key}


def related_model(model: type[models.Model], name: str) -> type[models.Model] | None:
    f = model._meta.get_field(name)
    return f.related_model if f.is_relation else None  # type: ignore[return-value]


def display(model: type[models.Model], name: str, value: Any, names: Names) -> str:
    """A value as a reader should see it: labels of choices, names of related rows."""
    f: Any = model._meta.get_field(name)
    if value is None or value == "" or value == []:
        return EMPTY
    if f.many_to_many:
        target = f.related_model
        return ", ".join(sorted(names.name(target, item) for item in value))
    if f.is_relation:
        return names.name(f.related_model, value)
    if name == "channels":
        labels = dict(Channel.choices)
        return "; ".join(str(labels.get(code, code)) for code in value)
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, (dt.date, dt.time)):
        return str(formats.localize(value))
    return str(value)


def want_names(model: type[models.Model], names: Names, field_names: Sequence[str],
               values: Iterable[dict[str, Any]]) -> None:
    """Ask ``names`` for every related row these values point at."""
    for name in field_names:
        target = related_model(model, name)
        if target is None:
            continue
        keys: list[Any] = []
        for row in values:
            value = row.get(name)
            if isinstance(value, (list, tuple, set)):
                keys.extend(value)
            elif value is not None and not isinstance(value, models.Model):
                keys.append(value)
        names.want(target, keys)

