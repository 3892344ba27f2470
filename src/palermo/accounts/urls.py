"""Palermo's account pages. allauth's own pages (password reset, e-mail verification, second
factor) are included beside these under the same /<language>/account/ prefix."""

from allauth.account import views as allauth_views
from django.urls import path
from django.views.generic import RedirectView

from . import views

app_name = "accounts"
urlpatterns = [
    path("sign-in/", allauth_views.login, name="login"),
    path("sign-out/", allauth_views.logout, name="logout"),
    # allauth links to its own address for the sign-in page; there is one sign-in page.
    path("login/", RedirectView.as_view(pattern_name="accounts:login", query_string=True)),
    path("me/", views.profile, name="profile"),
    path("invitations/", views.invitation_list, name="invitations"),
    path("invitations/new/", views.invitation_create, name="invitation_create"),
    path("invitations/<int:pk>/revoke/", views.invitation_revoke, name="invitation_revoke"),
    path("invitations/<int:pk>/send-again/", views.invitation_send_again,
         name="invitation_send_again"),
    path("invitations/accept/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("memberships/", views.membership_list, name="memberships"),
    path("memberships/<int:pk>/revoke/", views.membership_revoke, name="membership_revoke"),
    path("memberships/<int:pk>/authority/", views.membership_authority,
         name="membership_authority"),
]
