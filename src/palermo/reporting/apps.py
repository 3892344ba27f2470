from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "palermo.reporting"
    label = "reporting"
    verbose_name = _("Implementation reporting")

    def ready(self) -> None:
        from .analysis import cache

        cache.connect_signals()  # the analysis' figures follow changes of reporting data
