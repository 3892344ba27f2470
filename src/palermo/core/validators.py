"""Validators shared by the apps: telephone numbers, time zones."""

from __future__ import annotations

import zoneinfo

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def normalize_phone(value: str, region: str | None = None) -> str:
    """The number in E.164 (+41223456789); a ValidationError in the user's language if bad."""
    raw = value.strip()
    if not raw:
        return ""
    try:
        number = phonenumbers.parse(raw, region.upper() if region else None)
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(
            _("“%(value)s” is not a telephone number. Write it with the country code, "
              "for example +43 1 26060."), code="invalid_phone", params={"value": raw},
        ) from exc
    if not phonenumbers.is_possible_number(number):
        raise ValidationError(
            _("“%(value)s” cannot be a telephone number: check the number of digits."),
            code="invalid_phone", params={"value": raw},
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def validate_e164(value: str) -> None:
    if value and normalize_phone(value) != value:
        raise ValidationError(
            _("Store telephone numbers in E.164 form, for example +43126060."),
            code="not_e164",
        )


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            _("“%(value)s” is not a time zone of the IANA database, such as Europe/Vienna."),
            code="invalid_time_zone", params={"value": value},
        )


def format_phone(value: str) -> str:
    """E.164 → international format for display (+43 1 26060)."""
    if not value:
        return ""
    try:
        return phonenumbers.format_number(
            phonenumbers.parse(value, None), phonenumbers.PhoneNumberFormat.INTERNATIONAL
        )
    except phonenumbers.NumberParseException:
        return value
