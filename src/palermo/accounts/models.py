"""Users, and what they may do for which State."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
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
        REVIEWER = "reviewer", _("Reviewer of requests")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships",
        verbose_name=_("user"),
    )
    state = models.ForeignKey(
        State, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("State")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    authority = models.ForeignKey(
        "directory.Authority", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="memberships", verbose_name=_("authority"),
        help_text=_("The authority of the State this person works at: colleagues share request "
                    "drafts within it, and a reviewer reviews the requests it sends."),
    )
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

    def clean(self) -> None:
        super().clean()
        if self.authority is not None and self.authority.state_id != self.state_id:
            raise ValidationError({"authority": _("Choose an authority of this State.")})


class Invitation(TimeStampedModel):
    """An invitation to take a role, sent by e-mail with a link that holds a secret token.

    Only a hash of the token is stored: whoever reads the database cannot accept an invitation.
    An expert's invitation names the one reporting response the person is asked to help answer
    (and its State); accepting it makes the person a contributor of that response, never a
    member of the State.
    """

    class Role(models.TextChoices):
        PRACTITIONER = "practitioner", _("Practitioner")
        EDITOR = "editor", _("Editor")
        FOCAL_POINT = "focal_point", _("Focal point")
        REVIEWER = "reviewer", _("Reviewer of requests")
        SECRETARIAT = "secretariat", _("Secretariat")
        EXPERT = "expert", _("Expert for a reporting response")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        REVOKED = "revoked", _("Revoked")
        EXPIRED = "expired", _("Expired")

    email = models.EmailField(_("e-mail address"), db_index=True)
    state = models.ForeignKey(
        State, on_delete=models.PROTECT, null=True, blank=True, related_name="invitations",
        verbose_name=_("State"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    authority = models.ForeignKey(
        "directory.Authority", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("authority"),
        help_text=_("Optional: the authority of the State the person will work at."),
    )
    response = models.ForeignKey(
        "reporting.Response", on_delete=models.CASCADE, null=True, blank=True,
        related_name="expert_invitations", verbose_name=_("reporting response"),
        help_text=_("For an expert: the response of the State the person is invited to help "
                    "answer."),
    )
    language = models.CharField(
        _("language of the invitation"), max_length=10, choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="invitations_sent", verbose_name=_("invited by"),
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("accepted by"),
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("revoked by"),
    )
    # The mail is sent by a task after the invitation is saved: until it has gone, neither is
    # set; a mail that failed leaves its error here until someone sends it again.
    mailed_at = models.DateTimeField(_("mailed"), null=True, blank=True)
    mail_error = models.CharField(_("why the mail was not sent"), max_length=500, blank=True)

    class Meta:
        constraints = [
            # A State role names its State; the secretariat belongs to none.
            models.CheckConstraint(
                condition=(models.Q(role="secretariat", state__isnull=True)
                           | (~models.Q(role="secretariat") & models.Q(state__isnull=False))),
                name="invitation_state_matches_role",
            ),
            # An expert is invited to one response (of the invitation's State); no other role
            # names a response.
            models.CheckConstraint(
                condition=(models.Q(role="expert", response__isnull=False)
                           | (~models.Q(role="expert") & models.Q(response__isnull=True))),
                name="invitation_response_matches_role",
            ),
        ]
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        where = f" — {self.state}" if self.state_id else ""
        return f"{self.email}{where} ({self.get_role_display()})"

    def clean(self) -> None:
        super().clean()
        if (self.role == self.Role.EXPERT and self.response is not None
                and self.response.state_id != self.state_id):
            raise ValidationError({"response": _(
                "An expert is invited to a response of the invitation's State.")})
        if self.authority_id is None:
            return
        if self.role == self.Role.EXPERT:
            raise ValidationError({"authority": _(
                "An expert works at no authority of the State; leave this empty.")})
        if self.role == self.Role.SECRETARIAT:
            raise ValidationError({"authority": _(
                "The secretariat works at no authority of a State; leave this empty.")})
        if self.authority is not None and self.authority.state_id != self.state_id:
            raise ValidationError({"authority": _(
                "This authority belongs to another State: choose one of the State of this role.")})

    def status_at(self, moment: datetime) -> Invitation.Status:
        if self.accepted_at is not None:
            return self.Status.ACCEPTED
        if self.revoked_at is not None:
            return self.Status.REVOKED
        if self.expires_at <= moment:
            return self.Status.EXPIRED
        return self.Status.PENDING
