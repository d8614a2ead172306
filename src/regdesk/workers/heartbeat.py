"""The worker's side: beat for the task being run, from ``task_started`` to ``task_finished`` (django-tasks signals,
sent in the worker process around each task)."""

from __future__ import annotations

import logging
import threading
from typing import Any

from django.db import DatabaseError, connections
from django.utils import timezone
from django_tasks import task_backends
from django_tasks.signals import task_finished, task_started
from django_tasks_db.backend import DatabaseBackend

from regdesk.workers import config
from regdesk.workers.models import TaskHeartbeat

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_beaters: dict[str, _Beater] = {}


class _Beater:
    """A thread that renews one task's heartbeat until stopped; it has its own database connection."""

    def __init__(self, task_id: str, interval: float) -> None:
        self.task_id = task_id
        self.interval = interval
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"task-heartbeat-{task_id[:8]}", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        self._thread.join()

    def _run(self) -> None:
        try:
            while not self._stopping.wait(self.interval):
                try:
                    TaskHeartbeat.objects.filter(task_id=self.task_id).update(beat_at=timezone.now())
                except DatabaseError:
                    logger.warning("heartbeat of task %s not written (database error); trying again", self.task_id)
        finally:
            connections.close_all()  # this thread's connections only


def _database_task(task_result: Any) -> bool:
    try:
        return isinstance(task_backends[task_result.backend], DatabaseBackend)
    except Exception:  # an unknown backend alias: nothing of ours to beat for
        return False


def on_task_started(sender: object, task_result: Any, **kwargs: object) -> None:
    if not _database_task(task_result):
        return
    task_id = str(task_result.id)
    now = timezone.now()
    worker_id = str(task_result.worker_ids[-1]) if task_result.worker_ids else ""
    TaskHeartbeat.objects.update_or_create(
        task_id=task_id, defaults={"worker_id": worker_id[:64], "started_at": now, "beat_at": now}
    )
    beater = _Beater(task_id, max(0.05, config.task_heartbeat_seconds()))
    with _lock:
        previous = _beaters.pop(task_id, None)
        _beaters[task_id] = beater
    if previous is not None:
        previous.stop()
    beater.start()


def on_task_finished(sender: object, task_result: Any, **kwargs: object) -> None:
    task_id = str(task_result.id)
    with _lock:
        beater = _beaters.pop(task_id, None)
    if beater is None:
        return
    beater.stop()
    TaskHeartbeat.objects.filter(task_id=task_id).delete()


def connect() -> None:
    """Connect the receivers (``WorkersConfig.ready``)."""
    task_started.connect(on_task_started, dispatch_uid="regdesk.workers.heartbeat.started")
    task_finished.connect(on_task_finished, dispatch_uid="regdesk.workers.heartbeat.finished")
