"""The audit trail in the admin: visible to those with the view permission, never editable by anyone."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from regdesk.audit.models import AuditCheckpoint, AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin[AuditEvent]):
    list_display = ("sequence", "occurred_at", "actor_name", "role", "action", "object_type", "object_id")
    list_filter = ("action", "object_type")
    search_fields = ("actor_name", "action", "object_type", "object_id")
    ordering = ("-sequence",)
    actions = None

    def get_readonly_fields(self, request: HttpRequest, obj: AuditEvent | None = None) -> list[str]:
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditCheckpoint)
class AuditCheckpointAdmin(admin.ModelAdmin[AuditCheckpoint]):
    list_display = ("number", "created_at", "actor_name", "event_count", "head_sequence")
    ordering = ("-number",)
    actions = None

    def get_readonly_fields(self, request: HttpRequest, obj: AuditCheckpoint | None = None) -> list[str]:
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
