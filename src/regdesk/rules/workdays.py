"""Working days of the Chinese calendar (工作日), as data and pure functions.

A day is a working day when it is Monday to Friday and not a public holiday (法定节假日), or when it is a
Saturday or Sunday that the State Council made a make-up working day (调休上班). The schedule is announced every
year; a year without a schedule is computed from weekends alone and every result that touches it is marked
*provisional* together with the years that were missing.

Conventions, shared by every function here:

* ``add(start, n)`` is the n-th working day after ``start``; ``start`` itself never counts, whether or not it is a
  working day. ``n == 0`` returns ``start`` unchanged. A negative ``n`` goes backwards: ``add(start, -k)`` is the
  k-th working day before ``start`` (again ``start`` itself does not count).
* ``between(a, b)`` counts the working days in the half-open interval ``(a, b]``. When ``b < a`` the count is
  negative and symmetric, ``between(a, b) == -between(b, a)``, so that counts add up over consecutive intervals
  in any order: ``between(a, b) + between(b, c) == between(a, c)``.
* For ``n > 0`` the two agree: ``between(start, add(start, n).date) == n``.

Counting is arithmetic on day ordinals (a closed form for weekdays, corrected by binary searches over the sorted
exceptions), so ``add`` and ``between`` take logarithmic time whatever the distance.
"""

from __future__ import annotations

import datetime
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

# Source: 国务院办公厅关于部分节假日安排的通知 (the State Council's yearly notice on public holidays), which gives
# the days off and the make-up working days; 2004–2026 as tabulated by the chinesecalendar package.
PACKAGE_SOURCE = "chinesecalendar"

_SATURDAY = 5
# date.fromordinal(1), 0001-01-01, is a Monday: ordinal o falls on weekday (o - 1) % 7.
_MIN_ORDINAL = datetime.date.min.toordinal()
_MAX_ORDINAL = datetime.date.max.toordinal()


class CalendarRangeError(ValueError):
    """A computation would leave the range of dates Python can represent (0001-01-01 to 9999-12-31)."""


@dataclass(frozen=True)
class WorkdayResult:
    """The outcome of ``WorkingCalendar.add``."""

    date: datetime.date
    provisional: bool
    missing_years: tuple[int, ...]


@dataclass(frozen=True)
class CountResult:
    """The outcome of ``WorkingCalendar.between``."""

    working_days: int
    provisional: bool
    missing_years: tuple[int, ...]


@dataclass(frozen=True)
class DayResult:
    """Whether one day is a working day, and whether that answer rests on a year without data."""

    date: datetime.date
    working: bool
    provisional: bool
    missing_years: tuple[int, ...]


@dataclass(frozen=True)
class YearSchedule:
    """One year's announced schedule: public holidays and make-up working days, each with its name.

    ``holidays`` may list weekend days (the notices list the whole break); ``workdays`` are the weekend days
    that are worked. A date cannot be both, and every date must lie in ``year``.
    """

    year: int
    holidays: Mapping[datetime.date, str]
    workdays: Mapping[datetime.date, str]
    source: str = ""

    def __post_init__(self) -> None:
        if not datetime.MINYEAR <= self.year <= datetime.MAXYEAR:
            raise ValueError(f"year {self.year} is out of range")
        for day in (*self.holidays, *self.workdays):
            if day.year != self.year:
                raise ValueError(f"{day.isoformat()} is not in {self.year}")
        both = sorted(set(self.holidays) & set(self.workdays))
        if both:
            raise ValueError(f"{both[0].isoformat()} is both a holiday and a working day")
        # Copies, so that a caller mutating its dictionaries cannot change a calendar built from them.
        object.__setattr__(self, "holidays", MappingProxyType(dict(self.holidays)))
        object.__setattr__(self, "workdays", MappingProxyType(dict(self.workdays)))


def package_schedules() -> dict[int, YearSchedule]:
    """The years tabulated by the chinesecalendar package (2004–2026 in version 1.11), read from its tables."""
    import chinese_calendar

    holidays: dict[int, dict[datetime.date, str]] = {}
    workdays: dict[int, dict[datetime.date, str]] = {}
    for day, name in chinese_calendar.holidays.items():
        holidays.setdefault(day.year, {})[day] = str(name)
    for day, name in chinese_calendar.workdays.items():
        workdays.setdefault(day.year, {})[day] = str(name)
    years = set(holidays) | set(workdays)
    if not years:
        return {}
    source = f"{PACKAGE_SOURCE} {getattr(chinese_calendar, '__version__', '')}".strip()
    # The package covers a contiguous range of years; a year inside it with no entries is still covered.
    return {
        year: YearSchedule(year, holidays.get(year, {}), workdays.get(year, {}), source=source)
        for year in range(min(years), max(years) + 1)
    }


def _weekdays_through(ordinal: int) -> int:
    """How many Mondays to Fridays there are among the days with ordinals 1..ordinal (0 for ordinal 0)."""
    weeks, rest = divmod(ordinal, 7)
    return 5 * weeks + min(rest, 5)


def _is_weekend(day: datetime.date) -> bool:
    return day.weekday() >= _SATURDAY


def _year_of(ordinal: int) -> int:
    return datetime.date.fromordinal(ordinal).year


class WorkingCalendar:
    """Working days over the years that have a schedule, weekends alone elsewhere (provisional)."""

    def __init__(self, schedules: Iterable[YearSchedule] = ()) -> None:
        by_year: dict[int, YearSchedule] = {}
        for schedule in schedules:
            if schedule.year in by_year:
                raise ValueError(f"two schedules for {schedule.year}")
            by_year[schedule.year] = schedule
        self._schedules: Mapping[int, YearSchedule] = MappingProxyType(by_year)
        # Only the exceptions that change the weekday rule matter for counting: holidays on Monday–Friday and
        # make-up working days on Saturday or Sunday. The others (a holiday on a Sunday) change nothing.
        self._weekday_holidays: list[int] = sorted(
            day.toordinal() for schedule in by_year.values() for day in schedule.holidays if not _is_weekend(day)
        )
        self._weekend_workdays: list[int] = sorted(
            day.toordinal() for schedule in by_year.values() for day in schedule.workdays if _is_weekend(day)
        )

    @classmethod
    def from_package(cls) -> WorkingCalendar:
        """The calendar of the chinesecalendar package alone."""
        return cls(package_schedules().values())

    def with_schedules(self, schedules: Iterable[YearSchedule]) -> WorkingCalendar:
        """A new calendar where each given year replaces this calendar's schedule for that year, if any."""
        merged = dict(self._schedules)
        merged.update({schedule.year: schedule for schedule in schedules})
        return WorkingCalendar(merged.values())

    # Coverage -------------------------------------------------------------------------------------------

    @property
    def schedules(self) -> Mapping[int, YearSchedule]:
        """The schedules by year (read-only)."""
        return self._schedules

    @property
    def covered_years(self) -> tuple[int, ...]:
        return tuple(sorted(self._schedules))

    def covers(self, year: int) -> bool:
        return year in self._schedules

    def _missing_years(self, first_ordinal: int, last_ordinal: int) -> tuple[int, ...]:
        """The years without a schedule among those the days first_ordinal..last_ordinal (inclusive) touch."""
        if last_ordinal < first_ordinal:
            return ()
        return tuple(
            year for year in range(_year_of(first_ordinal), _year_of(last_ordinal) + 1) if year not in self._schedules
        )

    # Single days ----------------------------------------------------------------------------------------

    def is_working_day(self, day: datetime.date) -> bool:
        """True when ``day`` is a working day (see ``day_status`` for whether the answer is provisional)."""
        schedule = self._schedules.get(day.year)
        if schedule is not None:
            if day in schedule.holidays:
                return False
            if day in schedule.workdays:
                return True
        return not _is_weekend(day)

    def day_status(self, day: datetime.date) -> DayResult:
        """``is_working_day`` with the provisional flag: provisional when ``day``'s year has no schedule."""
        missing = () if day.year in self._schedules else (day.year,)
        return DayResult(day, self.is_working_day(day), bool(missing), missing)

    # Counting -------------------------------------------------------------------------------------------

    def _count_after(self, low: int, high: int) -> int:
        """Working days among the ordinals low+1..high, for low <= high (ordinals may be 0 at the low end)."""
        weekdays = _weekdays_through(high) - _weekdays_through(low)
        holidays = bisect_right(self._weekday_holidays, high) - bisect_right(self._weekday_holidays, low)
        workdays = bisect_right(self._weekend_workdays, high) - bisect_right(self._weekend_workdays, low)
        return weekdays - holidays + workdays

    def between(self, a: datetime.date, b: datetime.date) -> CountResult:
        """Working days in (a, b]; negative, ``-between(b, a)``, when b < a; 0 when a == b."""
        low, high = a.toordinal(), b.toordinal()
        sign = 1
        if high < low:
            low, high, sign = high, low, -1
        missing = self._missing_years(low + 1, high)
        return CountResult(sign * self._count_after(low, high), bool(missing), missing)

    def add(self, start: datetime.date, n: int) -> WorkdayResult:
        """The n-th working day after ``start`` (before it when n < 0); ``start`` itself never counts.

        Raises ``CalendarRangeError`` when the answer would lie outside 0001-01-01..9999-12-31.
        """
        origin = start.toordinal()
        if n == 0:
            return WorkdayResult(start, False, ())
        if n > 0:
            found = self._forward(origin, n)
            missing = self._missing_years(origin + 1, found)
        else:
            found = self._backward(origin, -n)
            missing = self._missing_years(found, origin - 1)
        return WorkdayResult(datetime.date.fromordinal(found), bool(missing), missing)

    def _forward(self, origin: int, n: int) -> int:
        """The smallest ordinal x > origin with n working days in origin+1..x."""
        # A week holds at least one working day outside a schedule; inside one, a break rarely exceeds nine
        # days. Start from the weekday estimate and widen until enough working days lie inside.
        span = n * 7 // 5 + 16
        while True:
            high = min(origin + span, _MAX_ORDINAL)
            if self._count_after(origin, high) >= n:
                break
            if high == _MAX_ORDINAL:
                raise CalendarRangeError(f"fewer than {n} working days after {datetime.date.fromordinal(origin)}")
            span *= 2
        low = origin  # invariant: count(origin, low) < n <= count(origin, high)
        while high - low > 1:
            middle = (low + high) // 2
            if self._count_after(origin, middle) >= n:
                high = middle
            else:
                low = middle
        return high

    def _backward(self, origin: int, k: int) -> int:
        """The largest ordinal x < origin with k working days in x..origin-1."""
        span = k * 7 // 5 + 16
        while True:
            low = max(origin - span, _MIN_ORDINAL)
            if self._count_after(low - 1, origin - 1) >= k:
                break
            if low == _MIN_ORDINAL:
                raise CalendarRangeError(f"fewer than {k} working days before {datetime.date.fromordinal(origin)}")
            span *= 2
        high = origin  # invariant: count(low..origin-1) >= k > count(high..origin-1)
        while high - low > 1:
            middle = (low + high) // 2
            if self._count_after(middle - 1, origin - 1) >= k:
                low = middle
            else:
                high = middle
        return low
