"""Writes of the personal-data vault: revealing a value, contact points, key rotation. Each one is audited."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from regdesk.audit.services import audit_record
from regdesk.privacy import keys
from regdesk.privacy.config import reveal_purpose_min_length
from regdesk.privacy.errors import RevealNotPermittedError, RevealPurposeError, RevealRefusedError
from regdesk.privacy.fields import EncryptedTextField, PersonalValue, blind_lookup
from regdesk.privacy.models import ContactPoint
from regdesk.privacy.permissions import reveal_membership
from regdesk.privacy.rotation import Progress, ReencryptionReport, reencrypt_all

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from regdesk.accounts.models import User


def _minimum_purpose_length() -> int:
    return reveal_purpose_min_length()


def _encrypted_field(obj: models.Model, field_name: str) -> EncryptedTextField[Any, Any]:
    try:
        field = obj._meta.get_field(field_name)
    except FieldDoesNotExist:
        field = None
    if not isinstance(field, EncryptedTextField):
        raise ValueError(f"{obj._meta.label}.{field_name} is not an encrypted personal-data field")
    if obj.pk is None:
        raise ValueError("only stored objects have personal values to reveal")
    return field


def personal_value_reveal(
    *, actor: User | AnonymousUser | None, obj: models.Model, field_name: str, purpose: str
) -> str:
    """Return the plain value of ``obj.<field_name>`` (解密查看) to an actor allowed to see it, for a stated purpose.

    Allowed: an active membership with a role in ``privacy.permissions.REVEAL_ROLES`` (specialist, counter clerk,
    compliance officer) — not administrators, not auditors — and a purpose of at least 4 characters. The audit
    event ``personal_data.reveal`` names the object, the field and the purpose, never the value. A refusal is
    audited too (``personal_data.reveal_refused``, with the reason) and raises a ``RevealRefusedError``.
    """
    field = _encrypted_field(obj, field_name)
    stated = " ".join((purpose or "").split())
    known_actor = actor if actor is not None and actor.is_authenticated else None
    membership = reveal_membership(known_actor)
    changes = {"field": field_name, "personal_field": field.personal_field}
    if membership is None or len(stated) < _minimum_purpose_length():
        refusal: RevealRefusedError = RevealNotPermittedError() if membership is None else RevealPurposeError()
        with transaction.atomic():
            audit_record(
                actor=known_actor,
                action="personal_data.reveal_refused",
                object_type=obj._meta.label_lower,
                object_id=obj.pk,
                changes={**changes, "reason": refusal.code},
                purpose=stated,
            )
        raise refusal
    value = getattr(obj, field.attname)
    with transaction.atomic():
        audit_record(
            actor=known_actor,
            action="personal_data.reveal",
            object_type=obj._meta.label_lower,
            object_id=obj.pk,
            changes=changes,
            purpose=stated,
            role=membership.role,
            unit=membership.unit,
        )
        return value.reveal() if isinstance(value, PersonalValue) else ""


# ---------------------------------------------------------------------------------------------------------------
# Contact points

_PHONE = re.compile(r"^\+?\d{5,20}$")


def _normalise_contact(kind: str, value: str) -> str:
    if kind == ContactPoint.Kind.PHONE:
        phone = re.sub(r"[\s\-()]", "", value or "")
        if not _PHONE.match(phone):
            raise ValidationError(
                {"value": [_("Enter a phone number of 5 to 20 digits, optionally starting with +.")]},
                code="invalid_phone",
            )
        return phone
    if kind == ContactPoint.Kind.EMAIL:
        email = (value or "").strip()
        try:
            validate_email(email)
        except ValidationError:
            raise ValidationError({"value": [_("Enter a valid e-mail address.")]}, code="invalid_email") from None
        local, _at, domain = email.rpartition("@")
        return f"{local}@{domain.lower()}"
    raise ValidationError({"kind": [_("The kind must be phone or email.")]}, code="invalid_kind")


def contact_point_add(
    *,
    actor: User | None,
    kind: str,
    value: str,
    user: User | None = None,
    party_type: str = "",
    party_id: str | int = "",
    verified: bool = False,
) -> ContactPoint:
    """Store a phone number or e-mail address (sealed, with its blind index) for a user or a case party.

    The audit event carries the masked value only. A user cannot hold the same number or address twice.
    """
    normal = _normalise_contact(kind, value)
    if user is None and not (party_type and str(party_id)):
        raise ValidationError({"user": [_("A contact point belongs to a user or to a case party.")]}, code="no_owner")
    contact = ContactPoint(
        kind=kind,
        user=user,
        party_type=party_type,
        party_id=str(party_id),
        verified_at=timezone.now() if verified else None,
    )
    setattr(contact, kind, normal)
    if user is not None and blind_lookup(ContactPoint.objects.filter(user=user), kind, normal).exists():
        raise ValidationError({"value": [_("This contact point is already registered.")]}, code="duplicate")
    try:
        with transaction.atomic():
            contact.save()
            audit_record(
                actor=actor,
                action="contact_point.add",
                object_type="privacy.contactpoint",
                object_id=contact.pk,
                changes={
                    "kind": kind,
                    "value": str(getattr(contact, kind)),
                    "user": user.pk if user else None,
                    "party": f"{party_type}:{party_id}" if party_type else "",
                    "verified": verified,
                },
            )
    except IntegrityError:
        # Two requests adding the same value at once: the unique constraint on the blind index decides.
        raise ValidationError({"value": [_("This contact point is already registered.")]}, code="duplicate") from None
    return contact


def contact_point_verify(*, actor: User | None, contact_point: ContactPoint) -> ContactPoint:
    """Mark a contact point as verified (a code sent to it came back)."""
    with transaction.atomic():
        locked = ContactPoint.objects.select_for_update().get(pk=contact_point.pk)
        if locked.verified_at is None:
            locked.verified_at = timezone.now()
            locked.save(update_fields=["verified_at"])
            audit_record(
                actor=actor,
                action="contact_point.verify",
                object_type="privacy.contactpoint",
                object_id=locked.pk,
                changes={"kind": locked.kind},
            )
    return locked


def contact_point_remove(*, actor: User | None, contact_point: ContactPoint) -> None:
    """Delete a contact point (the person withdrew it, or the account or party is gone)."""
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="contact_point.remove",
            object_type="privacy.contactpoint",
            object_id=contact_point.pk,
            changes={"kind": contact_point.kind, "value": str(getattr(contact_point, contact_point.kind))},
        )
        ContactPoint.objects.filter(pk=contact_point.pk).delete()


# ---------------------------------------------------------------------------------------------------------------
# Key rotation


@dataclass(frozen=True)
class RotationResult:
    previous_key_id: str
    new_key_id: str
    report: ReencryptionReport


# Rows resealed per transaction: a larger batch would hold its row locks too long (and a number beyond 64 bits
# cannot be a query's LIMIT at all).
MAX_BATCH_SIZE = 100_000


def _check_batch_size(batch_size: int) -> None:
    if not 1 <= batch_size <= MAX_BATCH_SIZE:
        raise ValidationError(
            {"batch_size": [_("The batch size must be between 1 and %(max)d.") % {"max": MAX_BATCH_SIZE}]},
            code="invalid_batch_size",
        )


def _check_new_key_id(ring: keys.KeyRing, new_key_id: str) -> None:
    if not keys.KEY_ID_PATTERN.match(new_key_id):
        raise ValidationError(
            {"new_key_id": [_("A key id has 1 to 32 letters, digits, dots, hyphens or underscores.")]},
            code="invalid_key_id",
        )
    if new_key_id in ring.keys:
        raise ValidationError({"new_key_id": [_("The key ring already holds this key id.")]}, code="duplicate_key_id")


def vault_rotate(
    *,
    actor: User | None,
    new_key_id: str | None = None,
    batch_size: int = 500,
    progress: Progress | None = None,
) -> RotationResult:
    """Add a new key to the ring, make it active, and reseal every stored value with it.

    Two steps, each audited: ``vault.key_add`` (the ring file is rewritten atomically, mode 0600, inside the audit
    transaction, so a failed write leaves no event), then ``vault.reencrypt`` (``vault_reencrypt``). Resealing runs
    one transaction per batch so a large table does not hold one long lock; if it stops halfway, values under the
    old key still open (old keys stay in the ring) and ``regdesk vault reencrypt`` finishes the work.
    """
    # Checked before the key is added: a refused rotation must leave the ring as it was.
    _check_batch_size(batch_size)
    ring = keys.load_key_ring()
    key_id = new_key_id or keys.next_key_id(ring)
    _check_new_key_id(ring, key_id)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="vault.key_add",
            object_type="privacy.keyring",
            object_id=key_id,
            changes={"previous_active": ring.active, "active": key_id, "keys": len(ring.keys) + 1},
        )
        keys.write_key_ring(ring.with_new_key(key_id))
    report = vault_reencrypt(actor=actor, batch_size=batch_size, progress=progress)
    return RotationResult(previous_key_id=ring.active, new_key_id=key_id, report=report)


def vault_reencrypt(
    *, actor: User | None, batch_size: int = 500, progress: Progress | None = None
) -> ReencryptionReport:
    """Reseal every value that is not under the active key; the audit event holds the counts only."""
    _check_batch_size(batch_size)
    report = reencrypt_all(batch_size=batch_size, progress=progress)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="vault.reencrypt",
            object_type="privacy.keyring",
            object_id=report.active_key,
            changes={"checked": report.checked, "resealed": report.resealed, "columns": report.columns},
        )
    return report
