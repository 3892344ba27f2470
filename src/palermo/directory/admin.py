from django.contrib import admin
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Authority,
    ChecklistItem,
    ContactPerson,
    Designation,
    LawLink,
    OfficeHours,
    ProfileSection,
    Resource,
)


class DesignationInline(TranslationTabularInline):
    model = Designation
    extra = 0


class OfficeHoursInline(admin.TabularInline):
    model = OfficeHours
    extra = 0


class ContactInline(admin.StackedInline):
    model = ContactPerson
    extra = 0
    filter_horizontal = ["languages"]


@admin.register(Authority)
class AuthorityAdmin(SimpleHistoryAdmin, TranslationAdmin):
    list_display = ["name", "state", "kind", "visibility", "updated_at", "is_demo"]
    list_filter = ["kind", "visibility", "is_demo", "state__regional_groups"]
    search_fields = ["name", "acronym", "city", "state__name", "state__code"]
    autocomplete_fields = ["state", "parent"]
    filter_horizontal = ["accepted_languages"]
    inlines = [DesignationInline, OfficeHoursInline, ContactInline]


@admin.register(ContactPerson)
class ContactPersonAdmin(SimpleHistoryAdmin):
    list_display = ["name", "authority", "visibility", "updated_at"]
    list_filter = ["visibility", "is_demo"]
    search_fields = ["name", "email", "authority__name"]
    autocomplete_fields = ["authority"]


class ChecklistInline(TranslationTabularInline):
    model = ChecklistItem
    extra = 0


class LawInline(admin.TabularInline):
    model = LawLink
    extra = 0


@admin.register(ProfileSection)
class ProfileSectionAdmin(SimpleHistoryAdmin, TranslationAdmin):
    list_display = ["state", "measure", "visibility", "updated_at"]
    list_filter = ["measure", "visibility", "is_demo"]
    search_fields = ["state__name", "state__code"]
    autocomplete_fields = ["state"]
    filter_horizontal = ["languages"]
    inlines = [ChecklistInline, LawInline]


@admin.register(Resource)
class ResourceAdmin(TranslationAdmin):
    list_display = ["title", "kind", "publisher", "year"]
    list_filter = ["kind"]
    search_fields = ["title", "reference"]
    filter_horizontal = ["languages", "instruments", "provisions"]
