"""Base models shared by every app."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last updated"), auto_now=True, db_index=True)

    class Meta:
        abstract = True


class Visibility(models.TextChoices):
    """Decision 3/2 g(v): each State decides what is public and what is restricted."""

    PUBLIC = "public", _("Public")
    RESTRICTED = "restricted", _("Restricted")


class VersionedModel(TimeStampedModel):
    """An entry edited by people: a version number guards against lost updates."""

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True


class DataVersion(models.Model):
    """A token replaced whenever reference or directory data changes (see core.pagecache)."""

    SINGLETON = 1

    token = models.CharField(max_length=32)
    changed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("data version")

    def __str__(self) -> str:
        return f"{self.token} ({self.changed_at:%Y-%m-%d %H:%M:%S})"
