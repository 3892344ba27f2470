"""Reporting cycles: the States in scope, deadlines and extensions, reminders, answering,
clarification requests and supplementary information."""
from django.urls import URLPattern, path

from . import views

urlpatterns: list[URLPattern] = [
    path("cycles/", views.cycle_list, name="cycle_list"),
    path("cycles/new/", views.cycle_new, name="cycle_new"),
    path("cycles/<int:pk>/", views.cycle_detail, name="cycle_detail"),
    path("cycles/<int:pk>/clarifications/", views.clarification_list,
         name="clarification_list"),
    path("responses/", views.response_list, name="response_list"),
    path("responses/supplementary/", views.supplementary_start, name="supplementary_start"),
    path("responses/<int:pk>/", views.response_detail, name="response_detail"),
    path("responses/<int:pk>/sections/<int:section_pk>/", views.response_section,
         name="response_section"),
    path("responses/<int:pk>/questions/<int:question_pk>/history/", views.answer_history,
         name="answer_history"),
    path("responses/<int:pk>/files/<int:file_pk>/", views.answer_file, name="answer_file"),
    path("responses/<int:pk>/submit/", views.response_submit, name="response_submit"),
    path("responses/<int:pk>/invite/", views.response_invite, name="response_invite"),
    path("responses/<int:pk>/experts/<int:contributor_pk>/remove/",
         views.contributor_remove, name="contributor_remove"),
    path("responses/<int:pk>/invitations/<int:invitation_pk>/revoke/",
         views.expert_invitation_revoke, name="expert_invitation_revoke"),
    path("responses/<int:pk>/invitations/<int:invitation_pk>/send-again/",
         views.expert_invitation_send_again, name="expert_invitation_send_again"),
    path("responses/<int:pk>/extend/", views.response_extend, name="response_extend"),
    path("responses/<int:pk>/reopen/", views.response_reopen, name="response_reopen"),
    path("responses/<int:pk>/clarifications/new/", views.clarification_new,
         name="clarification_new"),
    path("clarifications/<int:pk>/", views.clarification_detail, name="clarification_detail"),
]
