"""The heartbeat of a running task."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class TaskHeartbeat(models.Model):
    """The last sign of life of the worker running a task (a ``django_tasks_db`` task result, by its id).

    Written when a worker starts the task, renewed while it runs, deleted when it ends. Not linked by a foreign key:
    the task results belong to the library, which prunes them on its own.
    """

    task_id = models.UUIDField(_("task"), primary_key=True)
    worker_id = models.CharField(_("worker"), max_length=64)
    started_at = models.DateTimeField(_("started at"))
    beat_at = models.DateTimeField(_("last heartbeat"))

    class Meta:
        verbose_name = _("task heartbeat")
        verbose_name_plural = _("task heartbeats")
        indexes = [models.Index(fields=["beat_at"], name="workers_heartbeat_beat_at")]

    def __str__(self) -> str:
        return f"{self.task_id} @ {self.worker_id}"
