"""The audit trail: an append-only, hash-chained log of every change and every read of personal data.

Each event carries the hash of the event before it, so that editing, deleting or inserting a row — even with raw
SQL, past the ORM guards below — is found by ``regdesk audit verify`` (see ``regdesk.audit.verification``).

A chain alone cannot show that its end was cut off, or that someone with write access to the database recomputed
every hash after an edit: SHA-256 needs no secret. So ``AuditCheckpoint`` rows, signed with a key kept outside the
database (``regdesk.audit.keys``), record the count and the head hash at each verification and at least daily; a
trail that no longer reaches, or no longer hashes to, a signed checkpoint was truncated or rewritten. On PostgreSQL,
triggers refuse UPDATE and DELETE on both tables as well (migration 0003).
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditImmutableError(RuntimeError):
    """Audit events are only ever inserted; updating or deleting them through the ORM is refused."""


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    """A queryset that refuses every bulk change: the trail is append-only."""

    def update(self, **kwargs: Any) -> NoReturn:
        raise AuditImmutableError("audit events cannot be updated")

    def delete(self) -> NoReturn:
        raise AuditImmutableError("audit events cannot be deleted")

    def bulk_update(self, objs: Any, fields: Any, batch_size: int | None = None) -> NoReturn:
        raise AuditImmutableError("audit events cannot be updated")

    def update_or_create(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AuditImmutableError("audit events are written by regdesk.audit.services.audit_record only")

    def _raw_delete(self, using: Any) -> NoReturn:
        # Used by the deletion collector for fast deletes (e.g. a cascade); refused all the same.
        raise AuditImmutableError("audit events cannot be deleted")


AuditEventManager = models.Manager.from_queryset(AuditEventQuerySet)


class AuditEvent(models.Model):
    """One audited act. Rows are only ever inserted (see ``audit.services.audit_record``)."""

    sequence = models.BigIntegerField(_("sequence"), unique=True)
    occurred_at = models.DateTimeField(_("time"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    actor_name = models.CharField(_("actor name"), max_length=150, blank=True)
    role = models.CharField(_("role"), max_length=30, blank=True)
    unit_code = models.CharField(_("organisation unit"), max_length=50, blank=True)
    action = models.CharField(_("action"), max_length=100, db_index=True)
    object_type = models.CharField(_("object type"), max_length=100, db_index=True)
    object_id = models.CharField(_("object"), max_length=100, db_index=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    request_address = models.CharField(_("request address"), max_length=64, blank=True)
    purpose = models.CharField(_("purpose"), max_length=500, blank=True)
    previous_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64, unique=True)

    objects = AuditEventManager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["sequence"]
        # The deletion collector and related managers must refuse too, not only ``AuditEvent.objects``.
        base_manager_name = "objects"

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Insert once; any later save is an update and is refused."""
        if not self._state.adding:
            raise AuditImmutableError("audit events cannot be updated")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AuditImmutableError("audit events cannot be deleted")

    def chained_fields(self) -> dict[str, Any]:
        """The fields covered by the hash, in a stable form."""
        return {
            "sequence": self.sequence,
            "occurred_at": self.occurred_at.isoformat(),
            "actor_id": self.actor_id,
            "actor_name": self.actor_name,
            "role": self.role,
            "unit_code": self.unit_code,
            "action": self.action,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "changes": self.changes,
            "request_address": self.request_address,
            "purpose": self.purpose,
            "previous_hash": self.previous_hash,
        }


class AuditCheckpointQuerySet(models.QuerySet["AuditCheckpoint"]):
    """Checkpoints are append-only like the events they vouch for."""

    def update(self, **kwargs: Any) -> NoReturn:
        raise AuditImmutableError("audit checkpoints cannot be updated")

    def delete(self) -> NoReturn:
        raise AuditImmutableError("audit checkpoints cannot be deleted")

    def bulk_update(self, objs: Any, fields: Any, batch_size: int | None = None) -> NoReturn:
        raise AuditImmutableError("audit checkpoints cannot be updated")

    def update_or_create(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AuditImmutableError("audit checkpoints are written by regdesk.audit.services.audit_checkpoint_sign only")

    def _raw_delete(self, using: Any) -> NoReturn:
        raise AuditImmutableError("audit checkpoints cannot be deleted")


AuditCheckpointManager = models.Manager.from_queryset(AuditCheckpointQuerySet)


class AuditCheckpoint(models.Model):
    """A signed statement "the trail held ``event_count`` events ending in ``head_hash``", numbered 1, 2, 3 ...

    The signature (HMAC-SHA256 with the checkpoint key, ``regdesk.audit.keys``) covers every other field, so a
    checkpoint cannot be forged or altered without the key, and a deleted one leaves a gap in the numbers.
    """

    number = models.BigIntegerField(_("number"), unique=True)
    created_at = models.DateTimeField(_("time"))
    actor_name = models.CharField(_("actor name"), max_length=150)
    event_count = models.BigIntegerField(_("events"))
    head_sequence = models.BigIntegerField(_("last sequence"))
    head_hash = models.CharField(_("last hash"), max_length=64)
    head_occurred_at = models.DateTimeField(_("time of the last event"), null=True, blank=True)
    signature = models.CharField(_("signature"), max_length=64)

    objects = AuditCheckpointManager()

    class Meta:
        verbose_name = _("audit checkpoint")
        verbose_name_plural = _("audit checkpoints")
        ordering = ["number"]
        base_manager_name = "objects"

    def __str__(self) -> str:
        return f"checkpoint {self.number}: #{self.head_sequence}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Insert once; any later save is an update and is refused."""
        if not self._state.adding:
            raise AuditImmutableError("audit checkpoints cannot be updated")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AuditImmutableError("audit checkpoints cannot be deleted")

    def signed_fields(self) -> dict[str, Any]:
        """The fields covered by the signature, in a stable form."""
        return {
            "number": self.number,
            "created_at": self.created_at.isoformat(),
            "actor_name": self.actor_name,
            "event_count": self.event_count,
            "head_sequence": self.head_sequence,
            "head_hash": self.head_hash,
            "head_occurred_at": self.head_occurred_at.isoformat() if self.head_occurred_at else None,
        }


class AuditChainHead(models.Model):
    """A single row locked by every writer, so that the chain stays linear under concurrent writes.

    It also remembers the last sequence and hash, so that verification notices events cut off the end.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_sequence = models.BigIntegerField(_("last sequence"), default=0)
    last_hash = models.CharField(_("last hash"), max_length=64, default="0" * 64)

    class Meta:
        verbose_name = _("audit chain head")
        verbose_name_plural = _("audit chain heads")

    def __str__(self) -> str:
        return f"#{self.last_sequence}"
