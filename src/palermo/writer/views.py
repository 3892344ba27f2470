"""The request writer's pages."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from . import access


@login_required
def draft_list(request: HttpRequest) -> HttpResponse:
    drafts = access.drafts_visible_to(request.user).select_related(
        "requested_state", "author")
    return render(request, "writer/list.html", {"drafts": drafts})
