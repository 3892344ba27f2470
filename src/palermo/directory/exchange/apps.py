from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    """Its own app only for its table of external keys (see docs/decisions.md)."""

    name = "palermo.directory.exchange"
    label = "directory_exchange"
    verbose_name = _("Directory import and export")
    default_auto_field = "django.db.models.BigAutoField"
