"""Reading the audit trail (auditors and compliance officers; the gates are in ``audit.permissions``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from regdesk.audit.models import AuditCheckpoint, AuditEvent


@dataclass(frozen=True)
class AuditEventFilter:
    """Filters of the audit pages and API; empty values do not filter. Dates are local (Asia/Shanghai) days."""

    actor: str = ""
    action: str = ""
    object_type: str = ""
    object_id: str = ""
    date_from: date | None = None
    date_to: date | None = None


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_current_timezone())


def audit_events(filters: AuditEventFilter | None = None) -> QuerySet[AuditEvent]:
    """Events matching the filters, newest first.

    ``actor`` matches the user name (case-insensitive, part of it); ``action`` matches exactly or, ending in a
    dot or not, as a prefix of dotted actions (``personal_data`` finds ``personal_data.reveal``);
    ``object_type`` and ``object_id`` match exactly; the date range includes both days.
    """
    filters = filters or AuditEventFilter()
    events = AuditEvent.objects.order_by("-sequence")
    if filters.actor:
        events = events.filter(actor_name__icontains=filters.actor.strip())
    if filters.action:
        action = filters.action.strip().rstrip(".")
        events = events.filter(Q(action=action) | Q(action__startswith=f"{action}."))
    if filters.object_type:
        events = events.filter(object_type=filters.object_type.strip())
    if filters.object_id:
        events = events.filter(object_id=filters.object_id.strip())
    if filters.date_from is not None:
        events = events.filter(occurred_at__gte=_local_midnight(filters.date_from))
    if filters.date_to is not None:
        events = events.filter(occurred_at__lt=_local_midnight(filters.date_to + timedelta(days=1)))
    return events


def audit_event_by_sequence(sequence: int) -> AuditEvent:
    """One event; ``Http404`` when there is none (callers have passed ``require_audit_reader`` first)."""
    event = AuditEvent.objects.filter(sequence=sequence).first()
    if event is None:
        raise Http404
    return event


def audit_action_names() -> list[str]:
    """The distinct actions in the trail, for the filter's suggestions."""
    return list(AuditEvent.objects.order_by("action").values_list("action", flat=True).distinct()[:500])


def last_audit_checkpoint() -> AuditCheckpoint | None:
    """The newest signed checkpoint, as stored (``verify_chain`` checks its signature)."""
    return AuditCheckpoint.objects.order_by("-number").first()
