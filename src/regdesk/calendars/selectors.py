"""Reads of the working calendar: the merged calendar, the years with data, and the open alerts."""

from __future__ import annotations

import datetime
import threading
from dataclasses import dataclass
from functools import lru_cache

from django.db.models import Count, Max, Prefetch, QuerySet, Sum

from regdesk.calendars.models import CalendarAlert, DayKind, ImportedDay, ImportedYear
from regdesk.rules.workdays import WorkingCalendar, YearSchedule

# (number of imported years, sum of their revisions, latest import): changes whenever any process imports a year.
_Stamp = tuple[int, int, datetime.datetime | None]

_lock = threading.Lock()
_cached: tuple[_Stamp, WorkingCalendar] | None = None


@lru_cache(maxsize=1)
def package_calendar() -> WorkingCalendar:
    """The chinesecalendar package's years alone (built once per process)."""
    return WorkingCalendar.from_package()


def _stamp() -> _Stamp:
    row = ImportedYear.objects.aggregate(count=Count("id"), revisions=Sum("revision"), latest=Max("imported_at"))
    return (int(row["count"] or 0), int(row["revisions"] or 0), row["latest"])


def imported_schedules() -> list[YearSchedule]:
    """Every imported year as a schedule, read from the database."""
    years = ImportedYear.objects.prefetch_related(Prefetch("days", queryset=ImportedDay.objects.order_by("date")))
    schedules = []
    for imported in years:
        holidays = {day.date: day.name for day in imported.days.all() if day.kind == DayKind.HOLIDAY}
        workdays = {day.date: day.name for day in imported.days.all() if day.kind == DayKind.WORKDAY}
        schedules.append(YearSchedule(imported.year, holidays, workdays, source=imported.source))
    return schedules


def working_calendar() -> WorkingCalendar:
    """The calendar every working-day computation uses: the package's years, replaced or extended by imports.

    Cached per process; one small aggregate query per call notices imports made by any process, and an import
    in this process also drops the cache when it commits (``invalidate_working_calendar``).
    """
    global _cached
    stamp = _stamp()
    with _lock:
        if _cached is not None and _cached[0] == stamp:
            return _cached[1]
    calendar = package_calendar().with_schedules(imported_schedules())
    with _lock:
        _cached = (stamp, calendar)
    return calendar


def invalidate_working_calendar() -> None:
    """Forget the cached calendar (called after an import commits)."""
    global _cached
    with _lock:
        _cached = None


def open_alerts() -> QuerySet[CalendarAlert]:
    """Years that computations needed but that have no data yet, oldest year first (for the desk home)."""
    return CalendarAlert.objects.filter(closed_at__isnull=True).order_by("year")


@dataclass(frozen=True)
class YearSummary:
    """One year with data, for the desk page."""

    year: int
    origin: str  # "package" or "imported"
    holidays: int
    workdays: int
    source: str
    imported_at: datetime.datetime | None
    imported_by: str
    replaces_package: bool


def calendar_years() -> list[YearSummary]:
    """Every year with a schedule, newest first, saying whether it comes from the package or an import."""
    calendar = working_calendar()
    package_years = set(package_calendar().covered_years)
    imports = {imported.year: imported for imported in ImportedYear.objects.select_related("imported_by")}
    summaries = []
    for year in sorted(calendar.covered_years, reverse=True):
        schedule = calendar.schedules[year]
        imported = imports.get(year)
        summaries.append(
            YearSummary(
                year=year,
                origin="imported" if imported is not None else "package",
                holidays=len(schedule.holidays),
                workdays=len(schedule.workdays),
                source=schedule.source,
                imported_at=imported.imported_at if imported is not None else None,
                imported_by=(str(imported.imported_by) if imported and imported.imported_by else ""),
                replaces_package=imported is not None and year in package_years,
            )
        )
    return summaries


def year_schedule(year: int) -> YearSchedule | None:
    """The schedule used for ``year``, or None when the year has no data (computed from weekends alone)."""
    return working_calendar().schedules.get(year)


def imported_year(year: int) -> ImportedYear | None:
    return ImportedYear.objects.select_related("imported_by").filter(year=year).first()
