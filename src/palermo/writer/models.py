"""Request drafts, their sharing, review comments and history.

What a practitioner writes lives in ``Draft.content``, a JSON object whose keys are those of
the writer's steps (``palermo.writer.steps``): the texts as written, and lists of rows for the
persons, accounts, items and places concerned. The fields the directory fills (States,
authorities, languages, legal bases) are columns, so that access and lists can filter on them.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from palermo.core.models import TimeStampedModel, VersionedModel
from palermo.reference.models import Language, State


class Kind(models.TextChoices):
    MLA = "mla", _("Mutual legal assistance (art. 18)")
    EXTRADITION = "extradition", _("Extradition (art. 16)")
    TRANSFER = "transfer", _("Transfer of sentenced persons (art. 17)")
    CONFISCATION = "confiscation", _("Seizure and confiscation (art. 13)")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("Submitted for review")
    RETURNED = "returned", _("Returned for changes")
    APPROVED = "approved", _("Approved")


class TranslationStatus(models.TextChoices):
    NOT_NEEDED = "not_needed", _("No translation needed")
    NEEDED = "needed", _("Translation needed")
    IN_PROGRESS = "in_progress", _("Translation in progress")
    DONE = "done", _("Translation done and checked")


def validate_string_list(value: Any) -> None:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValidationError(_("Expected a list of codes."), code="invalid_list")


class Draft(VersionedModel):
    """A request being written. Visible only to its author, the colleagues of the same
    authority it is shared with, and the reviewers of the requesting State's central authority
    (``palermo.writer.access``)."""

    kind = models.CharField(_("kind of request"), max_length=20, choices=Kind.choices)
    title = models.CharField(
        _("your reference"), max_length=200,
        help_text=_("For you and your colleagues, such as a case number; it is printed on the "
                    "request as your reference."))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="request_drafts", verbose_name=_("author"))
    requesting_state = models.ForeignKey(
        State, on_delete=models.PROTECT, related_name="+", verbose_name=_("requesting State"))
    requesting_authority = models.ForeignKey(
        "directory.Authority", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("requesting authority"),
        help_text=_("The authority making the request (art. 18(15)(a))."))
    central_authority = models.ForeignKey(
        "directory.Authority", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("central authority that reviews and transmits it"))
    requested_state = models.ForeignKey(
        State, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("requested State"))
    requested_authority = models.ForeignKey(
        "directory.Authority", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("requested authority"))
    measures = models.JSONField(_("measures requested"), default=list, blank=True,
                                validators=[validate_string_list])
    legal_bases = models.JSONField(_("legal bases"), default=list, blank=True,
                                   validators=[validate_string_list])
    urgent = models.BooleanField(_("urgent"), default=False)
    needed_by = models.DateField(_("result needed by"), null=True, blank=True)
    drafting_language = models.ForeignKey(
        Language, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("language the request is written in"))
    output_language = models.CharField(
        _("language of the fixed text"), max_length=10, choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE)
    second_output_language = models.CharField(
        _("second language, side by side"), max_length=10, choices=settings.LANGUAGES,
        blank=True)
    content = models.JSONField(_("content"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices,
                              default=Status.DRAFT, db_index=True)
    translation_status = models.CharField(
        _("translation"), max_length=20, choices=TranslationStatus.choices,
        default=TranslationStatus.NOT_NEEDED)
    is_demo = models.BooleanField(_("fictional demo request"), default=False, editable=False)
    shared_with = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="request_drafts_shared",
        verbose_name=_("shared with"))
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("request draft")
        verbose_name_plural = _("request drafts")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("writer:draft", kwargs={"pk": self.pk})

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        for field, state_id in (("requesting_authority", self.requesting_state_id),
                                ("central_authority", self.requesting_state_id),
                                ("requested_authority", self.requested_state_id)):
            authority = getattr(self, field)
            if authority is not None and authority.state_id != state_id:
                errors[field] = _("Choose an authority of that State.")
        if self.requested_state_id and self.requested_state_id == self.requesting_state_id:
            errors["requested_state"] = _("The requested State must differ from the requesting "
                                          "State.")
        if self.second_output_language and self.second_output_language == self.output_language:
            errors["second_output_language"] = _("Choose a different second language, or none.")
        if not isinstance(self.content, dict):
            errors["content"] = _("The content is not valid.")
        if errors:
            raise ValidationError(errors)

    def text(self, key: str) -> str:
        value = self.content.get(key, "") if isinstance(self.content, dict) else ""
        return value if isinstance(value, str) else ""

    def rows(self, key: str) -> list[dict[str, str]]:
        value = self.content.get(key, []) if isinstance(self.content, dict) else []
        return [row for row in value if isinstance(row, dict)] if isinstance(value, list) else []


class ReviewComment(TimeStampedModel):
    """A reviewer's comment on one step (section) of a request."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="comments")
    section = models.CharField(_("section"), max_length=30)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+", verbose_name=_("author"))
    text = models.TextField(_("comment"), max_length=5000)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["draft", "created_at"]
        verbose_name = _("review comment")
        verbose_name_plural = _("review comments")

    def __str__(self) -> str:
        return f"{self.draft} — {self.section}"


class Event(models.Model):
    """One step in a request's life, shown as its history."""

    class Action(models.TextChoices):
        CREATED = "created", _("Created")
        SAVED = "saved", _("Saved")
        SHARED = "shared", _("Sharing changed")
        SUBMITTED = "submitted", _("Submitted for review")
        COMMENTED = "commented", _("Commented")
        RETURNED = "returned", _("Returned for changes")
        APPROVED = "approved", _("Approved")
        TRANSLATION = "translation", _("Translation status changed")
        DOCUMENT = "document", _("Document produced")

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                              related_name="+", verbose_name=_("by"))
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    section = models.CharField(_("section"), max_length=30, blank=True)
    note = models.TextField(_("note"), max_length=5000, blank=True)
    version = models.PositiveIntegerField(_("version"))
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["draft", "at", "pk"]
        verbose_name = _("request event")
        verbose_name_plural = _("request events")

    def __str__(self) -> str:
        return f"{self.draft} — {self.get_action_display()}"
