from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Confirmation, ReminderLog


@admin.register(Confirmation)
class ConfirmationAdmin(admin.ModelAdmin):
    list_display = ["state", "confirmed_at", "confirmed_by"]
    list_filter = ["state__regional_groups"]
    readonly_fields = ["state", "confirmed_by", "confirmed_at"]


@admin.register(ReminderLog)
class ReminderLogAdmin(admin.ModelAdmin):
    """The log is written by the reminder task only; the secretariat reads it."""

    list_display = ["state", "kind", "sequence", "email", "language", "claimed_at", "sent_at"]
    list_filter = ["kind", "language"]
    search_fields = ["state__code", "email"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
