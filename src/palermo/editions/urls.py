from django.urls import path

from . import views

app_name = "editions"
urlpatterns = [
    path("", views.order, name="order"),
    path("<str:pk>/", views.status, name="status"),
    path("<str:pk>/progress/", views.progress, name="progress"),
    path("<str:pk>/edition.docx", views.download, {"fmt": "docx"}, name="docx"),
    path("<str:pk>/edition.pdf", views.download, {"fmt": "pdf"}, name="pdf"),
]
