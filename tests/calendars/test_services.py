"""Importing years, the merged calendar, and provisional alerts."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from pytest_django import DjangoCaptureOnCommitCallbacks, Settings

from regdesk.accounts.models import User
from regdesk.audit.models import AuditEvent
from regdesk.calendars.importing import CalendarEntry, CalendarImportError, parse_calendar_text
from regdesk.calendars.models import CalendarAlert, DayKind, ImportedDay, ImportedYear
from regdesk.calendars.selectors import calendar_years, open_alerts, working_calendar
from regdesk.calendars.services import (
    calendar_alerts_raise,
    calendar_year_import,
    workdays_add,
    workdays_between,
)
from regdesk.rules.workdays import CountResult, WorkdayResult
from tests.calendars.samples import SCHEDULE_2027

D = datetime.date
pytestmark = pytest.mark.django_db


def _import_2027(actor: User | None, text: str = SCHEDULE_2027) -> ImportedYear:
    parsed = parse_calendar_text(text)
    return calendar_year_import(actor=actor, year=parsed.year, entries=parsed.entries, source=parsed.source)


def test_package_years_without_imports() -> None:
    assert workdays_add(D(2026, 9, 30), 5) == WorkdayResult(D(2026, 10, 13), False, ())
    assert workdays_between(D(2026, 9, 30), D(2026, 10, 13)) == CountResult(5, False, ())
    assert not CalendarAlert.objects.exists()


def test_import_makes_2027_exact(administrator: User) -> None:
    # Before: Friday 1 January 2027 counts (weekends alone), provisional.
    assert workdays_add(D(2026, 12, 31), 1) == WorkdayResult(D(2027, 1, 1), True, (2027,))
    imported = _import_2027(administrator)
    assert imported.imported_by == administrator
    assert imported.days.filter(kind=DayKind.HOLIDAY).count() == 8
    # After: 1 January is a holiday, the weekend follows, Monday 4 January is the first working day.
    assert workdays_add(D(2026, 12, 31), 1) == WorkdayResult(D(2027, 1, 4), False, ())
    # 8–12 February off, Saturday 20 February worked.
    assert workdays_add(D(2027, 2, 5), 1).date == D(2027, 2, 15)
    assert workdays_between(D(2027, 2, 14), D(2027, 2, 21)) == CountResult(6, False, ())
    event = AuditEvent.objects.get(action="calendar_year.import")
    assert event.object_id == "2027"
    assert event.changes["holidays"] == 8
    assert event.changes["workdays"] == 1
    assert event.changes["replaced"] is False


def test_reimport_replaces_the_year(administrator: User) -> None:
    _import_2027(administrator)
    changed = "year: 2027\nsource: corrected notice\n2027-01-01 holiday 元旦\n2027-01-04 holiday 元旦\n"
    imported = _import_2027(administrator, changed)
    assert imported.revision == 2
    assert imported.source == "corrected notice"
    assert list(ImportedDay.objects.values_list("date", flat=True)) == [D(2027, 1, 1), D(2027, 1, 4)]
    # 8 February is a working day again; 4 January is now off.
    assert working_calendar().is_working_day(D(2027, 2, 8))
    assert workdays_add(D(2026, 12, 31), 1).date == D(2027, 1, 5)
    events = list(AuditEvent.objects.filter(action="calendar_year.import").order_by("sequence"))
    assert len(events) == 2
    assert events[1].changes["replaced"] is True
    assert events[1].changes["previous"] == {"holidays": 8, "workdays": 1, "revision": 1}


def test_import_can_replace_a_package_year(administrator: User) -> None:
    text = "year: 2026\n2026-01-01 holiday 元旦\n"
    parsed = parse_calendar_text(text)
    calendar_year_import(actor=administrator, year=2026, entries=parsed.entries, source="")
    # Without the package's National Day break, Thursday 1 October 2026 is a working day.
    assert workdays_add(D(2026, 9, 30), 1) == WorkdayResult(D(2026, 10, 1), False, ())
    summary = {entry.year: entry for entry in calendar_years()}
    assert summary[2026].origin == "imported"
    assert summary[2026].replaces_package
    assert summary[2025].origin == "package"


def test_invalid_entries_write_nothing(administrator: User) -> None:
    entries = [
        CalendarEntry(D(2027, 1, 1), DayKind.HOLIDAY, "元旦"),
        CalendarEntry(D(2027, 1, 6), DayKind.WORKDAY, "a Wednesday"),
    ]
    with pytest.raises(CalendarImportError, match="2027-01-06"):
        calendar_year_import(actor=administrator, year=2027, entries=entries, source="")
    assert not ImportedYear.objects.exists()
    assert not ImportedDay.objects.exists()
    assert not AuditEvent.objects.filter(action="calendar_year.import").exists()


def test_non_administrator_cannot_import(specialist: User, former_administrator: User) -> None:
    parsed = parse_calendar_text(SCHEDULE_2027)
    for actor in (specialist, former_administrator):
        with pytest.raises(PermissionDenied):
            calendar_year_import(actor=actor, year=2027, entries=parsed.entries, source="")
    assert not ImportedYear.objects.exists()


def test_alert_is_raised_once_per_year_and_closed_by_import(administrator: User) -> None:
    workdays_add(D(2026, 12, 31), 3)
    workdays_between(D(2026, 12, 1), D(2027, 3, 1))
    workdays_add(D(2027, 6, 1), -10)
    alert = CalendarAlert.objects.get()
    assert alert.year == 2027
    assert alert.is_open
    assert list(open_alerts()) == [alert]
    assert AuditEvent.objects.filter(action="calendar_alert.open").count() == 1

    imported = _import_2027(administrator)
    alert.refresh_from_db()
    assert not alert.is_open
    assert alert.closed_by_import == imported
    assert list(open_alerts()) == []
    assert AuditEvent.objects.get(action="calendar_year.import").changes["alerts_closed"] == 1
    # Computations in 2027 are exact now and raise nothing.
    assert not workdays_add(D(2026, 12, 31), 3).provisional
    assert CalendarAlert.objects.count() == 1


def test_a_new_alert_after_a_closed_one() -> None:
    calendar_alerts_raise(years=[2028])
    CalendarAlert.objects.filter(year=2028).update(closed_at=timezone.now())
    assert len(calendar_alerts_raise(years=[2028])) == 1
    assert CalendarAlert.objects.filter(year=2028).count() == 2
    assert CalendarAlert.objects.filter(year=2028, closed_at__isnull=True).count() == 1


def test_alerts_for_several_years_and_outside_the_window() -> None:
    with time_machine.travel(datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC), tick=False):
        result = workdays_between(D(2026, 6, 1), D(2029, 6, 1))
        assert result.missing_years == (2027, 2028, 2029)
        assert list(open_alerts().values_list("year", flat=True)) == [2027, 2028, 2029]
        # Far outside the window (before 2000, after 2036): provisional, but no alert.
        assert workdays_add(D(1990, 1, 1), 5).provisional
        assert workdays_add(D(2090, 1, 1), 5).provisional
    assert list(open_alerts().values_list("year", flat=True)) == [2027, 2028, 2029]


def test_alert_window_is_configurable(settings: Settings) -> None:
    settings.REGDESK_CALENDAR_ALERT_YEARS_AHEAD = 100
    workdays_add(D(2090, 1, 1), 5)
    assert list(open_alerts().values_list("year", flat=True)) == [2090]


def test_no_alert_for_a_year_imported_meanwhile(administrator: User) -> None:
    # A computation that used a calendar from before the import must not reopen the year's alert.
    _import_2027(administrator)
    assert calendar_alerts_raise(years=[2027]) == []
    assert not CalendarAlert.objects.exists()


def test_import_refreshes_the_cached_calendar_after_commit(
    administrator: User, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    before = working_calendar()
    assert working_calendar() is before  # cached
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _import_2027(administrator)
    assert len(callbacks) == 1
    after = working_calendar()
    assert after is not before
    assert after.covers(2027)
    assert not before.covers(2027)


def test_cache_notices_an_import_by_another_process(administrator: User) -> None:
    before = working_calendar()
    # What another process's import leaves behind: rows, without this process's invalidation.
    imported = ImportedYear.objects.create(year=2028, imported_at=timezone.now())
    ImportedDay.objects.create(imported_year=imported, date=D(2028, 1, 3), kind=DayKind.HOLIDAY, name="元旦")
    after = working_calendar()
    assert after is not before
    assert not after.is_working_day(D(2028, 1, 3))
