"""Texts of questionnaires in the six languages, stored as ``{language: text}``.

Questionnaire texts are read whole and never searched or sorted, so one JSON value per text
is enough (docs/decisions.md explains why they are not per-language columns).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

FALLBACK = "en"


def language_codes() -> list[str]:
    """The six languages, in the order of the settings."""
    return [code for code, _name in settings.LANGUAGES]


def localized(texts: Any, language: str | None = None) -> str:
    """The text in ``language`` (default: the active one), else English, else any."""
    if not isinstance(texts, dict) or not texts:
        return ""
    wanted = (language or translation.get_language() or FALLBACK).lower()
    for code in (wanted, wanted.split("-")[0], FALLBACK):
        value = texts.get(code)
        if value:
            return str(value)
    return next((str(value) for value in texts.values() if value), "")


def missing_languages(texts: Any) -> list[str]:
    """The languages of the six in which ``texts`` has no text."""
    if not isinstance(texts, dict):
        return language_codes()
    return [code for code in language_codes() if not str(texts.get(code) or "").strip()]


def check_texts(value: Any, *, required: bool) -> None:
    """Refuse anything but ``{language: text}`` with known languages and an English text
    (when ``required``, or when any text is given)."""
    if not isinstance(value, dict):
        raise ValidationError(_("Give the texts as a mapping of language codes to texts."))
    unknown = sorted(set(value) - set(language_codes()))
    if unknown:
        raise ValidationError(
            _("Unknown language codes: %(codes)s.") % {"codes": ", ".join(unknown)})
    if any(not isinstance(text, str) for text in value.values()):
        raise ValidationError(_("Every text must be a string."))
    given = any(text.strip() for text in value.values())
    if (required or given) and not str(value.get(FALLBACK) or "").strip():
        raise ValidationError(_("Give at least the English text."))


def validate_required_texts(value: Any) -> None:
    check_texts(value, required=True)


def validate_optional_texts(value: Any) -> None:
    check_texts(value, required=False)


def cleaned(value: dict[str, str]) -> dict[str, str]:
    """The texts stripped, without empty ones."""
    return {code: text.strip() for code, text in value.items() if text and text.strip()}
