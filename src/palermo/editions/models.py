"""Printed editions of the directory (issue 4): who asked for what, how far it is, the files.

An edition is the directory — whole, one regional group or one State — in one language, public
or restricted, written as DOCX and PDF. Large ones are written by a task; the record shows the
progress and keeps the files, which are served only through
:func:`palermo.editions.views.download` (a restricted edition only to readers who may see
restricted data).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class Edition(models.Model):
    class Scope(models.TextChoices):
        ALL = "all", _("The whole directory")
        GROUP = "group", _("One regional group")
        STATE = "state", _("One State")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to be written")
        RUNNING = "running", _("Being written")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    # Why an edition failed (``error``), shown in the reader's language by error_message.
    FAILED = "failed"
    READER_GONE = "reader"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+",
                                     verbose_name=_("requested by"))
    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices)
    scope_code = models.CharField(_("State or regional group"), max_length=8, blank=True)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    restricted = models.BooleanField(_("restricted edition"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.QUEUED)
    states_done = models.PositiveIntegerField(_("States written"), default=0)
    states_total = models.PositiveIntegerField(_("States to write"), default=0)
    data_version = models.CharField(_("data version"), max_length=32, blank=True)
    docx = models.FileField(_("DOCX file"), upload_to="editions/%Y/%m/", blank=True)
    pdf = models.FileField(_("PDF file"), upload_to="editions/%Y/%m/", blank=True)
    missing_characters = models.CharField(_("characters the PDF could not print"),
                                          max_length=500, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["scope", "scope_code", "language", "restricted",
                                 "data_version"], name="edition_reuse"),
        ]
        verbose_name = _("printed edition")
        verbose_name_plural = _("printed editions")

    def __str__(self) -> str:
        return f"{self.scope} {self.scope_code} {self.language} {self.pk}"

    @property
    def pending(self) -> bool:
        return self.status in {self.Status.QUEUED, self.Status.RUNNING}

    @property
    def error_message(self) -> str:
        if self.error == self.READER_GONE:
            return gettext("The person who ordered this edition may no longer see restricted "
                           "entries.")
        return gettext("The edition could not be written. Please try again later.")

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.states_total:
            return 0
        return min(99, round(100 * self.states_done / self.states_total))
