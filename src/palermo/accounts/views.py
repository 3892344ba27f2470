from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from allauth.account.internal.flows.login import record_authentication
from allauth.account.utils import perform_login
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from . import access, selectors, services
from .forms import (
    AcceptInvitationForm,
    InvitationForm,
    MembershipAuthorityForm,
    StateFilterForm,
)
from .guards import (
    explain_second_factor,
    has_second_factor,
    may_change,
    needs_second_factor,
    second_factor_required,
)
from .models import Invitation, User


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(request, "accounts/profile.html", {
        "memberships": selectors.memberships_of(user),
        "demo_shown": getattr(user, "is_demo", False),
        "second_factor": has_second_factor(user),
        "second_factor_needed": needs_second_factor(user),
        "manages_accounts": access.manages_accounts(user),
    })


def too_many_requests(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """allauth's rate limits answer with this page (429)."""
    return render(request, "accounts/429.html", status=429)


def _managed_or_404(request: HttpRequest) -> User:
    user = request.user
    if not access.manages_accounts(user):
        raise Http404
    assert isinstance(user, User)
    return user


def _state_filter(request: HttpRequest, user: User) -> StateFilterForm | None:
    """Only the secretariat, who sees every State, gets a filter."""
    if not user.is_secretariat:
        return None
    return StateFilterForm(request.GET or None, states=selectors.states_with_memberships(user))


@login_required
@second_factor_required
def invitation_list(request: HttpRequest) -> HttpResponse:
    user = _managed_or_404(request)
    filter_form = _state_filter(request, user)
    state = filter_form.selected_state() if filter_form else None
    return render(request, "accounts/invitation_list.html", {
        "invitations": selectors.pending_invitations(user, state=state),
        "filter_form": filter_form,
    })


@login_required
@second_factor_required
def invitation_create(request: HttpRequest) -> HttpResponse:
    user = _managed_or_404(request)
    if "show_authorities" in request.POST:
        # Without JavaScript: the same form again, its list of authorities of the chosen State.
        form = InvitationForm(initial=request.POST.dict(), user=user)
    else:
        form = InvitationForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_bound and form.is_valid():
        try:
            invitation = services.invitation_create(
                email=form.cleaned_data["email"], role=form.cleaned_data["role"],
                state=form.cleaned_data["state"], language=form.cleaned_data["language"],
                authority=form.cleaned_data["authority"],
                invited_by=user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The invitation to %(email)s is saved and its mail is "
                                        "on its way; this list shows when it has gone.")
                             % {"email": invitation.email})
            return redirect("accounts:invitations")
    return render(request, "accounts/invitation_form.html", {
        "form": form, "days": settings.PALERMO_INVITATION_DAYS,
        "show_authorities_button": user.is_secretariat,
    })


@require_POST
@login_required
@second_factor_required
def invitation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    user = _managed_or_404(request)
    invitation = access.get_invitation_for_user(user, pk)
    try:
        services.invitation_revoke(invitation=invitation, by=user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The invitation to %(email)s is revoked; its link no longer "
                                    "works.") % {"email": invitation.email})
    return redirect("accounts:invitations")


@require_POST
@login_required
@second_factor_required
def invitation_send_again(request: HttpRequest, pk: int) -> HttpResponse:
    user = _managed_or_404(request)
    invitation = access.get_invitation_for_user(user, pk)
    try:
        services.invitation_send_again(invitation=invitation, by=user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The invitation to %(email)s will be mailed again, with a "
                                    "new link.") % {"email": invitation.email})
    return redirect("accounts:invitations")


def _unavailable(request: HttpRequest, invitation: Invitation, status: str) -> HttpResponse:
    return render(request, "accounts/invitation_unavailable.html",
                  {"invitation": invitation, "status": status}, status=410)


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """The page an invitation's link opens: accept as the signed-in owner of the address, or
    create the account. Anything else is explained and changes nothing."""
    invitation = selectors.invitation_by_token(token)
    if invitation is None:
        raise Http404
    status = invitation.status_at(timezone.now())
    if status != Invitation.Status.PENDING:
        return _unavailable(request, invitation, status)
    user = request.user
    existing = User.objects.filter(email__iexact=invitation.email).first()
    context: dict[str, Any] = {"invitation": invitation, "existing": existing}
    if user.is_authenticated and user.email.lower() != invitation.email:
        return render(request, "accounts/invitation_accept.html",
                      {**context, "other_account": True})
    if existing is not None and not user.is_authenticated:
        return render(request, "accounts/invitation_accept.html", context)
    form = None if existing else AcceptInvitationForm(request.POST or None,
                                                      email=invitation.email)
    if request.method == "POST" and (form is None or form.is_valid()):
        return _accept(request, invitation, existing, form)
    return render(request, "accounts/invitation_accept.html", {**context, "form": form})


def _accept(request: HttpRequest, invitation: Invitation, existing: User | None,
            form: AcceptInvitationForm | None) -> HttpResponse:
    try:
        if existing is not None:
            user = services.invitation_accept(invitation=invitation, user=existing)
        else:
            assert form is not None
            user = services.invitation_accept(
                invitation=invitation, password=form.cleaned_data["password1"],
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
            )
    except services.InvitationUnavailable as unavailable:
        return _unavailable(request, invitation, unavailable.status)
    if invitation.role == Invitation.Role.EXPERT:
        # An expert comes for one response: its page is where to start.
        assert invitation.state is not None and invitation.response_id is not None
        messages.success(request, _("Welcome: you can now help answer this response of "
                                    "%(state)s.") % {"state": invitation.state.name})
        next_url = reverse("reporting:response_detail", kwargs={"pk": invitation.response_id})
    else:
        messages.success(request, _("Welcome: you are now %(role)s.")
                         % {"role": _role_phrase(invitation)})
        next_url = reverse("accounts:profile")
    if not may_change(user):
        explain_second_factor(request)
        next_url = reverse("mfa_activate_totp")
    if existing is None:
        # The person has just chosen and typed their password: that counts as confirming
        # it, so setting up the authenticator app does not ask for it again at once.
        record_authentication(request, user, method="password", reauthenticated=True)
        return perform_login(request, user, redirect_url=next_url)
    return redirect(next_url)


def _role_phrase(invitation: Invitation) -> str:
    if invitation.state is None:
        return str(invitation.get_role_display())
    return _("%(role)s for %(state)s") % {"role": invitation.get_role_display(),
                                          "state": invitation.state.name}


@login_required
@second_factor_required
def membership_list(request: HttpRequest) -> HttpResponse:
    user = _managed_or_404(request)
    filter_form = _state_filter(request, user)
    state = filter_form.selected_state() if filter_form else None
    memberships = list(selectors.memberships_managed_by(user, state=state))
    choices = selectors.authorities_by_state(user, {m.state_id for m in memberships})
    rows = [(membership, choices.get(membership.state_id, [])) for membership in memberships]
    return render(request, "accounts/membership_list.html", {
        "rows": rows, "filter_form": filter_form,
        "filtered_state": state.code if state else "",
        # Each row lists its State's authorities; past this many options in all, the rows
        # link to a page of their own instead, so that the page stays small.
        "inline": sum(len(authorities) for _membership, authorities in rows)
        <= INLINE_AUTHORITY_OPTIONS,
    })


INLINE_AUTHORITY_OPTIONS = 1000


@require_http_methods(["GET", "POST"])
@login_required
@second_factor_required
def membership_authority(request: HttpRequest, pk: int) -> HttpResponse:
    """Record or clear the authority a member works at: the small form of a row of the
    memberships page, or its own page (GET) when that list is too long to carry one per row."""
    user = _managed_or_404(request)
    membership = access.get_membership_for_user(user, pk)
    if request.method == "GET":
        authorities = selectors.authorities_by_state(user, [membership.state_id])
        return render(request, "accounts/membership_authority.html", {
            "membership": membership,
            "authorities": authorities.get(membership.state_id, []),
            "filtered_state": request.GET.get("state", "")[:3],
        })
    form = MembershipAuthorityForm(request.POST, user=user)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values()
                                         for e in errors))
        return _back_to_memberships(request)
    authority = form.cleaned_data["authority"]
    try:
        services.membership_set_authority(membership=membership, authority=authority, by=user,
                                          shown=form.cleaned_data["shown"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        context = {"person": membership.user.email, "role": membership.get_role_display(),
                   "state": membership.state.name}
        if authority is None:
            messages.success(request, _("%(person)s, %(role)s for %(state)s, is no longer "
                                        "attached to an authority.") % context)
        else:
            messages.success(request, _("%(person)s, %(role)s for %(state)s, now works at "
                                        "%(authority)s.") % {**context,
                                                             "authority": authority.name})
    return _back_to_memberships(request)


def _back_to_memberships(request: HttpRequest) -> HttpResponse:
    """Back to the list, filtered as it was (the secretariat's State filter)."""
    url = reverse("accounts:memberships")
    code = request.POST.get("filtered_state", "")
    if code.isalpha() and len(code) <= 3:
        url += "?" + urlencode({"state": code.upper()})
    return redirect(url)


@require_POST
@login_required
@second_factor_required
def membership_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    user = _managed_or_404(request)
    membership = access.get_membership_for_user(user, pk)
    try:
        services.membership_revoke(membership=membership, by=user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(person)s is no longer %(role)s for %(state)s.") % {
            "person": membership.user.email, "role": membership.get_role_display(),
            "state": membership.state.name,
        })
    return redirect("accounts:memberships")
