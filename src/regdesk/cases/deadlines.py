"""Due and rung times of clocks. Conventions (documented for users and tests alike):

* **Working days** (工作日) come from ``regdesk.calendars.services`` (Chinese public holidays and make-up working
  days). A clock of N working days started on day S is due at the *end* of the N-th working day after S —
  23:59:59 Asia/Shanghai — whatever the hour it started; S itself never counts, even when it is a working day.
* A working day counts only if the clock is running at its end. A pause therefore costs the working days from
  the pause's day up to the day before the resumption (never days on or before the start day): paused Monday,
  resumed Wednesday → Monday and Tuesday are given back, and the due date moves two working days later.
* **Hours** and **calendar days** are exact durations from the start; a pause moves the due time by exactly
  the time it lasted.
* Rungs: ``percent`` of a working-day budget rounds up to whole days (50 % of 5 → end of the 3rd working day);
  ``before_due=k`` is the end of working day N−k (k hours or days before the due time on the other clocks);
  a breach rung fires at the due time; a ``before_due`` rung further away than the budget fires at the start.
* The budget is the clock's own, recorded when it started (a definition may take it from a setting).
* A result that rests on a year whose holidays are not announced yet is *provisional*; the clock says so.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from regdesk.cases.definitions import BudgetUnit, ClockDefinition, Rung

LOCAL_ZONE = ZoneInfo("Asia/Shanghai")
_END_OF_DAY = time(23, 59, 59)


def local_date(moment: datetime) -> date:
    return moment.astimezone(LOCAL_ZONE).date()


def end_of_day(day: date) -> datetime:
    """23:59:59 Asia/Shanghai on ``day``, aware."""
    return datetime.combine(day, _END_OF_DAY, tzinfo=LOCAL_ZONE)


@dataclass(frozen=True)
class Schedule:
    due_at: datetime
    rungs: tuple[tuple[Rung, datetime], ...]
    provisional: bool
    missing_years: tuple[int, ...]

    def as_json(self) -> list[dict[str, object]]:
        return [
            {"rung": rung.name, "fire_at": fire_at.isoformat(), "breach": rung.breach} for rung, fire_at in self.rungs
        ]


class _WorkingDays:
    """Collects provisional flags over several calendar look-ups."""

    def __init__(self) -> None:
        self.provisional = False
        self.missing: set[int] = set()

    def add(self, start: date, count: int) -> date:
        from regdesk.calendars.services import workdays_add

        result = workdays_add(start, count)
        self.provisional = self.provisional or result.provisional
        self.missing.update(result.missing_years)
        return result.date

    def between(self, first: date, last: date) -> int:
        """Working days in the half-open interval (first, last]."""
        from regdesk.calendars.services import workdays_between

        result = workdays_between(first, last)
        self.provisional = self.provisional or result.provisional
        self.missing.update(result.missing_years)
        return result.working_days


def _unit_delta(unit: BudgetUnit, amount: float) -> timedelta:
    return timedelta(hours=amount) if unit == BudgetUnit.HOURS else timedelta(days=amount)


def compute_schedule(
    definition: ClockDefinition,
    *,
    started_at: datetime,
    paused_working_days: int,
    paused_seconds: int,
    budget: int | None = None,
) -> Schedule:
    """The due time and every rung's firing time, sorted (breach rungs last among equal times).

    ``budget`` is the clock's recorded budget; without it the definition's fixed budget is used (a definition whose
    budget comes from a setting has none, and its clocks always pass theirs).
    """
    budget = definition.budget if budget is None else budget
    if budget is None or budget <= 0:
        raise ValueError(f"clock {definition.name!r}: a positive budget is needed to compute its schedule")
    rung_times: list[tuple[Rung, datetime]] = []
    if definition.unit == BudgetUnit.WORKING_DAYS:
        calendar = _WorkingDays()
        start_day = local_date(started_at)

        def end_of_working_day(consumed: int) -> datetime:
            if consumed <= 0:
                return started_at
            return end_of_day(calendar.add(start_day, consumed + paused_working_days))

        due_at = end_of_working_day(budget)
        for rung in definition.rungs:
            if rung.breach:
                rung_times.append((rung, due_at))
            elif rung.percent is not None:
                rung_times.append((rung, end_of_working_day(min(budget, math.ceil(budget * rung.percent / 100)))))
            else:
                # A configured budget may be shorter than the rung's distance: the rung fires at the start.
                rung_times.append((rung, end_of_working_day(max(0, budget - (rung.before_due or 0)))))
        provisional, missing = calendar.provisional, tuple(sorted(calendar.missing))
    else:
        paused = timedelta(seconds=paused_seconds)
        due_at = started_at + _unit_delta(definition.unit, budget) + paused
        for rung in definition.rungs:
            if rung.breach:
                rung_times.append((rung, due_at))
            elif rung.percent is not None:
                rung_times.append(
                    (rung, started_at + _unit_delta(definition.unit, budget * rung.percent / 100) + paused)
                )
            else:
                before = min(budget, rung.before_due or 0)
                rung_times.append((rung, due_at - _unit_delta(definition.unit, before)))
        provisional, missing = False, ()
    rung_times.sort(key=lambda item: (item[1], item[0].breach))
    return Schedule(due_at=due_at, rungs=tuple(rung_times), provisional=provisional, missing_years=missing)


def lost_working_days(
    *, started_at: datetime, paused_at: datetime, resumed_at: datetime
) -> tuple[int, bool, list[int]]:
    """Working days a pause cost: those from the pause's day to the day before the resumption, after the start day.

    Returns (days, provisional, missing years).
    """
    calendar = _WorkingDays()
    first = max(local_date(paused_at) - timedelta(days=1), local_date(started_at))
    last = local_date(resumed_at) - timedelta(days=1)
    days = calendar.between(first, last) if last > first else 0
    return max(0, days), calendar.provisional, sorted(calendar.missing)
