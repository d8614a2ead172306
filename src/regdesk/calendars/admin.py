"""Django admin views of the calendar, read-only for administrators: imports go through the desk page (linked from
the configuration site's index) or ``regdesk calendar import`` so that each one is validated and audited."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from regdesk.accounts.admin_site import ReadOnlyConfigurationAdmin, register_desk_page
from regdesk.calendars.models import CalendarAlert, ImportedDay, ImportedYear
from regdesk.calendars.permissions import can_manage_calendar

register_desk_page(_("Import the holiday calendar"), "calendars:home", can_manage_calendar)


class ReadOnlyAdminMixin(ReadOnlyConfigurationAdmin):
    """Administrators read the imported calendar here; they import it on the desk."""


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
