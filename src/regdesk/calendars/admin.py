"""Django admin views of the calendar, read-only: imports go through the desk page or ``regdesk calendar import``
so that each one is validated and audited."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from regdesk.calendars.models import CalendarAlert, ImportedDay, ImportedYear


class ReadOnlyAdminMixin:
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ImportedDayInline(ReadOnlyAdminMixin, admin.TabularInline[ImportedDay, ImportedYear]):
    model = ImportedDay
    fields = ["date", "kind", "name"]
    readonly_fields = ["date", "kind", "name"]
    extra = 0


@admin.register(ImportedYear)
class ImportedYearAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[ImportedYear]):
    list_display = ["year", "imported_at", "imported_by", "revision"]
    readonly_fields = ["year", "source", "imported_by", "imported_at", "revision"]
    inlines = [ImportedDayInline]


@admin.register(CalendarAlert)
class CalendarAlertAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[CalendarAlert]):
    list_display = ["year", "opened_at", "closed_at", "closed_by_import"]
    list_filter = ["closed_at"]
    readonly_fields = ["year", "opened_at", "closed_at", "closed_by_import"]
