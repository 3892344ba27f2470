from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EditionsConfig(AppConfig):
    name = "palermo.editions"
    verbose_name = _("Printed editions")
    default_auto_field = "django.db.models.BigAutoField"
