"""The DOCX and PDF of a request."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
