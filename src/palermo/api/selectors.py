"""Reads of API tokens. A person sees and revokes only their own."""

from __future__ import annotations

import hashlib
import re
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from .models import ApiToken

PREFIX = "palermo_"
TOKEN = re.compile(r"palermo_[A-Za-z0-9_-]{43}")


def fingerprint(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def tokens_of(user: Any) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user)


def get_token_for_user(user: Any, pk: int) -> ApiToken:
    """The user's own token; anyone else's answers exactly like a missing one."""
    try:
        return tokens_of(user).get(pk=pk)
    except ApiToken.DoesNotExist as exc:
        raise Http404 from exc


def token_by_secret(secret: str) -> ApiToken | None:
    """The token with this secret, revoked or not, with its owner; None when there is none."""
    if not TOKEN.fullmatch(secret):
        return None
    return ApiToken.objects.select_related("user").filter(key_hash=fingerprint(secret)).first()
