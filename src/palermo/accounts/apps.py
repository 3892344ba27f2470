from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "palermo.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from allauth.account.decorators import secure_admin_login
        from django.contrib import admin
        from django.contrib.auth.signals import user_logged_in

        from .middleware import mark_session_active

        # The administration signs people in through Palermo's sign-in (rate limits, second
        # factor), never through its own password-only form.
        admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]

        def session_starts_active(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
            if hasattr(request, "session"):
                mark_session_active(request)

        user_logged_in.connect(session_starts_active, dispatch_uid="palermo_session_active",
                               weak=False)
