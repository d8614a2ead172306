"""Starting, pausing, resuming and stopping clocks. Time conventions: ``regdesk.cases.deadlines``."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from regdesk.audit.services import audit_record
from regdesk.cases.config import clock_budget_setting
from regdesk.cases.deadlines import Schedule, compute_schedule, lost_working_days
from regdesk.cases.definitions import BudgetUnit, ClockDefinition, get_process
from regdesk.cases.models import Case, Clock, ClockPause, ClockState
from regdesk.cases.services.errors import ClockRefused

if TYPE_CHECKING:
    from regdesk.accounts.models import User


def clock_definition(clock: Clock) -> ClockDefinition:
    return get_process(clock.case.process_key, clock.case.process_version).clock(clock.name)


def _apply_schedule(clock: Clock, schedule: Schedule) -> None:
    fired = set(clock.fired_rungs.values_list("rung", flat=True)) if clock.pk else set()
    clock.due_at = schedule.due_at
    clock.schedule = schedule.as_json()
    clock.provisional = schedule.provisional
    clock.missing_years = list(schedule.missing_years)
    pending = [fire_at for rung, fire_at in schedule.rungs if rung.name not in fired]
    clock.next_rung_at = min(pending) if pending and clock.state == ClockState.RUNNING else None


def clock_budget(definition: ClockDefinition) -> int:
    """The budget a new clock of ``definition`` gets: its fixed budget, or the current value of the setting it names
    (resolved now and recorded on the clock, DESIGN.md rule 13)."""
    if definition.budget is not None:
        return definition.budget
    try:
        # The setting is named by the definition; its default is stated in config/settings.py.
        value = clock_budget_setting(definition.budget_setting)
    except AttributeError:
        raise ImproperlyConfigured(
            f"{definition.budget_setting} is not a setting (clock {definition.name!r})"
        ) from None
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ImproperlyConfigured(f"{definition.budget_setting} must be a positive whole number")
    budget: int = value
    return budget


def clock_refresh_schedule(clock: Clock) -> None:
    """Recompute due and rung times from the ledger and the clock's recorded budget (no audit: derived values only;
    callers save)."""
    _apply_schedule(
        clock,
        compute_schedule(
            clock_definition(clock),
            started_at=clock.started_at,
            paused_working_days=clock.paused_working_days,
            paused_seconds=clock.paused_seconds,
            budget=clock.budget_amount,
        ),
    )


def _audit(actor: User | None, clock: Clock, action: str, **changes: object) -> None:
    audit_record(
        actor=actor,
        action=f"clock.{action}",
        object_type="cases.clock",
        object_id=clock.pk,
        changes={"case": clock.case_id, "clock": clock.name, **changes},
        unit=clock.case.unit,
    )


def clock_start(*, actor: User | None, case: Case, name: str, now: datetime | None = None) -> Clock:
    """Start the clock ``name`` of the case's process with its budget as configured now (``clock_budget``), which
    the clock keeps for good. Refused while a clock of that name runs or is paused."""
    now = now or timezone.now()
    definition = get_process(case.process_key, case.process_version)
    try:
        clock_def = definition.clock(name)
    except KeyError:
        raise ClockRefused("unknown_clock", _("The process has no clock “%(name)s”.") % {"name": name}) from None
    with transaction.atomic():
        if Clock.objects.filter(case=case, name=name, state__in=[ClockState.RUNNING, ClockState.PAUSED]).exists():
            raise ClockRefused("clock_active", _("The clock “%(name)s” is already running.") % {"name": name})
        budget = clock_budget(clock_def)
        clock = Clock(
            case=case,
            name=name,
            budget_amount=budget,
            budget_unit=str(clock_def.unit),
            state=ClockState.RUNNING,
            started_at=now,
        )
        _apply_schedule(
            clock,
            compute_schedule(clock_def, started_at=now, paused_working_days=0, paused_seconds=0, budget=budget),
        )
        clock.save()
        _audit(
            actor,
            clock,
            "start",
            budget=budget,
            unit=str(clock_def.unit),
            due_at=clock.due_at.isoformat(),
            provisional=clock.provisional,
        )
    return clock


def _locked(clock: Clock) -> Clock:
    return Clock.objects.select_for_update().select_related("case", "case__unit").get(pk=clock.pk)


def clock_pause(*, actor: User | None, clock: Clock, reason: str = "", now: datetime | None = None) -> Clock:
    """Pause a running clock (the provider waits on the applicant); ``reason`` is a short, non-personal text."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked(clock)
        if locked.state != ClockState.RUNNING:
            raise ClockRefused("not_running", _("Only a running clock can be paused."))
        ClockPause.objects.create(clock=locked, paused_at=now, reason=reason[:200])
        locked.state = ClockState.PAUSED
        locked.next_rung_at = None
        locked.save(update_fields=["state", "next_rung_at", "updated_at"])
        _audit(actor, locked, "pause", reason=reason[:200])
    return locked


def clock_resume(*, actor: User | None, clock: Clock, now: datetime | None = None) -> Clock:
    """Resume a paused clock: the pause's time (working days or seconds) is added to the ledger and the due time
    and rung times move accordingly."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked(clock)
        if locked.state != ClockState.PAUSED:
            raise ClockRefused("not_paused", _("Only a paused clock can be resumed."))
        pause = locked.pauses.filter(resumed_at__isnull=True).order_by("-paused_at").first()
        if pause is None:  # pragma: no cover - a paused clock always has an open pause
            raise ClockRefused("not_paused", _("Only a paused clock can be resumed."))
        pause.resumed_at = now
        if locked.budget_unit == BudgetUnit.WORKING_DAYS:
            days, _provisional, _missing = lost_working_days(
                started_at=locked.started_at, paused_at=pause.paused_at, resumed_at=now
            )
            pause.lost_working_days = days
            locked.paused_working_days += days
        else:
            seconds = max(0, int((now - pause.paused_at).total_seconds()))
            pause.lost_seconds = seconds
            locked.paused_seconds += seconds
        pause.save(update_fields=["resumed_at", "lost_working_days", "lost_seconds"])
        locked.state = ClockState.RUNNING
        clock_refresh_schedule(locked)
        locked.save()
        _audit(
            actor,
            locked,
            "resume",
            lost_working_days=pause.lost_working_days,
            lost_seconds=pause.lost_seconds,
            due_at=locked.due_at.isoformat(),
        )
    return locked


def clock_stop(*, actor: User | None, clock: Clock, now: datetime | None = None) -> Clock:
    """Stop a running or paused clock for good (the awaited step happened); its remaining rungs never fire."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked(clock)
        if locked.state not in (ClockState.RUNNING, ClockState.PAUSED):
            raise ClockRefused("not_active", _("The clock is already stopped."))
        open_pause = locked.pauses.filter(resumed_at__isnull=True).first()
        if open_pause is not None:
            open_pause.resumed_at = now
            open_pause.save(update_fields=["resumed_at"])
        locked.state = ClockState.STOPPED
        locked.stopped_at = now
        locked.next_rung_at = None
        locked.save(update_fields=["state", "stopped_at", "next_rung_at", "updated_at"])
        _audit(actor, locked, "stop")
    return locked


def clock_refresh_provisional(*, actor: User | None = None, limit: int = 500) -> int:
    """Recompute running clocks whose due time was provisional (a year's holidays were not announced when they
    started). Once the year is imported, their due and rung times follow the announced calendar. Returns how
    many clocks changed."""
    changed = 0
    clock_ids = list(
        Clock.objects.filter(state=ClockState.RUNNING, provisional=True)
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
    for clock_id in clock_ids:
        with transaction.atomic():
            locked = Clock.objects.select_for_update().select_related("case", "case__unit").get(pk=clock_id)
            if locked.state != ClockState.RUNNING:
                continue
            before = (locked.due_at, locked.schedule, locked.provisional)
            clock_refresh_schedule(locked)
            if (locked.due_at, locked.schedule, locked.provisional) == before:
                continue
            locked.save(
                update_fields=["due_at", "schedule", "provisional", "missing_years", "next_rung_at", "updated_at"]
            )
            _audit(
                actor,
                locked,
                "reschedule",
                due_at=[before[0].isoformat(), locked.due_at.isoformat()],
                provisional=locked.provisional,
            )
            changed += 1
    return changed
