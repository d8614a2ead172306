"""When the province last answered a download poll (``MiitPoll``), for the health check.

This is the pollers' pulse, not a change of business state: it is neither audited nor part of any case.
"""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from regdesk.miit.models import MiitPoll


def poll_succeeded() -> None:
    """Note that a poll has just completed (every waiting file fetched, or none waiting)."""
    now = timezone.now()
    if not MiitPoll.objects.filter(id=1).update(last_success_at=now):
        # The row comes with the migrations; a flushed test database has lost it.
        MiitPoll.objects.update_or_create(id=1, defaults={"last_success_at": now})


def last_successful_poll() -> datetime | None:
    """When the last poll completed; None before the first one."""
    return MiitPoll.objects.filter(id=1).values_list("last_success_at", flat=True).first()
