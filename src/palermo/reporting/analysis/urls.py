"""The analysis of reporting cycles: response rates, distributions, compliance, needs, the
analytical report and the raw answers (included by ``palermo.reporting.urls``)."""
from django.urls import URLPattern, path

from . import views

urlpatterns: list[URLPattern] = [
    path("analysis/", views.overview, name="analysis"),
    path("analysis/cycles/<int:pk>/", views.cycle_analysis, name="analysis_cycle"),
    path("analysis/cycles/<int:pk>/compliance/", views.compliance, name="analysis_compliance"),
    path("analysis/cycles/<int:pk>/needs/", views.needs, name="analysis_needs"),
    path("analysis/cycles/<int:pk>/report.<str:fmt>", views.report, name="analysis_report"),
    path("analysis/cycles/<int:pk>/answers.<str:fmt>", views.answers_export,
         name="analysis_answers"),
    path("analysis/cycles/<int:pk>/clarifications.<str:fmt>", views.clarification_report,
         name="analysis_clarification_report"),
]
