"""Background tasks of the real-name-rate report (django-tasks). No arguments: nothing personal in the queue."""

from __future__ import annotations

from django_tasks import task


@task()
def realname_rate_snapshot() -> int:
    """Record today's rate per outlet (``regdesk realname snapshot`` and ``regdesk realname daily`` queue it)."""
    from regdesk.subscribers.reports.services import rate_snapshot_take

    return rate_snapshot_take(actor=None)
