"""The health check behind ``GET /api/v1/health``: the database, the task queue and the regulator poll.

It answers 200 when all three are well and 503 otherwise, without authentication, and holds nothing personal:
states, ages in seconds and the thresholds they are judged by.

- database: one ``SELECT 1``;
- queue: the age of the oldest task that is ready to run and still waits for a worker (django-tasks-db); older
  than ``REGDESK_HEALTH_QUEUE_MAX_AGE_SECONDS`` means no worker is taking tasks;
- regulator poll: the age of the last completed download poll of the province system (``MiitPoll``); older than
  ``REGDESK_HEALTH_POLL_MAX_AGE_SECONDS`` means the poller has stopped or the province does not answer. 0 reports
  the age without judging it (the development default, where the poller runs only under ``regdesk run``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import DatabaseError, connection
from django.db.models import Min
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from regdesk.miit.polls import last_successful_poll
from regdesk.web import config

OK = "ok"
LATE = "late"
NEVER = "never"
ERROR = "error"


@dataclass(frozen=True)
class Check:
    status: str
    age_seconds: float | None = None
    max_age_seconds: int | None = None

    @property
    def healthy(self) -> bool:
        return self.status == OK


@dataclass(frozen=True)
class Health:
    database: Check
    queue: Check
    regulator_poll: Check

    @property
    def healthy(self) -> bool:
        return self.database.healthy and self.queue.healthy and self.regulator_poll.healthy


def _age(moment: datetime | None, now: datetime) -> float | None:
    return None if moment is None else round(max(0.0, (now - moment).total_seconds()), 1)


def _judged(age: float | None, max_age: int, *, missing: str) -> Check:
    if age is None:
        return Check(OK if missing == OK or max_age == 0 else missing, None, max_age or None)
    return Check(OK if max_age == 0 or age <= max_age else LATE, age, max_age or None)


def database_check() -> Check:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return Check(ERROR)
    return Check(OK)


def oldest_ready_task_since(now: datetime) -> datetime | None:
    """Since when the longest-waiting ready task waits: its enqueue time, or its ``run_after`` when it was delayed."""
    waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
    undelayed = waiting.filter(run_after=get_date_max()).aggregate(since=Min("enqueued_at"))["since"]
    delayed = waiting.filter(run_after__lte=now).aggregate(since=Min("run_after"))["since"]
    candidates = [moment for moment in (undelayed, delayed) if moment is not None]
    return min(candidates, default=None)


def queue_check(now: datetime) -> Check:
    try:
        since = oldest_ready_task_since(now)
    except DatabaseError:
        return Check(ERROR)
    return _judged(_age(since, now), config.health_queue_max_age_seconds(), missing=OK)


def regulator_poll_check(now: datetime) -> Check:
    try:
        last = last_successful_poll()
    except DatabaseError:
        return Check(ERROR)
    return _judged(_age(last, now), config.health_poll_max_age_seconds(), missing=NEVER)


def system_health() -> Health:
    """The three checks; the later ones are not run when the database cannot be reached."""
    database = database_check()
    if not database.healthy:
        return Health(database=database, queue=Check(ERROR), regulator_poll=Check(ERROR))
    now = timezone.now()
    return Health(database=database, queue=queue_check(now), regulator_poll=regulator_poll_check(now))
