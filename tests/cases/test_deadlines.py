"""Properties of the due-time conventions, checked against a day-by-day count over chinesecalendar's tables."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import chinese_calendar
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from regdesk.cases.deadlines import compute_schedule, end_of_day, lost_working_days
from tests.cases import processes

SHANGHAI = ZoneInfo("Asia/Shanghai")
REVIEW_CLOCK = processes.REVIEW.clock("review")
# Naive bounds are how hypothesis takes them; every drawn moment gets the Shanghai zone.
moments = st.datetimes(
    min_value=datetime(2024, 1, 1),  # noqa: DTZ001
    max_value=datetime(2026, 10, 31),  # noqa: DTZ001
    timezones=st.just(SHANGHAI),
)


def working_days_in(first: date, last: date) -> int:
    """Working days d with first <= d <= last, one day at a time."""
    count, day = 0, first
    while day <= last:
        count += chinese_calendar.is_workday(day)
        day += timedelta(days=1)
    return count


pytestmark = [pytest.mark.django_db]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(started=moments)
def test_due_is_the_end_of_the_fifth_working_day_after_the_start_day(started: datetime) -> None:
    schedule = compute_schedule(REVIEW_CLOCK, started_at=started, paused_working_days=0, paused_seconds=0)
    due_day = schedule.due_at.astimezone(SHANGHAI).date()
    start_day = started.astimezone(SHANGHAI).date()
    assert schedule.due_at == end_of_day(due_day)
    assert chinese_calendar.is_workday(due_day)
    assert working_days_in(start_day + timedelta(days=1), due_day) == REVIEW_CLOCK.budget


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    started=moments,
    pause_after=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=20)),
    pause_length=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=20)),
)
def test_a_pause_gives_back_the_working_days_whose_end_it_covered(
    started: datetime, pause_after: timedelta, pause_length: timedelta
) -> None:
    paused_at = started + pause_after
    resumed_at = paused_at + pause_length
    lost, provisional, _missing = lost_working_days(started_at=started, paused_at=paused_at, resumed_at=resumed_at)
    assert not provisional
    # A working day is lost when the clock was paused at its end (23:59:59), and it lies after the start day.
    expected = 0
    day = started.astimezone(SHANGHAI).date() + timedelta(days=1)
    while day <= resumed_at.astimezone(SHANGHAI).date():
        end = datetime.combine(day, time(23, 59, 59), tzinfo=SHANGHAI)
        expected += chinese_calendar.is_workday(day) and paused_at <= end < resumed_at
        day += timedelta(days=1)
    assert lost == expected
