"""The clock sweep: fire every due rung of every running clock exactly once."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from regdesk.audit.services import audit_record
from regdesk.cases.definitions import RungContext
from regdesk.cases.models import Clock, ClockRungFired, ClockState
from regdesk.cases.services.clocks import clock_definition, clock_refresh_provisional

logger = logging.getLogger(__name__)


@dataclass
class SweepReport:
    fired: list[tuple[int, str]] = field(default_factory=list)
    already_fired: int = 0
    errors: int = 0
    rescheduled: int = 0


def _fire(clock_id: int, rung_name: str, now: datetime, report: SweepReport) -> None:
    """Record and effect one rung in one transaction.

    The ``ClockRungFired`` insert comes first: its unique (clock, rung) constraint makes a concurrent sweep's
    insert fail (on PostgreSQL it waits for ours to commit, then fails), and that sweep skips the rung. The
    effect runs in the same transaction, so a rung is either fired *and* effected, or neither.
    """
    with transaction.atomic():
        try:
            with transaction.atomic():
                fired = ClockRungFired.objects.create(clock_id=clock_id, rung=rung_name, fired_at=now)
        except IntegrityError:
            report.already_fired += 1
            return
        clock = Clock.objects.select_related("case", "case__unit").get(pk=clock_id)
        if clock.state != ClockState.RUNNING:
            # Stopped or paused since we looked: the insert is rolled back, the rung stays unfired.
            transaction.set_rollback(True)
            return
        definition = clock_definition(clock)
        rung = definition.rung(rung_name)
        if rung.breach:
            clock.state = ClockState.BREACHED
            clock.breached_at = now
        fired_names = set(clock.fired_rungs.values_list("rung", flat=True))
        pending = [
            datetime.fromisoformat(entry["fire_at"]) for entry in clock.schedule if entry["rung"] not in fired_names
        ]
        clock.next_rung_at = min(pending) if pending and clock.state == ClockState.RUNNING else None
        clock.save(update_fields=["state", "breached_at", "next_rung_at", "updated_at"])
        outcome = rung.effect.function(RungContext(case=clock.case, clock=clock, rung=rung, now=now))
        fired.outcome = outcome[:200]
        fired.save(update_fields=["outcome"])
        audit_record(
            actor=None,
            action="clock.rung_fire",
            object_type="cases.clock",
            object_id=clock.pk,
            changes={"case": clock.case_id, "clock": clock.name, "rung": rung.name, "outcome": fired.outcome},
            unit=clock.case.unit,
        )
    report.fired.append((clock_id, rung_name))


def clock_sweep(now: datetime | None = None, *, limit: int = 1000) -> SweepReport:
    """Recompute provisional clocks (a year's holidays may have been imported since), fire the due rungs of running
    clocks, each exactly once, in order of time; then hand due notices (retries, lost tasks) to the task queue.

    Safe to run concurrently and repeatedly. One failing effect is logged (without personal data) and rolled back
    alone: its rung stays unfired and the next sweep tries again."""
    now = now or timezone.now()
    report = SweepReport()
    report.rescheduled = clock_refresh_provisional()
    clock_ids = list(
        Clock.objects.filter(state=ClockState.RUNNING, next_rung_at__lte=now)
        .order_by("next_rung_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    for clock_id in clock_ids:
        clock = Clock.objects.get(pk=clock_id)
        fired = set(clock.fired_rungs.values_list("rung", flat=True))
        for entry in clock.schedule:
            if entry["rung"] in fired or datetime.fromisoformat(entry["fire_at"]) > now:
                continue
            try:
                _fire(clock_id, entry["rung"], now, report)
            except Exception:
                logger.exception("clock %s: rung %s could not fire", clock_id, entry["rung"])
                report.errors += 1
                break
    _enqueue_due_notices(now)
    return report


def _enqueue_due_notices(now: datetime) -> None:
    from regdesk.cases.services.notices import notices_due
    from regdesk.cases.tasks import send_notice

    for notice_id in notices_due(now):
        send_notice.enqueue(notice_id)
