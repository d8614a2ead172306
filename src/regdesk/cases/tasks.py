"""Background tasks of the case kernel (django-tasks). Arguments are ids only: no personal data in the queue."""

from __future__ import annotations

from django_tasks import task

from regdesk.cases.services.notices import notice_deliver
from regdesk.cases.services.sweep import clock_sweep


@task()
def send_notice(notice_id: int) -> str:
    """Attempt one queued notice. A transient failure leaves it queued with a later ``next_attempt_at``; the clock
    sweep hands it back to the queue then (see ``clock_sweep``)."""
    return str(notice_deliver(notice_id=notice_id).status)


@task()
def sweep_clocks() -> dict[str, int]:
    """Fire due clock rungs and re-queue due notices (``regdesk sweep`` runs this periodically)."""
    report = clock_sweep()
    return {"fired": len(report.fired), "already_fired": report.already_fired, "errors": report.errors}
