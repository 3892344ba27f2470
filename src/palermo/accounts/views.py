from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from . import selectors


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(request, "accounts/profile.html", {
        "memberships": selectors.memberships_of(user),
        "demo_shown": getattr(user, "is_demo", False),
    })
