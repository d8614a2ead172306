"""Writing the audit trail. The only writer of ``AuditEvent`` and ``AuditCheckpoint``."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction
from django.utils import timezone

from regdesk.audit import context, keys
from regdesk.audit.hashing import GENESIS_HASH, event_hash, normalise_changes
from regdesk.audit.models import AuditChainHead, AuditCheckpoint, AuditEvent

if TYPE_CHECKING:
    from regdesk.accounts.models import OrgUnit, User


logger = logging.getLogger(__name__)


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


def audit_checkpoint_sign(
    *,
    actor: User | None,
    event_count: int,
    head_sequence: int,
    head_hash: str,
    head_occurred_at: datetime | None,
) -> AuditCheckpoint:
    """Sign and store the next checkpoint: "the trail held ``event_count`` events ending in ``head_hash``".

    Callers pass what they have just verified (``regdesk.audit.verification.verify_chain``), never the head row
    unchecked: a checkpoint vouches for the chain up to that event. Events appended meanwhile are covered by the next
    checkpoint. The chain head is locked (last in the lock order, DESIGN.md rule 14) so that checkpoints are numbered
    one after the other. The log line names the checkpoint outside the database too, so that deleting the newest
    checkpoints together with the events they cover still leaves a trace.
    """
    key = keys.load_checkpoint_key()
    with transaction.atomic():
        _locked_head()
        last = AuditCheckpoint.objects.order_by("-number").values_list("number", flat=True).first()
        known_actor = actor if actor is not None and actor.pk else None
        checkpoint = AuditCheckpoint(
            number=(last or 0) + 1,
            created_at=timezone.now(),
            actor_name=known_actor.get_username() if known_actor is not None else "system",
            event_count=event_count,
            head_sequence=head_sequence,
            head_hash=head_hash,
            head_occurred_at=head_occurred_at,
        )
        checkpoint.signature = keys.sign(checkpoint.signed_fields(), key)
        checkpoint.save()
    logger.info(
        "audit checkpoint %d signed: %d events, head %s",
        checkpoint.number,
        checkpoint.event_count,
        checkpoint.head_hash,
    )
    return checkpoint
