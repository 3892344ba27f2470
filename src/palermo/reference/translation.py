from modeltranslation.translator import TranslationOptions, register

from .models import Instrument, Language, Provision, RegionalGroup, State


@register(RegionalGroup)
class RegionalGroupTranslation(TranslationOptions):
    fields = ("name",)


@register(State)
class StateTranslation(TranslationOptions):
    fields = ("name",)


@register(Instrument)
class InstrumentTranslation(TranslationOptions):
    fields = ("name", "short_name", "abbreviation")


@register(Provision)
class ProvisionTranslation(TranslationOptions):
    fields = ("title",)


@register(Language)
class LanguageTranslation(TranslationOptions):
    fields = ("name",)
