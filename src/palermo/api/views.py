"""The API tokens page: a signed-in person creates and revokes their own tokens."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from palermo.accounts.guards import second_factor_required

from . import selectors, services
from .forms import TokenForm


@never_cache
@login_required
@second_factor_required
@require_http_methods(["GET", "HEAD", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    """The list and the form; a successful POST shows the new token, once, in its answer.

    A token outlives the session, so whoever must sign in with a second factor sets it up
    before creating one. Revoking is never held back."""
    form = TokenForm(request.POST or None)
    created, secret = None, ""
    if request.method == "POST" and form.is_valid():
        try:
            created, secret = services.token_create(user=request.user,
                                                    name=form.cleaned_data["name"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            form = TokenForm()
    return render(request, "api/tokens.html", {
        "form": form, "secret": secret, "created": created,
        "tokens": list(selectors.tokens_of(request.user)),
    })


@never_cache
@login_required
@require_POST
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = selectors.get_token_for_user(request.user, pk)
    if services.token_revoke(token=token):
        messages.success(request, _("The token “%(name)s” is revoked: the API refuses it "
                                    "from now on.") % {"name": token.name})
    else:
        messages.info(request, _("The token “%(name)s” was already revoked.")
                      % {"name": token.name})
    return redirect("api_tokens:list")
