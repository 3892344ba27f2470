"""Sessions that expire after inactivity, and the second factor for the administration."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from .guards import has_second_factor, second_factor_setup_redirect

# The time (seconds since the epoch) of the last request that refreshed the session.
LAST_SEEN_KEY = "palermo_last_seen"


def mark_session_active(request: HttpRequest) -> None:
    request.session[LAST_SEEN_KEY] = int(time.time())


class SessionActivityMiddleware:
    """A signed-in session lives SESSION_COOKIE_AGE after the last request, not after sign-in.

    Django's SESSION_SAVE_EVERY_REQUEST would do the same with a database write on every page;
    this saves the session only when the last refresh is more than
    PALERMO_SESSION_REFRESH_SECONDS old, so the expiry is exact to within that interval.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            last_seen = request.session.get(LAST_SEEN_KEY)
            stale = time.time() - settings.PALERMO_SESSION_REFRESH_SECONDS
            if not isinstance(last_seen, int) or last_seen < stale:
                mark_session_active(request)
        return response


class AdminSecondFactorMiddleware:
    """The administration changes data: everyone who may enter it needs a second factor."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func: Callable[..., Any],
                     view_args: Any, view_kwargs: Any) -> HttpResponse | None:
        match = request.resolver_match
        if match is None or "admin" not in match.namespaces:
            return None
        user = request.user
        # Every member of the staff, not only the secretariat: a superuser made with
        # `createsuperuser` holds no role, yet can change everything here.
        if user.is_authenticated and user.is_staff and not has_second_factor(user):
            return second_factor_setup_redirect(request)
        return None
