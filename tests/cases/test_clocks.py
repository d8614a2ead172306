"""Clocks: due times in working days, hours and calendar days; the pause ledger; provisional calendars."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from regdesk.cases.models import Clock, ClockPause, ClockState
from regdesk.cases.services import (
    ClockRefused,
    case_transition,
    clock_pause,
    clock_resume,
    clock_start,
    clock_stop,
)
from tests.cases.conftest import World, start_case, submitted_case

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=SHANGHAI)


def rung_times(clock: Clock) -> dict[str, datetime]:
    return {entry["rung"]: datetime.fromisoformat(entry["fire_at"]) for entry in clock.schedule}


def test_working_day_clock_is_due_at_the_end_of_the_nth_working_day_across_holidays(world: World) -> None:
    # Tuesday 29 September 2026: the 1st working day after it is the 30th, then the National Day holiday runs
    # 1-7 October; the 8th, 9th, Saturday the 10th (a make-up working day) and Monday the 12th follow.
    with time_machine.travel(at(2026, 9, 29, 10, 0), tick=False):
        case = submitted_case(world)
    clock = Clock.objects.get(case=case, name="review")
    assert clock.state == ClockState.RUNNING
    assert (clock.budget_amount, clock.budget_unit) == (5, "working_days")
    assert clock.due_at == at(2026, 10, 12, 23, 59, 59)
    assert not clock.provisional
    assert rung_times(clock) == {
        "warning": at(2026, 10, 9, 23, 59, 59),  # 60 % of 5 → the end of the 3rd working day
        "eve": at(2026, 10, 10, 23, 59, 59),  # one working day before the due day: the make-up Saturday
        "breach": at(2026, 10, 12, 23, 59, 59),
    }
    assert clock.next_rung_at == at(2026, 10, 9, 23, 59, 59)


def test_pause_and_resume_move_a_working_day_clock_by_the_working_days_lost(world: World) -> None:
    with time_machine.travel(at(2026, 7, 6, 10, 0), tick=False) as traveller:  # Monday, no holidays that fortnight
        case = submitted_case(world)
        clock = Clock.objects.get(case=case, name="review")
        assert clock.due_at == at(2026, 7, 13, 23, 59, 59)
        traveller.move_to(at(2026, 7, 7, 15, 0))  # Tuesday afternoon
        case_transition(actor=world.specialist, case=case, action="request_supplement")
        clock.refresh_from_db()
        assert clock.state == ClockState.PAUSED
        assert clock.next_rung_at is None
        traveller.move_to(at(2026, 7, 9, 9, 0))  # Thursday morning: Tuesday and Wednesday were lost
        case_transition(actor=world.specialist, case=case, action="resubmit")
    clock.refresh_from_db()
    assert clock.state == ClockState.RUNNING
    assert clock.paused_working_days == 2
    assert clock.due_at == at(2026, 7, 15, 23, 59, 59)
    [pause] = ClockPause.objects.filter(clock=clock)
    assert (pause.reason, pause.lost_working_days) == ("waiting on the applicant", 2)
    assert pause.resumed_at == at(2026, 7, 9, 9, 0)


def test_a_pause_within_the_start_day_or_a_weekend_costs_no_working_day(world: World) -> None:
    with time_machine.travel(at(2026, 7, 6, 10, 0), tick=False) as traveller:
        case = submitted_case(world)
        clock = Clock.objects.get(case=case, name="review")
        traveller.move_to(at(2026, 7, 6, 11, 0))
        clock_pause(actor=world.specialist, clock=clock, reason="call")
        traveller.move_to(at(2026, 7, 7, 9, 0))
        clock = clock_resume(actor=world.specialist, clock=clock)
        assert clock.due_at == at(2026, 7, 13, 23, 59, 59)
        traveller.move_to(at(2026, 7, 11, 10, 0))  # Saturday to Monday
        clock_pause(actor=world.specialist, clock=clock)
        traveller.move_to(at(2026, 7, 13, 8, 0))
        clock = clock_resume(actor=world.specialist, clock=clock)
    assert clock.paused_working_days == 0
    assert clock.due_at == at(2026, 7, 13, 23, 59, 59)


def test_hour_clock_and_its_pause(world: World) -> None:
    start = at(2026, 7, 6, 10, 0)
    with time_machine.travel(start, tick=False) as traveller:
        case = start_case(world)
        clock = clock_start(actor=world.specialist, case=case, name="callback")
        assert clock.due_at == start + timedelta(hours=48)
        assert rung_times(clock)["half"] == start + timedelta(hours=24)
        traveller.move_to(start + timedelta(hours=1))
        clock_pause(actor=world.specialist, clock=clock, reason="customer unreachable")
        traveller.move_to(start + timedelta(hours=3, minutes=30))
        clock = clock_resume(actor=world.specialist, clock=clock)
    assert clock.paused_seconds == 2.5 * 3600
    assert clock.due_at == start + timedelta(hours=50, minutes=30)
    assert rung_times(clock) == {
        "half": start + timedelta(hours=26, minutes=30),
        "breach": start + timedelta(hours=50, minutes=30),
    }


def test_calendar_day_clock_and_its_pause(world: World) -> None:
    start = at(2026, 9, 29, 16, 0)
    with time_machine.travel(start, tick=False) as traveller:
        case = start_case(world)
        clock = clock_start(actor=world.specialist, case=case, name="appeal")
        assert clock.due_at == start + timedelta(days=10)  # holidays count: these are calendar days
        assert rung_times(clock) == {"two_days_left": start + timedelta(days=8)}
        traveller.move_to(start + timedelta(days=1))
        clock_pause(actor=world.specialist, clock=clock)
        traveller.move_to(start + timedelta(days=2, hours=3))
        clock = clock_resume(actor=world.specialist, clock=clock)
    assert clock.due_at == start + timedelta(days=11, hours=3)


def test_clock_state_changes_are_checked(world: World) -> None:
    case = start_case(world)
    clock = clock_start(actor=world.specialist, case=case, name="callback")
    with pytest.raises(ClockRefused) as raised:
        clock_start(actor=world.specialist, case=case, name="callback")
    assert raised.value.code == "clock_active"
    with pytest.raises(ClockRefused):
        clock_start(actor=world.specialist, case=case, name="no_such_clock")
    with pytest.raises(ClockRefused):
        clock_resume(actor=world.specialist, clock=clock)
    clock_stop(actor=world.specialist, clock=clock)
    with pytest.raises(ClockRefused):
        clock_pause(actor=world.specialist, clock=clock)
    with pytest.raises(ClockRefused):
        clock_stop(actor=world.specialist, clock=clock)
    # A stopped clock can be started afresh.
    assert clock_start(actor=world.specialist, case=case, name="callback").pk != clock.pk


def test_a_terminal_state_stops_the_clocks(world: World) -> None:
    case = submitted_case(world)
    case_transition(actor=world.compliance, case=case, action="approve", payload={"note": "ok"})
    clock = Clock.objects.get(case=case, name="review")
    assert clock.state == ClockState.STOPPED
    assert clock.next_rung_at is None


def test_a_clock_in_a_year_without_announced_holidays_is_provisional(world: World) -> None:
    with time_machine.travel(at(2036, 12, 29, 10, 0), tick=False):
        case = submitted_case(world)
    clock = Clock.objects.get(case=case, name="review")
    assert clock.provisional
    assert 2037 in clock.missing_years
    # Weekends alone: Tuesday 30, Wednesday 31, Thursday 1, Friday 2, Monday 5.
    assert clock.due_at == at(2037, 1, 5, 23, 59, 59)


def test_a_provisional_clock_follows_the_calendar_once_the_year_is_imported(world: World) -> None:
    from datetime import date

    from regdesk.calendars.importing import CalendarEntry
    from regdesk.calendars.models import DayKind
    from regdesk.calendars.services import calendar_year_import
    from regdesk.cases.services import clock_sweep

    with time_machine.travel(at(2036, 12, 29, 10, 0), tick=False):
        case = submitted_case(world)
        calendar_year_import(
            actor=None, year=2036, entries=[CalendarEntry(date(2036, 10, 1), DayKind.HOLIDAY)], source="test"
        )
        calendar_year_import(
            actor=None,
            year=2037,
            entries=[
                CalendarEntry(date(2037, 1, 1), DayKind.HOLIDAY),
                CalendarEntry(date(2037, 1, 2), DayKind.HOLIDAY),
            ],
            source="test",
        )
        report = clock_sweep()
    clock = Clock.objects.get(case=case, name="review")
    assert report.rescheduled == 1
    assert not clock.provisional
    # Tuesday 30, Wednesday 31, (the 1st and 2nd are now holidays), Monday 5, Tuesday 6, Wednesday 7.
    assert clock.due_at == at(2037, 1, 7, 23, 59, 59)
    assert rung_times(clock)["breach"] == clock.due_at
