"""Users, and what they may do for which State."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from palermo.core.models import TimeStampedModel
from palermo.reference.models import State


class User(AbstractUser):
    """A person who signs in. The e-mail address is unique and is how they sign in."""

    email = models.EmailField(_("e-mail address"), unique=True)
    language = models.CharField(
        _("preferred language"), max_length=10, choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    is_secretariat = models.BooleanField(
        _("secretariat"), default=False,
        help_text=_("Staff of the secretariat of the Conference of the Parties."),
    )

    is_demo = models.BooleanField(
        _("fictional demo account"), default=False, editable=False,
        help_text=_("Created by the demo data command; not a real person."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.email


class Membership(TimeStampedModel):
    """A user's role for one State."""

    class Role(models.TextChoices):
        PRACTITIONER = "practitioner", _("Practitioner")
        EDITOR = "editor", _("Editor")
        FOCAL_POINT = "focal_point", _("Focal point")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships",
        verbose_name=_("user"),
    )
    state = models.ForeignKey(
        State, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("State")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "state", "role"], name="membership_unique")
        ]
        ordering = ["state__code", "role"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} — {self.state} ({self.get_role_display()})"
