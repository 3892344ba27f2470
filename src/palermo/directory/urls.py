from django.urls import include, path

from . import search_views, views
from .editing import views as editing

app_name = "directory"
urlpatterns = [
    path("", views.home, name="home"),
    path("search/", search_views.search, name="search"),
    path("finder/", views.finder, name="finder"),
    path("resources/", views.resources, name="resources"),
    path("states/<str:code>/", views.state, name="state"),
    path("authorities/<int:pk>/", views.authority, name="authority"),
    path("authorities/<int:pk>.vcf", views.authority_vcf, name="authority_vcf"),
    path("exchange/", include("palermo.directory.exchange.urls")),
    # Editing, for the State's focal points and editors and for the secretariat.
    path("manage/", editing.manage_home, name="manage"),
    path("manage/resources/", editing.manage_resources, name="manage_resources"),
    path("manage/resources/new/", editing.entry_create, {"kind": "resource"},
         name="manage_resource_new"),
    path("manage/resources/<int:pk>/", editing.entry_edit, {"kind": "resource"},
         name="manage_resource_edit"),
    path("manage/resources/<int:pk>/delete/", editing.entry_delete, {"kind": "resource"},
         name="manage_resource_delete"),
    path("manage/<str:code>/", editing.manage_state, name="manage_state"),
    path("manage/<str:code>/<slug:kind>/new/", editing.entry_create, name="manage_entry_new"),
    path("manage/<str:code>/<slug:kind>/<int:pk>/", editing.entry_edit,
         name="manage_entry_edit"),
    path("manage/<str:code>/<slug:kind>/<int:pk>/delete/", editing.entry_delete,
         name="manage_entry_delete"),
    path("manage/<str:code>/<slug:kind>/<int:pk>/history/", editing.entry_history,
         name="manage_entry_history"),
    path("manage/<str:code>/<slug:kind>/<int:pk>/history/<int:history_id>/revert/",
         editing.entry_revert, name="manage_entry_revert"),
]
