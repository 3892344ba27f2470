from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from . import selectors
from .models import Channel
from .vcard import authority_vcard


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "directory/home.html", {
        "coverage": selectors.coverage(request.user),
        "recent": selectors.recently_updated_states(request.user),
        "counts": selectors.directory_counts(request.user),
    })


def state(request: HttpRequest, code: str) -> HttpResponse:
    directory = selectors.state_directory(request.user, code)
    return render(request, "directory/state.html", {
        "directory": directory, "state": directory.state,
        "demo_shown": directory.shows_demo,
    })


def authority(request: HttpRequest, pk: int) -> HttpResponse:
    detail = selectors.authority_detail(request.user, pk)
    return render(request, "directory/authority.html", {
        "detail": detail, "authority": detail.authority,
        "channel_labels": [Channel(code).label for code in detail.authority.channels],
        "demo_shown": detail.authority.is_demo,
    })


def authority_vcf(request: HttpRequest, pk: int) -> HttpResponse:
    detail = selectors.authority_detail(request.user, pk)
    body = authority_vcard(
        detail.authority, request.build_absolute_uri(detail.authority.get_absolute_url()))
    response = HttpResponse(body, content_type="text/vcard; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="authority-{pk}.vcf"'
    return response
