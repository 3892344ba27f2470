"""The second factor: required of everyone who can change data before they change anything.

Focal points, editors, reviewers of requests and the secretariat need an authenticator app
(TOTP, with recovery codes) set up on their account; practitioners may set one up but are not
asked to. Every view that
changes data is decorated with ``second_factor_required``, and the administration is guarded
by ``AdminSecondFactorMiddleware``; ``may_change(user)`` answers the same question anywhere
else (templates, the API). This guard says nothing about *what* a user may change: the access
layer still decides that.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

from .models import Membership

# Roles that change data, and so must use a second factor. Reviewers approve requests that
# their central authority sends.
CHANGING_ROLES = (Membership.Role.FOCAL_POINT, Membership.Role.EDITOR, Membership.Role.REVIEWER)


def needs_second_factor(user: Any) -> bool:
    """The secretariat, focal points, editors and reviewers must use a second factor."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.is_secretariat:
        return True
    cached = getattr(user, "_palermo_needs_second_factor", None)
    if cached is None:
        cached = user.memberships.filter(role__in=CHANGING_ROLES).exists()
        user._palermo_needs_second_factor = cached
    return bool(cached)


def has_second_factor(user: Any) -> bool:
    """An authenticator app is set up on the account (recovery codes alone do not count)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    cached = getattr(user, "_palermo_has_second_factor", None)
    if cached is None:
        cached = Authenticator.objects.filter(
            user=user, type=Authenticator.Type.TOTP,
        ).exists()
        user._palermo_has_second_factor = cached
    return bool(cached)


def may_change(user: Any) -> bool:
    """Signed in, and holding a second factor if the user's roles require one."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return not needs_second_factor(user) or has_second_factor(user)


def second_factor_setup_redirect(request: HttpRequest) -> HttpResponse:
    """Send the user to set up an authenticator app, and say why."""
    explain_second_factor(request)
    return HttpResponseRedirect(reverse("mfa_activate_totp"))


def explain_second_factor(request: HttpRequest) -> None:
    messages.warning(request, _(
        "Your role lets you change data in Palermo, so your account must be protected by a "
        "second factor before you change anything. Set up an authenticator app below; you "
        "will then be asked for a code from it each time you sign in."
    ))


ViewFunction = Callable[..., HttpResponse]


def second_factor_required(view: ViewFunction) -> ViewFunction:
    """Decorate every view that changes data (and pages that offer to).

    Anonymous visitors pass through: the view decides whether they get a sign-in page or 404.
    """

    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if user.is_authenticated and not may_change(user):
            return second_factor_setup_redirect(request)
        return view(request, *args, **kwargs)

    return guarded
