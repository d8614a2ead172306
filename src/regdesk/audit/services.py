"""Writing the audit trail. The only writer of ``AuditEvent``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction
from django.utils import timezone

from regdesk.audit import context
from regdesk.audit.hashing import GENESIS_HASH, event_hash, normalise_changes
from regdesk.audit.models import AuditChainHead, AuditEvent

if TYPE_CHECKING:
    from regdesk.accounts.models import OrgUnit, User


class AuditOutsideTransactionError(RuntimeError):
    """An audit event must be written in the transaction of the change it records."""


def _locked_head() -> AuditChainHead:
    """The chain head, locked until the caller's transaction ends.

    On PostgreSQL ``SELECT ... FOR UPDATE`` queues concurrent writers on this one row, so each sees the event its
    predecessor appended; on SQLite the write lock taken at ``BEGIN IMMEDIATE`` does the same. The row is made
    by the migration; ``get_or_create`` only covers a flushed database (the unique primary key makes two
    concurrent creators collide instead of forking the chain).
    """
    head = AuditChainHead.objects.select_for_update().filter(id=1).first()
    if head is not None:
        return head
    head, _created = AuditChainHead.objects.select_for_update().get_or_create(
        id=1, defaults={"last_sequence": 0, "last_hash": GENESIS_HASH}
    )
    return head


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
        head = _locked_head()
        known_actor = actor if actor is not None and actor.pk else None
        event = AuditEvent(
            sequence=head.last_sequence + 1,
            occurred_at=timezone.now(),
            actor=known_actor,
            actor_name=known_actor.get_username() if known_actor is not None else "system",
            role=str(role)[:30],
            unit_code=unit.code if unit is not None else "",
            action=action,
            object_type=object_type,
            object_id=str(object_id)[:100],
            changes=normalise_changes(changes),
            request_address=context.request_address.get(),
            purpose=str(purpose).replace("\x00", "")[:500],
            previous_hash=head.last_hash,
        )
        event.hash = event_hash(event.chained_fields())
        event.save()
        head.last_sequence = event.sequence
        head.last_hash = event.hash
        head.save(update_fields=["last_sequence", "last_hash"])
    return event
