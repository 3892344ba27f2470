from django.contrib import admin
from modeltranslation.admin import TranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import Article, Instrument, Participation, Provision, RegionalGroup, Source, State


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["tag", "title", "as_at"]
    search_fields = ["tag", "title"]


@admin.register(RegionalGroup)
class RegionalGroupAdmin(TranslationAdmin):
    list_display = ["code", "name"]


@admin.register(State)
class StateAdmin(TranslationAdmin):
    list_display = ["code", "iso2", "name", "kind"]
    list_filter = ["kind", "regional_groups"]
    search_fields = ["code", "iso2", "name"]


@admin.register(Instrument)
class InstrumentAdmin(TranslationAdmin):
    list_display = ["code", "abbreviation", "adopted_on", "entry_into_force_on"]


@admin.register(Provision)
class ProvisionAdmin(TranslationAdmin):
    list_display = ["instrument", "code", "subject"]
    list_filter = ["instrument", "subject"]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["instrument", "number", "title"]
    list_filter = ["instrument"]


@admin.register(Participation)
class ParticipationAdmin(SimpleHistoryAdmin):
    list_display = ["state", "instrument", "signed_on", "consent_on", "action", "source"]
    list_filter = ["instrument", "action", "source"]
    search_fields = ["state__name", "state__code"]
    autocomplete_fields = ["state"]
