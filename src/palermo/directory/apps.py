from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "palermo.directory"
    label = "directory"
    verbose_name = _("Directory of competent national authorities")

    def ready(self) -> None:
        from .search import connect_signals

        connect_signals()
