from django.urls import path

from . import views

app_name = "reference"
urlpatterns = [
    path("states/", views.state_list, name="states"),
    path("states/<str:code>/", views.state_detail, name="state"),
    path("instruments/", views.instrument_list, name="instruments"),
    path("instruments/<slug:code>/", views.instrument_detail, name="instrument"),
    path("instruments/<slug:code>/articles/<int:number>/", views.article_detail, name="article"),
    path("instruments/<slug:code>/participation.csv", views.participation_csv,
         name="participation_csv"),
    path("sources/", views.source_list, name="sources"),
    path("participation/import/", views.participation_import, name="participation_import"),
]
