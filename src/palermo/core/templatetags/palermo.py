from django import template

from palermo.core.validators import format_phone

register = template.Library()


@register.filter
def phone(value: str) -> str:
    """+43126060 → +43 1 26060."""
    return format_phone(value)
