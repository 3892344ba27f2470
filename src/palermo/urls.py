from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from palermo.core import views as core_views

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", core_views.health, name="health"),
    path("api/v1/", include("palermo.api.urls")),
    path("", core_views.root_redirect, name="root"),
]

urlpatterns += i18n_patterns(
    path("", include("palermo.core.urls")),
    path("", include("palermo.reference.urls")),
    path("account/", include("palermo.accounts.urls")),
    path("account/", include("allauth.urls")),
    path("directory/", include("palermo.directory.urls")),
    path("freshness/", include("palermo.freshness.urls")),
    path("api-tokens/", include("palermo.api.token_urls")),
    path("editions/", include("palermo.editions.urls")),
    path("requests/", include("palermo.writer.urls")),
    path("reporting/", include("palermo.reporting.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=True,
)

handler404 = "palermo.core.views.not_found"
handler500 = "palermo.core.views.server_error"
handler429 = "palermo.accounts.views.too_many_requests"  # allauth's rate limits
