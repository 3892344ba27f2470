from django.urls import path

from . import search_views, views

app_name = "directory"
urlpatterns = [
    path("", views.home, name="home"),
    path("search/", search_views.search, name="search"),
    path("finder/", views.finder, name="finder"),
    path("resources/", views.resources, name="resources"),
    path("states/<str:code>/", views.state, name="state"),
    path("authorities/<int:pk>/", views.authority, name="authority"),
    path("authorities/<int:pk>.vcf", views.authority_vcf, name="authority_vcf"),
]
