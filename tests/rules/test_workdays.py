"""Working days: known schedules from the chinesecalendar package, conventions, provisional years."""

from __future__ import annotations

import datetime

import chinese_calendar
import pytest

from regdesk.rules.workdays import (
    CalendarRangeError,
    CountResult,
    WorkdayResult,
    WorkingCalendar,
    YearSchedule,
    package_schedules,
)

D = datetime.date


@pytest.fixture(scope="module")
def calendar() -> WorkingCalendar:
    return WorkingCalendar.from_package()


def test_package_covers_2004_to_2026(calendar: WorkingCalendar) -> None:
    assert calendar.covered_years == tuple(range(2004, 2027))


def test_every_package_day_agrees_with_the_package(calendar: WorkingCalendar) -> None:
    # The package's own per-day function is the reference; our tables must say the same for every day.
    day = D(2004, 1, 1)
    while day <= D(2026, 12, 31):
        assert calendar.is_working_day(day) == chinese_calendar.is_workday(day), day
        day += datetime.timedelta(days=1)


def test_acceptance_onsite_notice_over_national_day_2026(calendar: WorkingCalendar) -> None:
    """An on-site verification notice sent on Wednesday 2026-09-30 with a 5-working-day budget.

    The package's 2026 data: National Day holiday Thursday 1 October to Wednesday 7 October (the weekend of
    3–4 October inside it), make-up working days Sunday 20 September and Saturday 10 October. Counting from the day
    after the notice: 1–7 Oct off; Thu 8 Oct is working day 1, Fri 9 Oct day 2, Sat 10 Oct (make-up) day 3,
    Sun 11 Oct off, Mon 12 Oct day 4, Tue 13 Oct day 5. The notice lapses only after Tuesday 2026-10-13.
    """
    schedule = calendar.schedules[2026]
    assert [day for day in schedule.holidays if day.month == 10] == [D(2026, 10, day) for day in range(1, 8)]
    assert D(2026, 10, 10) in schedule.workdays
    assert D(2026, 9, 20) in schedule.workdays
    assert calendar.add(D(2026, 9, 30), 5) == WorkdayResult(D(2026, 10, 13), False, ())
    assert calendar.between(D(2026, 9, 30), D(2026, 10, 13)) == CountResult(5, False, ())


def test_national_day_2026(calendar: WorkingCalendar) -> None:
    for day in range(1, 8):
        assert not calendar.is_working_day(D(2026, 10, day))
    assert calendar.is_working_day(D(2026, 10, 8))  # Thursday after the break
    assert calendar.is_working_day(D(2026, 10, 10))  # Saturday, make-up working day
    assert not calendar.is_working_day(D(2026, 10, 11))  # an ordinary Sunday
    assert calendar.is_working_day(D(2026, 9, 20))  # Sunday, make-up working day
    assert calendar.is_working_day(D(2026, 9, 28))  # an ordinary Monday
    assert calendar.add(D(2026, 9, 30), 1).date == D(2026, 10, 8)
    assert calendar.add(D(2026, 9, 18), 1).date == D(2026, 9, 20)


def test_spring_festival_2025(calendar: WorkingCalendar) -> None:
    for day in [*(D(2025, 1, d) for d in range(28, 32)), *(D(2025, 2, d) for d in range(1, 5))]:
        assert not calendar.is_working_day(day), day
    assert calendar.is_working_day(D(2025, 1, 26))  # Sunday, make-up working day
    assert calendar.is_working_day(D(2025, 2, 8))  # Saturday, make-up working day
    assert calendar.is_working_day(D(2025, 1, 27))
    assert calendar.is_working_day(D(2025, 2, 5))
    # Friday 24 Jan + 1 is the make-up Sunday; Monday 27 Jan + 1 jumps the whole break.
    assert calendar.add(D(2025, 1, 24), 1).date == D(2025, 1, 26)
    assert calendar.add(D(2025, 1, 27), 1).date == D(2025, 2, 5)
    # Working days 27 Jan .. 8 Feb: 27 Jan, 5, 6, 7 Feb, 8 Feb (make-up Saturday).
    assert calendar.between(D(2025, 1, 26), D(2025, 2, 8)).working_days == 5


def test_national_day_2024(calendar: WorkingCalendar) -> None:
    # 2024: 1–7 October off; Sunday 29 September and Saturday 12 October worked.
    assert calendar.is_working_day(D(2024, 9, 29))
    assert calendar.is_working_day(D(2024, 10, 12))
    assert not calendar.is_working_day(D(2024, 10, 7))
    # Monday 30 Sep + 1 is Tuesday 8 Oct; + 5 is Saturday 12 Oct.
    assert calendar.add(D(2024, 9, 30), 1).date == D(2024, 10, 8)
    assert calendar.add(D(2024, 9, 30), 5).date == D(2024, 10, 12)
    assert calendar.between(D(2024, 9, 27), D(2024, 10, 14)).working_days == 1 + 1 + 4 + 1 + 1


def test_weekends(calendar: WorkingCalendar) -> None:
    # Friday 6 March 2026 + 1 is Monday 9 March; a start on a Saturday does not count either.
    assert calendar.add(D(2026, 3, 6), 1).date == D(2026, 3, 9)
    assert calendar.add(D(2026, 3, 7), 1).date == D(2026, 3, 9)
    assert calendar.add(D(2026, 3, 6), 5).date == D(2026, 3, 13)
    assert calendar.between(D(2026, 3, 6), D(2026, 3, 8)).working_days == 0
    assert calendar.between(D(2026, 3, 6), D(2026, 3, 9)).working_days == 1


def test_year_boundary_2025_2026(calendar: WorkingCalendar) -> None:
    # 1–3 January 2026 off (Thursday to Saturday), Sunday 4 January worked.
    assert calendar.add(D(2025, 12, 31), 1) == WorkdayResult(D(2026, 1, 4), False, ())
    assert calendar.between(D(2025, 12, 31), D(2026, 1, 5)) == CountResult(2, False, ())


def test_start_day_never_counts(calendar: WorkingCalendar) -> None:
    assert calendar.add(D(2026, 3, 9), 1).date == D(2026, 3, 10)  # a Monday start
    assert calendar.add(D(2026, 10, 1), 1).date == D(2026, 10, 8)  # a holiday start


def test_zero_returns_start_unchanged(calendar: WorkingCalendar) -> None:
    assert calendar.add(D(2026, 10, 3), 0) == WorkdayResult(D(2026, 10, 3), False, ())
    assert calendar.add(D(2040, 1, 1), 0) == WorkdayResult(D(2040, 1, 1), False, ())
    assert calendar.between(D(2026, 10, 3), D(2026, 10, 3)) == CountResult(0, False, ())


def test_negative_n_counts_backwards(calendar: WorkingCalendar) -> None:
    # Five working days before Tuesday 13 Oct 2026: 12, 10 (make-up Saturday), 9, 8 Oct, then 30 Sep.
    assert calendar.add(D(2026, 10, 13), -5) == WorkdayResult(D(2026, 9, 30), False, ())
    assert calendar.add(D(2026, 10, 8), -1).date == D(2026, 9, 30)
    assert calendar.add(D(2025, 2, 5), -1).date == D(2025, 1, 27)


def test_between_backwards_is_negative_and_symmetric(calendar: WorkingCalendar) -> None:
    assert calendar.between(D(2026, 10, 13), D(2026, 9, 30)) == CountResult(-5, False, ())
    assert (
        calendar.between(D(2026, 12, 31), D(2026, 12, 1)).working_days
        == -calendar.between(D(2026, 12, 1), D(2026, 12, 31)).working_days
    )


def test_year_without_data_is_provisional_and_uses_weekends(calendar: WorkingCalendar) -> None:
    # 2027 has no data: Friday 1 January 2027 counts as a working day, flagged provisional.
    # December 2026 after the 1st has 22 weekdays; 1–10 January 2027 has 6 by weekends alone.
    assert calendar.add(D(2026, 12, 31), 1) == WorkdayResult(D(2027, 1, 1), True, (2027,))
    assert calendar.add(D(2026, 12, 31), 3) == WorkdayResult(D(2027, 1, 5), True, (2027,))
    assert calendar.between(D(2026, 12, 1), D(2027, 1, 10)) == CountResult(22 + 6, True, (2027,))
    assert calendar.day_status(D(2027, 1, 1)).provisional
    assert not calendar.day_status(D(2026, 1, 1)).provisional
    # Inside covered years nothing is provisional, even close to a missing year.
    assert not calendar.add(D(2026, 12, 1), 5).provisional
    # Before the package's first year too: 2003 is missing, but (2003-12-31, 2004-01-02] lies in 2004.
    assert calendar.add(D(2003, 12, 31), 1) == WorkdayResult(D(2004, 1, 2), False, ())
    assert calendar.add(D(2003, 12, 30), 1) == WorkdayResult(D(2003, 12, 31), True, (2003,))
    assert calendar.add(D(2004, 1, 2), -1) == WorkdayResult(D(2003, 12, 31), True, (2003,))


def test_several_missing_years_are_listed(calendar: WorkingCalendar) -> None:
    result = calendar.between(D(2026, 6, 1), D(2029, 6, 1))
    assert result.provisional
    assert result.missing_years == (2027, 2028, 2029)


def test_imported_year_replaces_weekend_rule() -> None:
    schedule_2027 = YearSchedule(2027, {D(2027, 1, 1): "元旦"}, {D(2027, 1, 9): "调休"})
    calendar = WorkingCalendar.from_package().with_schedules([schedule_2027])
    assert calendar.add(D(2026, 12, 31), 1) == WorkdayResult(D(2027, 1, 4), False, ())
    assert calendar.is_working_day(D(2027, 1, 9))  # Saturday worked
    assert calendar.between(D(2027, 1, 3), D(2027, 1, 10)) == CountResult(6, False, ())


def test_imported_year_replaces_the_package_year() -> None:
    # A re-announced 2026 without the National Day break: 1 October (a Thursday) becomes a working day.
    replacement = YearSchedule(2026, {D(2026, 1, 1): "元旦"}, {})
    calendar = WorkingCalendar.from_package().with_schedules([replacement])
    assert calendar.is_working_day(D(2026, 10, 1))
    assert not calendar.is_working_day(D(2026, 10, 10))  # no longer a make-up working day
    assert calendar.add(D(2026, 9, 30), 1).date == D(2026, 10, 1)


def test_large_n_matches_a_day_by_day_count(calendar: WorkingCalendar) -> None:
    start, n = D(2010, 3, 15), 10_000
    result = calendar.add(start, n)
    day, counted = start, 0
    while counted < n:
        day += datetime.timedelta(days=1)
        counted += calendar.is_working_day(day)
    assert result.date == day
    assert result.missing_years == tuple(range(2027, day.year + 1))
    assert calendar.between(start, result.date).working_days == n
    assert calendar.add(result.date, -n).date == calendar.add(start - datetime.timedelta(days=1), 1).date


def test_range_errors(calendar: WorkingCalendar) -> None:
    with pytest.raises(CalendarRangeError):
        calendar.add(D(9999, 12, 30), 5)
    with pytest.raises(CalendarRangeError):
        calendar.add(D(1, 1, 2), -5)
    assert calendar.add(D(9999, 12, 29), 1).date == D(9999, 12, 30)  # a Thursday


@pytest.mark.parametrize(
    ("holidays", "workdays", "message"),
    [
        ({D(2027, 1, 1): ""}, {D(2027, 1, 1): ""}, "both"),
        ({D(2028, 1, 1): ""}, {}, "not in 2027"),
        ({}, {D(2026, 12, 26): ""}, "not in 2027"),
    ],
)
def test_invalid_schedules(
    holidays: dict[datetime.date, str], workdays: dict[datetime.date, str], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        YearSchedule(2027, holidays, workdays)


def test_two_schedules_for_one_year_are_refused() -> None:
    with pytest.raises(ValueError, match="two schedules"):
        WorkingCalendar([YearSchedule(2027, {}, {}), YearSchedule(2027, {}, {})])


def test_schedule_is_a_copy() -> None:
    holidays = {D(2027, 1, 1): "元旦"}
    calendar = WorkingCalendar([YearSchedule(2027, holidays, {})])
    holidays[D(2027, 1, 4)] = "later change"
    assert calendar.is_working_day(D(2027, 1, 4))


def test_package_schedules_carry_names_and_source() -> None:
    schedules = package_schedules()
    assert schedules[2025].holidays[D(2025, 1, 28)] == "Spring Festival"
    assert schedules[2025].workdays[D(2025, 1, 26)] == "Spring Festival"
    assert schedules[2025].source.startswith("chinesecalendar")
