from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation

from palermo.reference import selectors

from .pagecache import anonymous_page


def root_redirect(request: HttpRequest) -> HttpResponse:
    """Send / to the home page in the visitor's language."""
    language = translation.get_language_from_request(request, check_path=False)
    with translation.override(language):
        return HttpResponseRedirect(reverse("core:home"))


@anonymous_page("day")
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html", {"summary": selectors.home_summary()})


def health(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok", "environment": settings.PALERMO_ENV})


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "500.html", status=500)
