"""Reaping: a RUNNING task whose worker is gone is marked failed (and queued again when safe); a live one is not."""

from __future__ import annotations

import io
import uuid
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from pytest_django import Settings

from regdesk.audit.models import AuditEvent
from regdesk.miit.tasks import purge_uploads, send_upload
from regdesk.workers import heartbeat
from regdesk.workers.models import TaskHeartbeat
from regdesk.workers.services import WORKER_LOST, tasks_reap

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _stale_after_a_minute(settings: Settings) -> None:
    settings.REGDESK_TASK_STALE_SECONDS = 60


def _running(task_result_id: str, *, started_minutes_ago: float, worker: str = "worker-a") -> DBTaskResult:  # type: ignore[type-arg]
    row = DBTaskResult.objects.get(pk=task_result_id)
    row.status = TaskResultStatus.RUNNING
    row.started_at = timezone.now() - timedelta(minutes=started_minutes_ago)
    row.worker_ids = [worker]
    row.save()
    return row


def test_a_running_task_whose_worker_is_gone_is_failed_and_a_send_is_queued_again() -> None:
    row = _running(send_upload.enqueue(42).id, started_minutes_ago=30)
    TaskHeartbeat.objects.create(
        task_id=row.pk, worker_id="worker-a", started_at=row.started_at, beat_at=timezone.now() - timedelta(minutes=5)
    )

    (reaped,) = tasks_reap()

    row.refresh_from_db()
    assert row.status == TaskResultStatus.FAILED
    assert row.exception_class_path == WORKER_LOST
    assert row.finished_at is not None
    assert reaped.worker_id == "worker-a"
    assert reaped.requeued_as is not None
    again = DBTaskResult.objects.get(pk=reaped.requeued_as)
    assert (again.status, again.task_path, again.args_kwargs["args"]) == (
        TaskResultStatus.READY,
        row.task_path,
        [42],
    )
    assert not TaskHeartbeat.objects.exists()
    event = AuditEvent.objects.get(action="task.reap")
    assert event.changes["requeued_as"] == reaped.requeued_as
    assert tasks_reap() == []  # reaped once


def test_a_task_not_declared_resumable_is_failed_but_not_queued_again() -> None:
    row = _running(purge_uploads.enqueue().id, started_minutes_ago=30)  # no heartbeat at all: seen at its start
    (reaped,) = tasks_reap()
    assert reaped.requeued_as is None
    assert DBTaskResult.objects.get(pk=row.pk).status == TaskResultStatus.FAILED
    assert DBTaskResult.objects.count() == 1


def test_a_long_task_with_a_fresh_heartbeat_and_a_task_just_started_are_left_alone() -> None:
    long_running = _running(send_upload.enqueue(1).id, started_minutes_ago=30)
    TaskHeartbeat.objects.create(
        task_id=long_running.pk, worker_id="worker-a", started_at=long_running.started_at, beat_at=timezone.now()
    )
    just_started = _running(send_upload.enqueue(2).id, started_minutes_ago=0.1)
    assert tasks_reap() == []
    assert set(DBTaskResult.objects.running().values_list("pk", flat=True)) == {long_running.pk, just_started.pk}


def test_the_command_reports_what_it_reaped() -> None:
    _running(send_upload.enqueue(7).id, started_minutes_ago=30, worker="worker-b")
    out = io.StringIO()
    call_command("tasks", "reap", stdout=out)
    assert "已回收任务: 1" in out.getvalue()
    assert "worker=worker-b" in out.getvalue()


def test_the_worker_beats_from_start_to_finish_of_a_database_task() -> None:
    result = send_upload.enqueue(3)
    running = SimpleNamespace(id=result.id, backend=result.backend, worker_ids=["worker-c"])
    heartbeat.on_task_started(sender=None, task_result=running)
    beat = TaskHeartbeat.objects.get(task_id=uuid.UUID(str(result.id)))
    assert beat.worker_id == "worker-c"
    heartbeat.on_task_finished(sender=None, task_result=running)
    assert not TaskHeartbeat.objects.exists()
