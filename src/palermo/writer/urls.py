from django.urls import include, path

from . import views

app_name = "writer"

urlpatterns = [
    path("", views.draft_list, name="list"),
    path("", include("palermo.writer.document_urls")),
    path("", include("palermo.writer.review_urls")),
]
