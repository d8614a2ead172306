"""Reaping tasks whose worker is gone, and queuing again those that are safe to run twice."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import TaskResultStatus
from django_tasks.base import Task
from django_tasks_db.models import DBTaskResult

from regdesk.audit.services import audit_record
from regdesk.workers import config
from regdesk.workers.models import TaskHeartbeat

logger = logging.getLogger(__name__)

WORKER_LOST = "regdesk.workers.WorkerLost"
_resumable: set[str] = set()


def resume_when_reaped(task: Task[Any, Any]) -> Task[Any, Any]:
    """Declare ``task`` safe to run twice: when its worker is lost, the reaper queues it again with its arguments."""
    _resumable.add(task.module_path)
    return task


@dataclass(frozen=True)
class ReapedTask:
    task_id: str
    task_path: str
    worker_id: str
    last_seen_at: datetime | None
    requeued_as: str | None


def tasks_reap(*, now: datetime | None = None) -> list[ReapedTask]:
    """Mark FAILED every RUNNING task whose worker has not been seen for ``REGDESK_TASK_STALE_SECONDS``.

    The last sign of a worker is its heartbeat for the task, or, without one (a worker from before heartbeats),
    the task's start. Each task is reaped by a conditional update (``status = RUNNING``), so two reapers at once
    reap it once and queue it again once; the task's arguments are ids, never personal data (DESIGN rule 5), so
    they may be logged. Heartbeats of tasks that are no longer running are deleted.
    """
    now = now or timezone.now()
    stale_before = now - timedelta(seconds=config.task_stale_seconds())
    candidates = list(DBTaskResult.objects.running().filter(started_at__lt=stale_before))
    beats = {
        str(beat.task_id): beat for beat in TaskHeartbeat.objects.filter(task_id__in=[row.id for row in candidates])
    }
    reaped: list[ReapedTask] = []
    for row in candidates:
        beat = beats.get(str(row.id))
        last_seen = beat.beat_at if beat is not None else row.started_at
        if last_seen is not None and last_seen >= stale_before:
            continue
        worker_id = beat.worker_id if beat is not None else (row.worker_ids[-1] if row.worker_ids else "")
        outcome = _reap(row, worker_id=worker_id, last_seen=last_seen, now=now)
        if outcome is not None:
            reaped.append(outcome)
    TaskHeartbeat.objects.exclude(task_id__in=DBTaskResult.objects.running().values("id")).delete()
    return reaped


def _reap(
    row: DBTaskResult[Any, Any], *, worker_id: str, last_seen: datetime | None, now: datetime
) -> ReapedTask | None:
    seen = last_seen.isoformat() if last_seen is not None else "never"
    with transaction.atomic():
        taken = DBTaskResult.objects.filter(pk=row.pk, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.FAILED,
            finished_at=now,
            return_value=None,
            exception_class_path=WORKER_LOST,
            traceback=f"{WORKER_LOST}: worker {worker_id or '?'} was last seen {seen}; the task was reaped\n",
        )
        if not taken:
            return None  # finished, or reaped by another process, in the meantime
        TaskHeartbeat.objects.filter(task_id=row.pk).delete()
        requeued_as: str | None = None
        if row.task_path in _resumable:
            task: Task[Any, Any] = import_string(row.task_path)
            arguments = row.args_kwargs
            result = task.using(queue_name=row.queue_name, priority=row.priority).enqueue(
                *arguments.get("args", []), **arguments.get("kwargs", {})
            )
            requeued_as = str(result.id)
        audit_record(
            actor=None,
            action="task.reap",
            object_type="django_tasks_db.task_result",
            object_id=str(row.pk),
            changes={"task": row.task_path, "worker": worker_id, "last_seen": seen, "requeued_as": requeued_as},
        )
    logger.warning(
        "task %s (%s) reaped: worker %s not seen since %s%s",
        row.pk,
        row.task_path,
        worker_id or "?",
        seen,
        f"; queued again as {requeued_as}" if requeued_as else "",
    )
    return ReapedTask(
        task_id=str(row.pk),
        task_path=row.task_path,
        worker_id=worker_id,
        last_seen_at=last_seen,
        requeued_as=requeued_as,
    )
