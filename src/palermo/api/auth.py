"""Who is asking: a personal API token (``Authorization: Bearer …``), else the session.

A request with a valid token is answered exactly as its owner's session would be
(``request.user`` becomes the owner); a request without one is answered for the session, or
for an anonymous visitor. A token that is wrong, revoked or of a disabled account is refused
with 401 and a sentence saying why: it never falls back to anonymous, which would look like
"nothing restricted exists".
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.utils.translation import gettext
from ninja.security import HttpBearer

from . import services
from .selectors import token_by_secret


class TokenRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class BearerToken(HttpBearer):
    """The ``BearerToken`` scheme of the OpenAPI schema."""

    openapi_bearerFormat = "palermo_…"  # ninja reads the openapi_* attributes
    openapi_description = (
        "A personal API token, created on your account's API tokens page "
        "(/en/api-tokens/) and sent as `Authorization: Bearer palermo_…`.")

    def __call__(self, request: HttpRequest) -> Any:
        header = request.headers.get(self.header)
        if header is None:
            return None  # no token: the session (or nobody) decides
        scheme, _space, secret = header.strip().partition(" ")
        if scheme.lower() != "bearer" or not secret.strip():
            raise TokenRefused(gettext(
                "Send a personal API token as “Authorization: Bearer <token>”; "
                "no other kind of authorization is accepted."))
        return self.authenticate(request, secret.strip())

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = token_by_secret(token)
        if found is None:
            raise TokenRefused(gettext(
                "This API token is not valid. Check that it was copied whole, or create a "
                "new one on your account's API tokens page."))
        if found.revoked_at is not None:
            raise TokenRefused(gettext(
                "This API token was revoked. Create a new one on your account's API "
                "tokens page."))
        if not found.user.is_active:
            raise TokenRefused(gettext("The account this API token belongs to is disabled."))
        services.token_used(token=found)
        request.user = found.user
        return found


class Session:
    """The Django session cookie, as the pages use it (anonymous when there is none)."""

    openapi_security_schema = {
        "type": "apiKey", "in": "cookie", "name": settings.SESSION_COOKIE_NAME,
        "description": "Signed in on the site: the browser's session cookie.",
    }

    def __call__(self, request: HttpRequest) -> bool:
        return True


def token_scope(run: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """A token's owner is the user for the operation only (``api.add_decorator(..., "view")``,
    added last so that it wraps the others): the middleware that runs after the API sees the
    session's user again, so a token request never starts or refreshes a session."""

    @wraps(run)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        session_user = request.user
        try:
            return run(request, *args, **kwargs)
        finally:
            request.user = session_user

    return wrapper
