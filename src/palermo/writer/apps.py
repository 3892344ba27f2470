from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WriterConfig(AppConfig):
    name = "palermo.writer"
    label = "writer"
    verbose_name = _("Request writer")
