"""Decision 3/2 g(vi): States are reminded to keep their entries current.

A :class:`Confirmation` records that someone responsible for a State checked its directory
entries and found them still accurate, without changing them. A :class:`ReminderLog` row is one
reminder (or escalation) mail to one address; its unique constraint is what keeps two workers
from sending the same mail twice.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from palermo.reference.models import State


class Confirmation(models.Model):
    """A State's directory entries confirmed as still accurate, unchanged."""

    state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="confirmations",
                              verbose_name=_("State"))
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("confirmed by"),
    )
    confirmed_at = models.DateTimeField(_("confirmed"), default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["state", "confirmed_at"],
                                name="confirmation_state_latest")]
        ordering = ["-confirmed_at"]
        verbose_name = _("confirmation")
        verbose_name_plural = _("confirmations")

    def __str__(self) -> str:
        return f"{self.state} — {self.confirmed_at:%Y-%m-%d}"


class ReminderLog(models.Model):
    """One reminder mail to one address, claimed before it is sent.

    ``period_start`` is the moment the State's entries were last updated or confirmed (or,
    when they never were, when its first focal point was named): reminders are numbered from 1
    within a period, and a new update or confirmation starts a new one.
    """

    class Kind(models.TextChoices):
        REMINDER = "reminder", _("Reminder to a focal point")
        ESCALATION = "escalation", _("Escalation to the secretariat")

    state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="reminders",
                              verbose_name=_("State"))
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("recipient"),
    )
    email = models.EmailField(_("e-mail address"))
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    period_start = models.DateTimeField(_("not updated or confirmed since"))
    sequence = models.PositiveSmallIntegerField(_("number in the period"))
    claimed_at = models.DateTimeField(_("claimed"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["state", "period_start", "sequence", "email"],
                                    name="reminder_once_per_address"),
        ]
        ordering = ["-claimed_at"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")

    def __str__(self) -> str:
        return f"{self.state} #{self.sequence} → {self.email} ({self.get_kind_display()})"
