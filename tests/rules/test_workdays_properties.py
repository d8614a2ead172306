"""Properties of working-day arithmetic, checked against a day-by-day reference on random schedules."""

from __future__ import annotations

import datetime
from collections.abc import Mapping

from hypothesis import given, settings
from hypothesis import strategies as st

from regdesk.rules.workdays import WorkingCalendar, YearSchedule

D = datetime.date
ONE_DAY = datetime.timedelta(days=1)
PACKAGE = WorkingCalendar.from_package()

# Dates around the package's years and a few years without data on both sides.
dates = st.dates(min_value=D(2001, 1, 1), max_value=D(2030, 12, 31))


@st.composite
def schedules(draw: st.DrawFn) -> dict[int, YearSchedule]:
    """Random schedules for some of 2025–2029: any days off, any days worked (weekdays too), never both."""
    result: dict[int, YearSchedule] = {}
    for year in draw(st.sets(st.integers(2025, 2029), max_size=4)):
        days = st.dates(min_value=D(year, 1, 1), max_value=D(year, 12, 31))
        off = draw(st.sets(days, max_size=60))
        worked = draw(st.sets(days, max_size=20)) - off
        result[year] = YearSchedule(year, dict.fromkeys(off, "off"), dict.fromkeys(worked, "worked"))
    return result


def reference_working(day: datetime.date, by_year: Mapping[int, YearSchedule]) -> bool:
    """The definition, written independently of the implementation."""
    schedule = by_year.get(day.year)
    if schedule is not None and day in schedule.holidays:
        return False
    if schedule is not None and day in schedule.workdays:
        return True
    return day.weekday() < 5


def reference_between(a: datetime.date, b: datetime.date, by_year: Mapping[int, YearSchedule]) -> int:
    low, high, sign = (a, b, 1) if a <= b else (b, a, -1)
    count, day = 0, low + ONE_DAY
    while day <= high:
        count += reference_working(day, by_year)
        day += ONE_DAY
    return sign * count


def last_working_day_on_or_before(day: datetime.date, calendar: WorkingCalendar) -> datetime.date:
    while not calendar.is_working_day(day):
        day -= ONE_DAY
    return day


@settings(max_examples=150, deadline=None)
@given(schedules(), dates, dates)
def test_between_matches_the_reference(by_year: dict[int, YearSchedule], a: datetime.date, b: datetime.date) -> None:
    calendar = WorkingCalendar(by_year.values())
    if abs((b - a).days) > 800:
        b = a + datetime.timedelta(days=(b - a).days % 800)
    result = calendar.between(a, b)
    assert result.working_days == reference_between(a, b, by_year)
    low, high = min(a, b), max(a, b)
    touched = range((low + ONE_DAY).year, high.year + 1) if low < high else range(0)
    assert result.missing_years == tuple(year for year in touched if year not in by_year)
    assert result.provisional == bool(result.missing_years)


@settings(max_examples=150, deadline=None)
@given(schedules(), dates, st.integers(min_value=-400, max_value=400))
def test_add_matches_the_reference(by_year: dict[int, YearSchedule], start: datetime.date, n: int) -> None:
    calendar = WorkingCalendar(by_year.values())
    result = calendar.add(start, n)
    if n == 0:
        assert result.date == start
        return
    step = ONE_DAY if n > 0 else -ONE_DAY
    day, counted = start, 0
    while counted < abs(n):
        day += step
        counted += reference_working(day, by_year)
    assert result.date == day
    assert reference_working(result.date, by_year)


@settings(max_examples=200, deadline=None)
@given(dates, dates)
def test_add_of_between_lands_on_the_last_working_day(start: datetime.date, x: datetime.date) -> None:
    if x <= start:
        start, x = x, start
    count = PACKAGE.between(start, x).working_days
    landed = PACKAGE.add(start, count).date
    if count == 0:
        assert landed == start
    else:
        assert landed == last_working_day_on_or_before(x, PACKAGE)
    if PACKAGE.is_working_day(x) and x > start:
        assert landed == x


@settings(max_examples=200, deadline=None)
@given(schedules(), dates, dates, dates)
def test_between_is_additive(
    by_year: dict[int, YearSchedule], a: datetime.date, b: datetime.date, c: datetime.date
) -> None:
    calendar = WorkingCalendar(by_year.values())
    assert (
        calendar.between(a, b).working_days + calendar.between(b, c).working_days == calendar.between(a, c).working_days
    )
    assert calendar.between(a, b).working_days == -calendar.between(b, a).working_days


@settings(max_examples=200, deadline=None)
@given(dates, dates, st.integers(min_value=-3000, max_value=3000), st.integers(min_value=0, max_value=50))
def test_add_is_monotonic(first: datetime.date, second: datetime.date, n: int, more: int) -> None:
    early, late = min(first, second), max(first, second)
    assert PACKAGE.add(early, n).date <= PACKAGE.add(late, n).date
    assert PACKAGE.add(early, n).date <= PACKAGE.add(early, n + more).date
    if n >= 0:
        assert PACKAGE.add(early, n).date < PACKAGE.add(early, n + 1).date


@settings(max_examples=200, deadline=None)
@given(dates, st.integers(min_value=1, max_value=5000))
def test_add_and_between_agree(start: datetime.date, n: int) -> None:
    forward = PACKAGE.add(start, n)
    assert PACKAGE.between(start, forward.date).working_days == n
    backward = PACKAGE.add(start, -n)
    # The k-th working day before start: k working days in [result, start).
    assert PACKAGE.between(backward.date - ONE_DAY, start - ONE_DAY).working_days == n
    assert PACKAGE.is_working_day(backward.date)
    assert forward.missing_years == PACKAGE.between(start, forward.date).missing_years
