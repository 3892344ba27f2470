from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FreshnessConfig(AppConfig):
    name = "palermo.freshness"
    label = "freshness"
    verbose_name = _("Freshness of the directory")
