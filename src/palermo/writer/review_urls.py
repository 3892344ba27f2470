"""Review by the central authority, and the request's history."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
