"""Background task of the self-inspection (django-tasks). No arguments: nothing personal in the queue."""

from __future__ import annotations

from django_tasks import task


@task()
def realname_self_inspection() -> list[int]:
    """Run the self-inspections that are due (``regdesk realname daily`` queues it); the new inspections' ids."""
    from regdesk.subscribers.inspection.services import self_inspection_due

    return [inspection.pk for inspection in self_inspection_due()]
