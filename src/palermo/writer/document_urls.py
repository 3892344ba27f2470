"""The DOCX and PDF of a request."""

from django.urls import URLPattern, path

from . import document_views

urlpatterns: list[URLPattern] = [
    path("<int:pk>/request.<str:fmt>", document_views.document, name="document"),
]
