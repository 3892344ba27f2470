from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from palermo.core.pagecache import anonymous_page

from . import selectors
from .finder import find
from .forms import FinderForm
from .models import Channel
from .vcard import authority_vcard


@anonymous_page("none")
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "directory/home.html", {
        "coverage": selectors.coverage(request.user),
        "recent": selectors.recently_updated_states(request.user),
        "counts": selectors.directory_counts(request.user),
    })


@anonymous_page("none")
def state(request: HttpRequest, code: str) -> HttpResponse:
    directory = selectors.state_directory(request.user, code)
    return render(request, "directory/state.html", {
        "directory": directory, "state": directory.state,
        "demo_shown": directory.shows_demo,
    })


@anonymous_page("minute")
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


@anonymous_page("day")
def finder(request: HttpRequest) -> HttpResponse:
    form = FinderForm(request.GET or None)
    answer = None
    if form.is_bound and form.is_valid():
        answer = find(
            user=request.user, requesting=form.cleaned_data["requesting"],
            requested=form.cleaned_data["requested"], measure=form.cleaned_data["measure"],
            urgent=form.cleaned_data["urgent"], measure_label=form.measure_label(),
            with_designations=False,
        )
    return render(request, "directory/finder.html", {
        "form": form, "answer": answer, "demo_shown": bool(answer and answer.shows_demo),
    })


@anonymous_page("none")
def resources(request: HttpRequest) -> HttpResponse:
    return render(request, "directory/resources.html", {"groups": selectors.resources_by_kind()})
