"""Writes of API tokens: create one (its secret is returned once) and revoke one."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import ngettext

from .models import ApiToken
from .selectors import PREFIX, fingerprint, tokens_of

MAX_ACTIVE_TOKENS = 20
# A token's "last used" moves at most this often: a busy client must not write every request.
LAST_USED_PRECISION = dt.timedelta(minutes=1)


@transaction.atomic
def token_create(*, user: Any, name: str) -> tuple[ApiToken, str]:
    """A new token for ``user``, and its secret: shown once, never stored."""
    # Lock the owner: two creations at once must not both pass the count.
    get_user_model().objects.select_for_update().filter(pk=user.pk).values("pk").first()
    if tokens_of(user).filter(revoked_at__isnull=True).count() >= MAX_ACTIVE_TOKENS:
        raise ValidationError(ngettext(
            "You already have %(count)d active token; revoke one before creating another.",
            "You already have %(count)d active tokens; revoke one before creating another.",
            MAX_ACTIVE_TOKENS) % {"count": MAX_ACTIVE_TOKENS}, code="too_many_tokens")
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=" ".join(name.split()), key_hash=fingerprint(secret))
    token.full_clean()
    token.save()
    return token, secret


@transaction.atomic
def token_revoke(*, token: ApiToken) -> bool:
    """Revoke the token; False when it was revoked already (nothing changes then)."""
    locked = ApiToken.objects.select_for_update().get(pk=token.pk)
    if locked.revoked_at is not None:
        return False
    locked.revoked_at = timezone.now()
    locked.save(update_fields=["revoked_at"])
    token.revoked_at = locked.revoked_at
    return True


def token_used(*, token: ApiToken) -> None:
    """Record that the token was used now (to the minute; one UPDATE at most)."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now

