"""Palermo's URLs plus ``/bench/bare/``: the ceiling every benchmark result is compared against.

The bare view goes through the same middleware as every page but touches neither the
database nor a template, so it measures what Django and gunicorn cost on their own.
"""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from palermo.urls import handler404, handler500
from palermo.urls import urlpatterns as palermo_urlpatterns

BARE_PAGE = (
    b'<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
    b"<title>Bench</title></head><body><p>Bare Django view.</p></body></html>\n"
)


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse(BARE_PAGE, content_type="text/html; charset=utf-8")


urlpatterns = [
    path("bench/bare/", bare, name="bench-bare"),
    *palermo_urlpatterns,
]

__all__ = ["handler404", "handler500", "urlpatterns"]
