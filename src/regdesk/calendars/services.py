"""Writes of the calendars app: importing a year, raising and closing alerts; and the working-day entry points.

Other apps compute working days through ``workdays_add`` and ``workdays_between``: they return the pure results
of ``regdesk.rules.workdays`` and, when a result is provisional, raise an alert for each year that lacked data.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from regdesk.audit.services import audit_record
from regdesk.calendars import config
from regdesk.calendars.importing import CalendarEntry, CalendarImportError, validate_entries
from regdesk.calendars.models import CalendarAlert, DayKind, ImportedDay, ImportedYear
from regdesk.calendars.permissions import can_manage_calendar
from regdesk.calendars.selectors import invalidate_working_calendar, working_calendar
from regdesk.rules.workdays import CountResult, WorkdayResult

if TYPE_CHECKING:
    from regdesk.accounts.models import User


def calendar_year_import(
    *, actor: User | None, year: int, entries: Sequence[CalendarEntry], source: str
) -> ImportedYear:
    """Import (or re-import, replacing it) the announced schedule of ``year``.

    ``entries`` are the year's public holidays and make-up working days (调休上班); they replace the
    chinesecalendar package's data for that year. The import closes the year's open alert. ``actor`` is an
    administrator, or None for the operator of the ``regdesk calendar import`` command. Raises
    ``CalendarImportError`` (nothing written) when an entry is invalid, ``PermissionDenied`` for a non-administrator.
    """
    if actor is not None and not can_manage_calendar(actor):
        raise PermissionDenied
    problems = validate_entries(year, entries)
    if problems:
        raise CalendarImportError(problems)
    source = source.strip()
    now = timezone.now()
    with transaction.atomic():
        imported, created = ImportedYear.objects.get_or_create(
            year=year, defaults={"source": source, "imported_by": actor, "imported_at": now}
        )
        previous: dict[str, int] = {}
        if not created:
            # Lock the year so that two concurrent re-imports replace it one after the other.
            imported = ImportedYear.objects.select_for_update().get(pk=imported.pk)
            previous = {
                "holidays": imported.days.filter(kind=DayKind.HOLIDAY).count(),
                "workdays": imported.days.filter(kind=DayKind.WORKDAY).count(),
                "revision": imported.revision,
            }
            imported.days.all().delete()
            imported.source = source
            imported.imported_by = actor
            imported.imported_at = now
            imported.revision += 1
            imported.save(update_fields=["source", "imported_by", "imported_at", "revision"])
        ImportedDay.objects.bulk_create(
            ImportedDay(imported_year=imported, date=entry.date, kind=entry.kind, name=entry.name)
            for entry in sorted(entries, key=lambda entry: entry.date)
        )
        closed = CalendarAlert.objects.filter(year=year, closed_at__isnull=True).update(
            closed_at=now, closed_by_import=imported
        )
        holidays = sum(1 for entry in entries if entry.kind == DayKind.HOLIDAY)
        changes: dict[str, object] = {
            "year": year,
            "holidays": holidays,
            "workdays": len(entries) - holidays,
            "source": source[:200],
            "revision": imported.revision,
            "replaced": not created,
            "alerts_closed": closed,
        }
        if previous:
            changes["previous"] = previous
        audit_record(
            actor=actor,
            action="calendar_year.import",
            object_type="calendar_year",
            object_id=year,
            changes=changes,
            role="administrator" if actor is not None else "",
        )
        # Now, so that the rest of this transaction computes with the new year, and after the commit again, in
        # case a computation between the two cached the old calendar.
        invalidate_working_calendar()
        transaction.on_commit(invalidate_working_calendar)
    return imported


def _alert_window(today: datetime.date) -> range:
    # Alerts are raised for missing years in this window only (configurable): a deadline far in the past or future is
    # almost certainly a typing error, and the public API must not be able to fill the alert list with year 9999.
    first = config.alert_first_year()
    ahead = config.alert_years_ahead()
    return range(first, today.year + ahead + 1)


def calendar_alerts_raise(*, years: Iterable[int]) -> list[CalendarAlert]:
    """Open an alert for each year that lacks data (one open alert per year); return the alerts newly opened.

    Run by the system (no actor) whenever a computation was provisional. Years already imported (a computation
    that raced an import) and years outside the alert window are skipped.
    """
    window = _alert_window(timezone.localdate())
    wanted = sorted({year for year in years if year in window})
    if not wanted:
        return []
    imported = set(ImportedYear.objects.filter(year__in=wanted).values_list("year", flat=True))
    opened: list[CalendarAlert] = []
    for year in wanted:
        if year in imported:
            continue
        with transaction.atomic():
            # The partial unique constraint makes this safe when two processes raise the same year at once.
            alert, created = CalendarAlert.objects.get_or_create(
                year=year, closed_at=None, defaults={"opened_at": timezone.now()}
            )
            if created:
                audit_record(
                    actor=None,
                    action="calendar_alert.open",
                    object_type="calendar_alert",
                    object_id=alert.pk,
                    changes={"year": year},
                )
                opened.append(alert)
    return opened


def workdays_add(start: datetime.date, n: int) -> WorkdayResult:
    """The n-th working day after ``start`` (``start`` never counts; n < 0 goes backwards), see rules.workdays.

    Raises an alert for every year without data that the result depends on. Raises
    ``regdesk.rules.workdays.CalendarRangeError`` when the answer is outside the representable dates.
    """
    result = working_calendar().add(start, n)
    if result.provisional:
        calendar_alerts_raise(years=result.missing_years)
    return result


def workdays_between(a: datetime.date, b: datetime.date) -> CountResult:
    """Working days in (a, b], negative when b < a (see rules.workdays); raises alerts like ``workdays_add``."""
    result = working_calendar().between(a, b)
    if result.provisional:
        calendar_alerts_raise(years=result.missing_years)
    return result
