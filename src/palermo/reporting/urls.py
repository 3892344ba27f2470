from django.urls import URLPattern, URLResolver, include, path

app_name = "reporting"
urlpatterns: list[URLPattern | URLResolver] = [
    # Cycles, responses, answering, clarifications, supplementary information.
    path("", include("palermo.reporting.cycles.urls")),
]
