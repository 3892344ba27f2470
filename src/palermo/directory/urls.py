from django.urls import path

from . import views

app_name = "directory"
urlpatterns = [
    path("", views.home, name="home"),
    path("finder/", views.finder, name="finder"),
    path("states/<str:code>/", views.state, name="state"),
    path("authorities/<int:pk>/", views.authority, name="authority"),
    path("authorities/<int:pk>.vcf", views.authority_vcf, name="authority_vcf"),
]
