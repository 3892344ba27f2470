"""Writes to accounts."""

from __future__ import annotations

import logging
import secrets
from datetime import timedelta
from types import EllipsisType
from typing import TYPE_CHECKING

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.utils import encrypt
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from palermo.directory.access import authorities_visible_to
from palermo.reference.models import State

from . import access, mail
from .models import Invitation, Membership, User
from .selectors import token_hash

if TYPE_CHECKING:
    from palermo.directory.models import Authority
    from palermo.reporting.models import Response

logger = logging.getLogger(__name__)


@transaction.atomic
def user_ensure(
    *, email: str, first_name: str = "", last_name: str = "", password: str | None = None,
    is_secretariat: bool = False, language: str = "en", email_verified: bool = False,
) -> User:
    """Create the user with this e-mail address, or update the one that exists.

    ``email_verified``: the address is known to reach the person (otherwise Palermo mails a
    verification link when they first sign in).
    """
    email = User.objects.normalize_email(email).lower()
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User(email=email, username=email)
    user.first_name = first_name
    user.last_name = last_name
    user.is_secretariat = is_secretariat
    user.is_staff = is_secretariat
    user.language = language
    if password is not None:
        user.set_password(password)
    elif user.pk is None:
        user.set_unusable_password()
    user.full_clean()
    user.save()
    if is_secretariat:
        user.groups.add(secretariat_group())
    else:
        user.groups.remove(*Group.objects.filter(name=SECRETARIAT_GROUP))
    if email_verified:
        email_address_verify(user=user)
    return user


def email_address_verify(*, user: User) -> None:
    """Record the user's address as verified and primary (allauth's sign-in requires it)."""
    EmailAddress.objects.filter(user=user, primary=True).exclude(email=user.email).update(
        primary=False,
    )
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True},
    )


@transaction.atomic
def second_factor_set_totp(*, user: User, secret: str) -> Authenticator:
    """Give the user an authenticator app with this (base32) secret, replacing any other.

    People set up their own in the account pages; this is for the demo accounts and tests.
    """
    Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).delete()
    return Authenticator.objects.create(
        user=user, type=Authenticator.Type.TOTP, data={"secret": encrypt(secret)},
    )


def second_factor_add_recovery_codes(*, users: QuerySet[User]) -> int:
    """Give each of these users who has none a set of allauth's recovery codes (single-use
    codes made from a random seed, shown on allauth's recovery-codes page). People get theirs
    when they set up their app; this is for the demo accounts and tests. Returns how many sets
    were made."""
    has_codes = Authenticator.objects.filter(type=Authenticator.Type.RECOVERY_CODES)
    missing = users.exclude(pk__in=has_codes.values("user_id")).values_list("pk", flat=True)
    made = Authenticator.objects.bulk_create([
        Authenticator(user_id=pk, type=Authenticator.Type.RECOVERY_CODES,
                      data={"seed": encrypt(RecoveryCodes.generate_seed()), "used_mask": 0})
        for pk in missing.iterator()
    ], batch_size=500)
    return len(made)


SECRETARIAT_GROUP = "Secretariat"
SECRETARIAT_APPS = ["reference", "accounts", "directory"]


def secretariat_group() -> Group:
    """The group whose permissions let the secretariat manage reference data and accounts."""
    group, _created = Group.objects.get_or_create(name=SECRETARIAT_GROUP)
    wanted = Permission.objects.filter(content_type__app_label__in=SECRETARIAT_APPS)
    if group.permissions.count() != wanted.count():
        group.permissions.set(wanted)
    return group


@transaction.atomic
def membership_grant(*, user: User, state: State, role: str,
                     authority: Authority | None = None) -> Membership:
    """Give a role for a State; ``authority`` records where the person works (kept when the
    role is granted again without one)."""
    membership, _created = Membership.objects.get_or_create(user=user, state=state, role=role)
    if authority is not None and membership.authority_id != authority.pk:
        membership.authority = authority
        membership.save(update_fields=["authority", "updated_at"])
    membership.full_clean()
    return membership


@transaction.atomic
def membership_revoke(*, membership: Membership, by: User) -> None:
    """End a role. The membership's history keeps who had it and who ended it."""
    if membership.user_id == by.pk:
        raise ValidationError(_(
            "You cannot revoke your own role; ask the secretariat or another focal point."
        ))
    if not access.memberships_visible_to(by).filter(pk=membership.pk).exists():
        raise PermissionDenied
    membership.delete()


def _sees_authority(user: User, authority: Authority) -> bool:
    return authorities_visible_to(user).filter(pk=authority.pk).exists()


@transaction.atomic
def membership_set_authority(*, membership: Membership, authority: Authority | None,
                             by: User, shown: int | EllipsisType | None = ...) -> Membership:
    """Record (or, with ``None``, clear) the authority a member works at.

    Only who manages the membership may, with an authority of the membership's State that they
    see. ``shown``: the authority's id as the page showed it (``None``: none); if someone has
    changed it since, nothing is changed. The membership's history keeps the previous authority
    and who changed it.
    """
    if not access.memberships_visible_to(by).filter(pk=membership.pk).exists():
        raise PermissionDenied
    membership = Membership.objects.select_for_update(of=("self",)).select_related(
        "state").get(pk=membership.pk)
    if authority is not None:
        if not _sees_authority(by, authority):
            raise PermissionDenied
        if authority.state_id != membership.state_id:
            raise ValidationError(_(
                "%(authority)s is not an authority of %(state)s: choose one of the State of "
                "this role."
            ) % {"authority": authority.name, "state": membership.state.name})
    if membership.authority_id == (authority.pk if authority else None):
        return membership
    if shown is not ... and membership.authority_id != shown:
        raise ValidationError(_(
            "Someone else changed the authority of this role after your page was shown, so "
            "nothing was changed. The list now shows the current authority; choose again if "
            "needed."
        ))
    membership.authority = authority
    membership.full_clean()
    membership._history_user = by  # type: ignore[attr-defined]
    membership.save(update_fields=["authority", "updated_at"])
    return membership


@transaction.atomic
def invitation_create(
    *, email: str, role: str, state: State | None, language: str, invited_by: User,
    authority: Authority | None = None,
) -> Invitation:
    """Invite a person to a role; the link is mailed by a task once the invitation is saved
    (:func:`invitation_mail`), and the list of invitations shows whether it went.

    ``authority``: where the person will work, an authority of ``state`` that the inviter sees.
    """
    email = User.objects.normalize_email(email).strip().lower()
    if not access.may_invite(invited_by, state=state, role=role):
        raise PermissionDenied
    if authority is not None and not _sees_authority(invited_by, authority):
        raise PermissionDenied
    if _pending(email=email, role=role, state=state).exists():
        raise ValidationError(_(
            "This address already has a pending invitation to this role. Revoke it first to "
            "send a new one."
        ))
    if _holds_role(email=email, role=role, state=state):
        raise ValidationError(_("The account with this address already has this role."))
    return _invitation_save(Invitation(
        email=email, role=role, state=state, authority=authority, language=language,
        invited_by=invited_by,
    ))


@transaction.atomic
def expert_invitation_create(*, email: str, response: Response, language: str,
                             invited_by: User) -> Invitation:
    """Invite a person who has no account yet to help answer a State's reporting response.

    Accepting creates the account and makes the person a contributor of this response only:
    no membership of the State, whose restricted directory entries are its practitioners'.
    Who has an account is made a contributor at once instead
    (``palermo.reporting.cycles.services.contributor_invite``). Who may invite: a focal point
    of the response's State, as for contributors.
    """
    from palermo.reporting import access as reporting_access  # reporting builds on accounts

    email = User.objects.normalize_email(email).strip().lower()
    if not reporting_access.may_invite_contributors(invited_by, response):
        raise PermissionDenied
    if _pending(email=email, role=Invitation.Role.EXPERT, state=response.state,
                response=response).exists():
        raise ValidationError(_(
            "This address already has a pending invitation to this response. Revoke it first "
            "to send a new one."
        ))
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError(_(
            "This address already has a Palermo account: invite the person directly."))
    return _invitation_save(Invitation(
        email=email, role=Invitation.Role.EXPERT, state=response.state, response=response,
        language=language, invited_by=invited_by,
    ))


def _pending(*, email: str, role: str, state: State | None,
             response: Response | None = None) -> QuerySet[Invitation]:
    """The invitations of this address to this role that can still be accepted (an expert's:
    to this response)."""
    return Invitation.objects.filter(
        email=email, role=role, state=state, response=response, accepted_at=None,
        revoked_at=None, expires_at__gt=timezone.now(),
    )


def _invitation_save(invitation: Invitation) -> Invitation:
    """Save a new invitation and queue its mail."""
    # The hash of a token nobody ever receives: the link's token is made when it is mailed.
    invitation.token_hash = token_hash(secrets.token_urlsafe(32))
    invitation.expires_at = timezone.now() + timedelta(days=settings.PALERMO_INVITATION_DAYS)
    invitation.full_clean()
    invitation.save()
    _queue_mail(invitation)
    return invitation


def _queue_mail(invitation: Invitation) -> None:
    from .tasks import send_invitation

    pk = invitation.pk
    transaction.on_commit(lambda: send_invitation.enqueue(pk))


def invitation_mail(*, invitation_id: int) -> str:
    """Mail a pending invitation's link, once: a new token is made, and it and ``mailed_at``
    are kept only if the mail went. If it did not, the error is kept on the invitation (shown
    with "send again") and the task ends normally. The link works for the configured days
    from the mail. Returns what happened: ``sent``, ``failed`` or ``nothing to send``.
    """
    try:
        with transaction.atomic():
            # The lock makes a second worker wait, then find the mail sent.
            invitation = (Invitation.objects.select_for_update(of=("self",))
                          .select_related("state", "authority", "invited_by",
                                          "response__cycle",
                                          "response__questionnaire_version__questionnaire")
                          .filter(pk=invitation_id).first())
            now = timezone.now()
            if (invitation is None or invitation.mailed_at is not None
                    or invitation.status_at(now) != Invitation.Status.PENDING):
                return "nothing to send"
            token = secrets.token_urlsafe(32)
            invitation.token_hash = token_hash(token)
            invitation.mailed_at = now
            invitation.mail_error = ""
            invitation.expires_at = now + timedelta(days=settings.PALERMO_INVITATION_DAYS)
            invitation.save(update_fields=["token_hash", "mailed_at", "mail_error",
                                           "expires_at", "updated_at"])
            mail.send_invitation(invitation=invitation, token=token)
    except OSError as error:  # what SMTP and the network raise
        logger.warning("The invitation %s could not be mailed: %s", invitation_id, error)
        reason = f"{type(error).__name__}: {error}"[:500]
        Invitation.objects.filter(pk=invitation_id).update(mail_error=reason,
                                                           updated_at=timezone.now())
        return "failed"
    return "sent"


@transaction.atomic
def invitation_send_again(*, invitation: Invitation, by: User) -> Invitation:
    """Queue the mail of a pending invitation whose mail has not gone (it failed, or is late)."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not access.invitations_visible_to(by).filter(pk=invitation.pk).exists():
        raise PermissionDenied
    if invitation.status_at(timezone.now()) != Invitation.Status.PENDING:
        raise ValidationError(_("Only a pending invitation can be sent again."))
    if invitation.mailed_at is not None:
        raise ValidationError(_(
            "This invitation was already mailed. To send a new link, revoke it and invite "
            "again."
        ))
    invitation.mail_error = ""
    invitation.save(update_fields=["mail_error", "updated_at"])
    _queue_mail(invitation)
    return invitation


def _holds_role(*, email: str, role: str, state: State | None) -> bool:
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        return False
    if role == Invitation.Role.SECRETARIAT:
        return user.is_secretariat
    return Membership.objects.filter(user=user, state=state, role=role).exists()


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, by: User) -> Invitation:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not access.invitations_visible_to(by).filter(pk=invitation.pk).exists():
        raise PermissionDenied
    if invitation.status_at(timezone.now()) != Invitation.Status.PENDING:
        raise ValidationError(_("Only a pending invitation can be revoked."))
    invitation.revoked_at = timezone.now()
    invitation.revoked_by = by
    invitation.save(update_fields=["revoked_at", "revoked_by", "updated_at"])
    return invitation


class InvitationUnavailable(Exception):
    """The invitation was accepted, revoked or has expired: it changes nothing any more."""

    def __init__(self, status: str) -> None:
        super().__init__(status)
        self.status = status


@transaction.atomic
def invitation_accept(
    *, invitation: Invitation, user: User | None = None, password: str | None = None,
    first_name: str = "", last_name: str = "",
) -> User:
    """Accept an invitation: as the signed-in ``user`` whose address it is, or by creating
    the account with ``password``. The address is then verified: the link reached it.

    An expert becomes a contributor of the invitation's response (whatever its status: the
    access rules let contributors change it only while it is not submitted), and gets no
    membership of its State.
    """
    # Lock the invitation row only (its State is an outer join PostgreSQL cannot lock).
    invitation = Invitation.objects.select_for_update(of=("self",)).select_related("state").get(
        pk=invitation.pk,
    )
    status = invitation.status_at(timezone.now())
    if status != Invitation.Status.PENDING:
        raise InvitationUnavailable(status)
    secretariat = invitation.role == Invitation.Role.SECRETARIAT
    if user is None:
        if User.objects.filter(email__iexact=invitation.email).exists() or not password:
            raise PermissionDenied
        user = user_ensure(
            email=invitation.email, first_name=first_name, last_name=last_name,
            password=password, is_secretariat=secretariat, language=invitation.language,
        )
    elif user.email.lower() != invitation.email:
        raise PermissionDenied
    elif secretariat and not user.is_secretariat:
        user.is_secretariat = user.is_staff = True
        user.save(update_fields=["is_secretariat", "is_staff"])
        user.groups.add(secretariat_group())
    email_address_verify(user=user)
    if invitation.role == Invitation.Role.EXPERT:
        _contribute(invitation=invitation, user=user)
    elif not secretariat:
        assert invitation.state is not None  # the model's constraint
        membership_grant(user=user, state=invitation.state, role=invitation.role,
                         authority=invitation.authority)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by", "updated_at"])
    return user


def _contribute(*, invitation: Invitation, user: User) -> None:
    """Make the person a contributor of the expert invitation's response (kept as it is if
    the person already is one)."""
    from palermo.reporting.models import ResponseContributor

    assert invitation.response_id is not None  # the model's constraint
    ResponseContributor.objects.get_or_create(
        response_id=invitation.response_id, user=user,
        defaults={"invited_by": invitation.invited_by},
    )
