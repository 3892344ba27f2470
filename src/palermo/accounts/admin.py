from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import Membership, User


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
    list_display = ["user", "state", "role"]
    list_filter = ["role"]
    search_fields = ["user__email", "state__name", "state__code"]
    autocomplete_fields = ["user", "state"]
