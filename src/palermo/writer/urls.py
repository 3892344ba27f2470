from django.urls import path

from . import views

app_name = "writer"

urlpatterns = [
    path("", views.draft_list, name="list"),
]
