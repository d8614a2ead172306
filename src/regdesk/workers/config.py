"""The settings of the task workers: their heartbeat, and when a silent task counts as lost.

Each function reads its setting when called (so that tests and deployments may change it); the defaults and the
environment variables are in ``config/settings.py``.
"""

from __future__ import annotations

from django.conf import settings


def task_heartbeat_seconds() -> float:
    """``REGDESK_TASK_HEARTBEAT_SECONDS``: how often a worker beats for the task it runs."""
    return float(settings.REGDESK_TASK_HEARTBEAT_SECONDS)


def task_stale_seconds() -> float:
    """``REGDESK_TASK_STALE_SECONDS``: a RUNNING task whose beat is older than this lost its worker and is reaped."""
    return float(settings.REGDESK_TASK_STALE_SECONDS)
