from django.urls import path

from . import views

app_name = "exchange"
urlpatterns = [
    path("export/", views.export, name="export"),
    path("import/", views.import_view, name="import"),
]
