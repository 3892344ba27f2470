"""Forms of the editing pages. They validate what was typed; the services validate the entry."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import build_localized_fieldname

from palermo.reference.models import Instrument, Language, Provision

from ..models import (
    Authority,
    Channel,
    ChecklistItem,
    ContactPerson,
    Designation,
    LawLink,
    OfficeHours,
    ProfileSection,
    Resource,
)

LANGUAGES: tuple[str, ...] = tuple(settings.MODELTRANSLATION_LANGUAGES)


def localized(*names: str) -> list[str]:
    """Each translated field in every language: name_ar, name_zh_hans, …"""
    return [build_localized_fieldname(name, code) for name in names for code in LANGUAGES]


def translated_field(model: type[models.Model], name: str) -> tuple[str, str] | None:
    """(base field, language code) when ``name`` is a translation column, else None."""
    for code in LANGUAGES:
        suffix = "_" + code.replace("-", "_")
        if name.endswith(suffix):
            base = name[: -len(suffix)]
            try:
                model._meta.get_field(base)
            except Exception:
                return None
            return base, code
    return None


def field_label(model: type[models.Model], name: str) -> str:
    """A readable, translated label: "Name (Arabic)" for name_ar."""
    found = translated_field(model, name)
    if found:
        base, code = found
        language = get_language_info(code)["name_translated"]
        base_field: Any = model._meta.get_field(base)
        return f"{capfirst(base_field.verbose_name)} ({language})"
    model_field: Any = model._meta.get_field(name)
    return str(capfirst(model_field.verbose_name))


def https_urls(field: models.Field[Any, Any], **kwargs: Any) -> forms.Field | None:
    """Addresses typed without a scheme are taken as https (the default of Django 6)."""
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


class EntryForm(forms.ModelForm):
    """A model form that carries the version it was opened with, and labels every language."""

    version = forms.CharField(widget=forms.HiddenInput, required=False)
    # Fields (by name) whose widget lists reference rows: the view fills their querysets.
    m2m_fields: tuple[str, ...] = ()
    required_fields: tuple[str, ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model = self._meta.model
        assert model is not None
        for name, field in self.fields.items():
            if name == "version":
                continue
            found = translated_field(model, name)
            field.label = field_label(model, name)
            if found:
                code = found[1]
                field.widget.attrs.update({
                    "lang": code, "dir": "rtl" if code in settings.LANGUAGES_BIDI else "ltr"})
            if name in self.required_fields:
                field.required = True
        if self.instance.pk is not None and not self.is_bound:
            from ..services import version_token

            self.initial["version"] = version_token(self.instance)

    def clean_channels(self) -> list[str]:
        """The same channels in the same order as saved, when the choice did not change (the
        check boxes send them in the order of the list)."""
        chosen: list[str] = list(self.cleaned_data.get("channels") or [])
        saved = list(getattr(self.instance, "channels", None) or [])
        return saved if sorted(saved) == sorted(chosen) else chosen


def channel_field(label: Any) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(label=label, choices=Channel.choices, required=False,
                                     widget=forms.CheckboxSelectMultiple)


def languages_field(label: Any) -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        label=label, queryset=Language.objects.all(), required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}))


AUTHORITY_FIELDS = [
    "kind", "parent", *localized("name"), "acronym", "street_address", "postal_address", "city",
    "postal_code", "time_zone", "website", "email", "phone", "fax", "channels",
    "originals_required", "urgent_channel", "urgent_contact", "accepted_languages", "visibility",
]


class AuthorityForm(EntryForm):
    channels = channel_field(_("Channels accepted"))
    accepted_languages = languages_field(_("Languages accepted for requests"))
    m2m_fields = ("accepted_languages",)
    required_fields = ("name_en",)

    class Meta:
        model = Authority
        formfield_callback = https_urls
        fields = AUTHORITY_FIELDS
        widgets = {"street_address": forms.Textarea(attrs={"rows": 3}),
                   "postal_address": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parents = Authority.objects.filter(state_id=self.instance.state_id).only(
            "pk", "name", *localized("name"))
        if self.instance.pk is not None:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents  # type: ignore[attr-defined]


class OfficeHoursForm(forms.ModelForm):
    class Meta:
        model = OfficeHours
        fields = ["weekday", "opens", "closes"]
        widgets = {"opens": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                   "closes": forms.TimeInput(attrs={"type": "time"}, format="%H:%M")}


CONTACT_FIELDS = ["authority", "name", "position", "languages", "phone", "email", "visibility"]


class ContactForm(EntryForm):
    languages = languages_field(_("Languages spoken"))
    m2m_fields = ("languages",)

    class Meta:
        model = ContactPerson
        fields = CONTACT_FIELDS


DESIGNATION_FIELDS = ["authority", "provision", "function", *localized("scope_note"),
                      "notified_on", "source"]


class DesignationForm(EntryForm):
    class Meta:
        model = Designation
        fields = DESIGNATION_FIELDS
        widgets: dict[str, forms.Widget] = {
            name: forms.Textarea(attrs={"rows": 2}) for name in localized("scope_note")}
        widgets["notified_on"] = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["provision"].queryset = Provision.objects.select_related(  # type: ignore[attr-defined]
            "instrument", "article__instrument", "paragraph")


SECTION_TEXTS = ("summary", "treaties", "alternative_arrangements", "urgent_procedure", "costs")
SECTION_FIELDS = ["measure", "untoc_legal_basis", "dual_criminality", "languages", "channels",
                  *localized(*SECTION_TEXTS), "visibility"]


class ProfileSectionForm(EntryForm):
    channels = channel_field(_("Channels"))
    languages = languages_field(_("Languages accepted"))
    m2m_fields = ("languages",)

    class Meta:
        model = ProfileSection
        fields = SECTION_FIELDS
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in localized(*SECTION_TEXTS)}


class ChecklistItemForm(forms.ModelForm):
    class Meta:
        model = ChecklistItem
        fields = ["position", *localized("text")]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.label = field_label(ChecklistItem, name)
        self.fields["text_en"].required = True


class LawLinkForm(forms.ModelForm):

    class Meta:
        model = LawLink
        formfield_callback = https_urls
        fields = ["title", "url"]


RESOURCE_FIELDS = [*localized("title"), "kind", "publisher", "year", "reference", "url",
                   "languages", "instruments"]


class ResourceForm(EntryForm):
    languages = languages_field(_("Languages"))
    instruments: forms.ModelMultipleChoiceField[Instrument] = forms.ModelMultipleChoiceField(
        label=_("Instruments"), queryset=Instrument.objects.all(), required=False,
        widget=forms.CheckboxSelectMultiple)
    m2m_fields = ("languages", "instruments")
    required_fields = ("title_en",)

    class Meta:
        model = Resource
        formfield_callback = https_urls
        fields = RESOURCE_FIELDS


OfficeHoursFormSet = forms.formset_factory(OfficeHoursForm, extra=2, can_delete=True,
                                           max_num=21, validate_max=True)
ChecklistFormSet = forms.formset_factory(ChecklistItemForm, extra=1, can_delete=True,
                                         max_num=50, validate_max=True)
LawLinkFormSet = forms.formset_factory(LawLinkForm, extra=1, can_delete=True,
                                       max_num=50, validate_max=True)


class DeleteForm(forms.Form):
    version = forms.CharField(widget=forms.HiddenInput)


class StateChoiceForm(forms.Form):
    state = forms.CharField(label=_("State"), max_length=3)
