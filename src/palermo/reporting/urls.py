from django.urls import URLPattern, URLResolver, include, path

from . import views

app_name = "reporting"

version = "questionnaires/<slug:code>/v<int:number>/"
urlpatterns: list[URLPattern | URLResolver] = [
    path("questionnaires/", views.questionnaire_list, name="questionnaires"),
    path("questionnaires/new/", views.questionnaire_create, name="questionnaire_create"),
    path("questionnaires/<slug:code>/", views.questionnaire_detail, name="questionnaire"),
    path("questionnaires/<slug:code>/new-version/", views.version_new, name="version_new"),
    path(version, views.version_detail, name="version"),
    path(version + "edit/", views.version_edit, name="version_edit"),
    path(version + "publish/", views.version_publish, name="version_publish"),
    path(version + "sections/new/", views.section_form, name="section_create"),
    path(version + "sections/<int:pk>/", views.section_form, name="section_edit"),
    path(version + "questions/new/", views.question_form, name="question_create"),
    path(version + "questions/<int:pk>/", views.question_form, name="question_edit"),
    path(version + "questions/<int:question>/choices/new/", views.choice_form,
         name="choice_create"),
    path(version + "questions/<int:question>/choices/<int:pk>/", views.choice_form,
         name="choice_edit"),
    path(version + "questions/<int:question>/columns/new/", views.column_form,
         name="column_create"),
    path(version + "questions/<int:question>/columns/<int:pk>/", views.column_form,
         name="column_edit"),
    path(version + "<slug:kind>/<int:pk>/delete/", views.item_delete, name="item_delete"),
    path(version + "<slug:kind>/<int:pk>/move/", views.item_move, name="item_move"),
    # Cycles, responses, answering, clarifications, supplementary information.
    path("", include("palermo.reporting.cycles.urls")),
    path("", include("palermo.reporting.analysis.urls")),
]
