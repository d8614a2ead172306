"""Writing the audit trail. The only writer of ``AuditEvent``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction
from django.utils import timezone

from regdesk.audit import context
from regdesk.audit.hashing import event_hash
from regdesk.audit.models import AuditChainHead, AuditEvent

if TYPE_CHECKING:
    from regdesk.accounts.models import OrgUnit, User


class AuditOutsideTransactionError(RuntimeError):
    """An audit event must be written in the transaction of the change it records."""


def audit_record(
    *,
    actor: User | None,
    action: str,
    object_type: str,
    object_id: str | int,
    changes: Mapping[str, Any] | None = None,
    purpose: str = "",
    role: str = "",
    unit: OrgUnit | None = None,
) -> AuditEvent:
    """Append one event to the hash chain, inside the caller's transaction.

    ``changes`` maps field names to values that are already masked where they are personal data
    (see ``regdesk.privacy``); the trail never holds a plain ID or phone number.
    """
    if not connection.in_atomic_block:
        raise AuditOutsideTransactionError(action)
    with transaction.atomic():
        head, _created = AuditChainHead.objects.select_for_update().get_or_create(id=1)
        event = AuditEvent(
            sequence=head.last_sequence + 1,
            occurred_at=timezone.now(),
            actor=actor if actor is not None and actor.pk else None,
            actor_name=(actor.get_username() if actor is not None and actor.pk else "system"),
            role=str(role),
            unit_code=unit.code if unit is not None else "",
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            changes=dict(changes or {}),
            request_address=context.request_address.get(),
            purpose=purpose,
            previous_hash=head.last_hash,
        )
        # Normalise through the JSON field's round trip so that verification recomputes the same bytes.
        event.occurred_at = event.occurred_at.replace(microsecond=event.occurred_at.microsecond)
        event.hash = event_hash(event.chained_fields())
        event.save(force_insert=True)
        head.last_sequence = event.sequence
        head.last_hash = event.hash
        head.save(update_fields=["last_sequence", "last_hash"])
    return event
