from django.urls import include, path

from . import views

app_name = "writer"

urlpatterns = [
    path("", views.draft_list, name="list"),
    path("new/", views.draft_new, name="new"),
    path("", include("palermo.writer.document_urls")),
    path("", include("palermo.writer.review_urls")),
    path("<int:pk>/", views.draft_detail, name="draft"),
    path("<int:pk>/share/", views.draft_share, name="share"),
    path("<int:pk>/submit/", views.draft_submit, name="submit"),
    path("<int:pk>/<slug:step>/", views.draft_step, name="step"),
]
