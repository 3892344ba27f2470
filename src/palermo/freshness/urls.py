from django.urls import path

from . import views

app_name = "freshness"
urlpatterns = [
    path("states/<str:code>/confirm/", views.confirm, name="confirm"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/staleness.csv", views.staleness_csv, name="staleness_csv"),
    path("dashboard/coverage.csv", views.coverage_csv, name="coverage_csv"),
    path("dashboard/invitations.csv", views.invitations_csv, name="invitations_csv"),
    path("dashboard/history.csv", views.history_csv, name="history_csv"),
]
