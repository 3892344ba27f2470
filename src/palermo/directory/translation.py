from modeltranslation.translator import TranslationOptions, register
from simple_history import register as register_history

from .models import (
    Authority,
    ChecklistItem,
    ContactPerson,
    Designation,
    ProfileSection,
    Resource,
)


@register(Authority)
class AuthorityTranslation(TranslationOptions):
    fields = ("name",)


@register(Designation)
class DesignationTranslation(TranslationOptions):
    fields = ("scope_note",)


@register(ProfileSection)
class ProfileSectionTranslation(TranslationOptions):
    fields = ("summary", "treaties", "alternative_arrangements", "urgent_procedure", "costs")


@register(ChecklistItem)
class ChecklistItemTranslation(TranslationOptions):
    fields = ("text",)


@register(Resource)
class ResourceTranslation(TranslationOptions):
    fields = ("title",)


# History comes after translation, so that historical records carry every language's column.
register_history(Authority, m2m_fields=["accepted_languages"])
register_history(Designation)
register_history(ContactPerson, m2m_fields=["languages"])
register_history(ProfileSection, m2m_fields=["languages"])
