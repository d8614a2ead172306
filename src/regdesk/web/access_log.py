"""One log line per request and one per task, for the provider's log collector (JSON in production).

A request line holds the method, the path without its query string, the status, the duration, the request id and
the user's numeric id; a task line the task's id and path, its outcome and duration. Neither holds anything
personal: no query strings, no bodies, no task arguments, no names or addresses (DESIGN.md rule 5).

The lines are written when ``REGDESK_ACCESS_LOG`` is on (by default in production). Every response carries its
request id in ``X-Request-ID``; an id that the reverse proxy sent in that header is kept, so that its log and ours
can be joined.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django_tasks import TaskResult

from regdesk.web import config

REQUEST_ID_HEADER = "X-Request-ID"
# What a request id sent by the proxy may look like; anything else is replaced by one of our own.
_REQUEST_ID_PATTERN = re.compile(r"^[A-Za-z0-9._-]{8,64}$")

request_logger = logging.getLogger("regdesk.requests")
task_logger = logging.getLogger("regdesk.tasks")


def _request_id(request: HttpRequest) -> str:
    offered = str(request.META.get("HTTP_X_REQUEST_ID", ""))
    return offered if _REQUEST_ID_PATTERN.match(offered) else uuid.uuid4().hex


def _user_id(request: HttpRequest) -> int | None:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    return int(user.pk)


class AccessLogMiddleware:
    """The outermost middleware: it times everything, the redirects and refusals of the others included."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        request_id = _request_id(request)
        status = 500
        try:
            response = self.get_response(request)
            status = response.status_code
            response[REQUEST_ID_HEADER] = request_id
            return response
        finally:
            if config.access_log():
                duration_ms = round((time.perf_counter() - started) * 1000, 1)
                request_logger.info(
                    "%s %s %s %.1f ms",
                    request.method,
                    request.path,
                    status,
                    duration_ms,
                    extra={
                        "method": request.method,
                        "path": request.path,
                        "status": status,
                        "duration_ms": duration_ms,
                        "request_id": request_id,
                        "user_id": _user_id(request),
                    },
                )


def log_task_finished(sender: object, task_result: TaskResult[Any], **kwargs: Any) -> None:
    """Receiver of django-tasks' ``task_finished``: one line per task run, without its arguments."""
    if not config.access_log():
        return
    duration_ms = None
    if task_result.started_at is not None and task_result.finished_at is not None:
        duration_ms = round((task_result.finished_at - task_result.started_at).total_seconds() * 1000, 1)
    status = str(task_result.status)
    task_logger.info(
        "task %s %s",
        task_result.task.module_path,
        status,
        extra={
            "task_id": str(task_result.id),
            "task": task_result.task.module_path,
            "status": status,
            "duration_ms": duration_ms,
        },
    )
