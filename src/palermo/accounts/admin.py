from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import Invitation, Membership, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["state"]


@admin.register(User)
class PalermoUserAdmin(UserAdmin):
    list_display = ["email", "first_name", "last_name", "is_secretariat", "is_active"]
    list_filter = ["is_secretariat", "is_active", "memberships__role"]
    search_fields = ["email", "first_name", "last_name"]
    ordering = ["email"]
    inlines = [MembershipInline]
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        (_("Palermo"), {"fields": ("language", "is_secretariat")}),
    )


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "state", "role", "authority"]
    list_filter = ["role"]
    search_fields = ["user__email", "state__name", "state__code"]
    autocomplete_fields = ["user", "state", "authority"]
    list_select_related = ["user", "state", "authority"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """To look up invitations; they are sent and revoked from Palermo's own pages, which mail
    the link (the admin could not: only a hash of the token is stored)."""

    list_display = ["email", "state", "role", "authority", "invited_by", "created_at",
                    "expires_at", "accepted_at", "revoked_at"]
    list_filter = ["role", "accepted_at", "revoked_at"]
    search_fields = ["email", "state__code", "state__name"]
    list_select_related = ["state", "invited_by", "authority"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
