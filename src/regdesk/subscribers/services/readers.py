"""Card readers at outlets and the verification of their signed readings.

A resident ID card enters a registration only as a ``CardReading`` made here: the reader that signed it is
enrolled and active at the outlet where the reading is presented, the signature verifies, the reading is fresh,
its nonce is new, and the card's data is consistent and in date. Typing resident-ID data by hand is refused
elsewhere (notice 工信部网安〔2016〕182号 §2(1)).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from collections.abc import Mapping
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from regdesk.audit.services import audit_record
from regdesk.rules.identity import card_document_type, validate
from regdesk.subscribers import config, readers
from regdesk.subscribers.models import CardReader, CardReading
from regdesk.subscribers.permissions import can_manage_readers_at, can_register_at
from regdesk.subscribers.rules import DocumentType, card_expired
from regdesk.subscribers.services.errors import ReadingRefused, RegistrationRefused
from regdesk.subscribers.services.outlets import require_outlet

if TYPE_CHECKING:
    from regdesk.accounts.models import OrgUnit, User

MAX_PHOTO_BYTES = 256 * 1024
_PHOTO_MAGIC = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")
_LIMITS = {"name": 60, "address": 200, "issuing_authority": 100, "ethnicity": 20, "sex": 10, "nonce": 64}


def reader_enrol(
    *, actor: User | None, outlet: OrgUnit, public_key: str, device_id: str = "", label: str = ""
) -> CardReader:
    """Enrol an ID-card reader at an outlet (compliance officers and administrators over the outlet; ``actor=None``
    is the system, for set-up commands and demo data).

    ``public_key`` is the reader's raw Ed25519 public key in base64 (what ``regdesk reader-sim enrol`` prints); the
    device id is derived from it, and a ``device_id`` given with it must agree. Enrolling an active reader again at
    the same outlet returns it unchanged; a reader active elsewhere must be deactivated first.
    """
    require_outlet(outlet)
    if actor is not None and not can_manage_readers_at(actor, outlet):
        raise RegistrationRefused("forbidden", _("You may not enrol card readers at this outlet."), status=403)
    try:
        readers.load_public_key(public_key)
    except ValueError:
        raise RegistrationRefused(
            "public_key_invalid", _("The public key is not a base64 Ed25519 key of 32 bytes."), field="public_key"
        ) from None
    derived = readers.device_id_for(public_key)
    if device_id and device_id.strip() != derived:
        raise RegistrationRefused(
            "device_id_mismatch", _("The device id does not belong to this public key."), field="device_id"
        )
    with transaction.atomic():
        reader = CardReader.objects.select_for_update().filter(device_id=derived).first()
        if reader is not None and reader.active:
            if reader.outlet_id != outlet.pk:
                raise RegistrationRefused(
                    "reader_enrolled_elsewhere",
                    _("This reader is enrolled at another outlet; deactivate it there first."),
                    field="device_id",
                )
            return reader
        now = timezone.now()
        if reader is None:
            reader = CardReader(device_id=derived, public_key=public_key.strip())
        reader.outlet = outlet
        reader.label = label.strip()[:100]
        reader.enrolled_by = actor
        reader.enrolled_at = now
        reader.active = True
        reader.deactivated_at = None
        reader.deactivated_by = None
        reader.deactivation_reason = ""
        reader.save()
        audit_record(
            actor=actor,
            action="card_reader.enrol",
            object_type="subscribers.cardreader",
            object_id=reader.pk,
            changes={"device_id": derived, "outlet": outlet.code},
            unit=outlet,
        )
    return reader


def reader_deactivate(*, actor: User | None, reader: CardReader, reason: str) -> CardReader:
    """Take a reader out of service (lost, broken, moved): its readings are refused from now on."""
    reason = " ".join(reason.split())
    if not reason:
        raise RegistrationRefused("reason_missing", _("Give the reason for deactivating the reader."), field="reason")
    if actor is not None and not can_manage_readers_at(actor, reader.outlet):
        raise RegistrationRefused("forbidden", _("You may not manage the card readers of this outlet."), status=403)
    with transaction.atomic():
        locked = CardReader.objects.select_for_update().get(pk=reader.pk)
        if not locked.active:
            return locked
        locked.active = False
        locked.deactivated_at = timezone.now()
        locked.deactivated_by = actor
        locked.deactivation_reason = reason[:500]
        locked.save(update_fields=["active", "deactivated_at", "deactivated_by", "deactivation_reason"])
        audit_record(
            actor=actor,
            action="card_reader.deactivate",
            object_type="subscribers.cardreader",
            object_id=locked.pk,
            changes={"device_id": locked.device_id, "reason": reason[:200]},
            unit=locked.outlet,
        )
    reader.active = False
    return locked


def _refused(
    actor: User | None, outlet: OrgUnit, code: str, message: str, *, device_id: str = "", field: str = ""
) -> ReadingRefused:
    """Record the refusal (a forged or replayed reading is a security event) and return the error to raise."""
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="card_reading.refuse",
            object_type="subscribers.cardreader",
            object_id=device_id[:40] or "-",
            changes={"reason": code, "outlet": outlet.code},
            unit=outlet,
        )
    return ReadingRefused(code, message, field=field)


def _parse_date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def _parse_moment(value: str) -> dt.datetime | None:
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def _card_problem(reading: Mapping[str, str], today: dt.date) -> tuple[str, str, str] | None:
    """(code, message, field) of the first inconsistency of the card's data, or ``None``."""
    for name, limit in _LIMITS.items():
        if len(reading[name]) > limit:
            return "reading_field_too_long", _("A field of the reading is too long."), name
    # The card readers also read the residence permits of Hong Kong, Macau and Taiwan residents: the number says
    # which document the card is, and each is checked by its own rule.
    result = validate(card_document_type(reading["id_number"]), reading["id_number"], today=today)
    if not result.valid:
        return "card_number_invalid", _("The number on the card is not a valid resident ID number."), "id_number"
    birth = _parse_date(reading["birth_date"])
    if birth is None or birth.strftime("%Y%m%d") != (result.normalized or "")[6:14]:
        return "card_data_inconsistent", _("The birth date on the card does not agree with its number."), "birth_date"
    valid_from = _parse_date(reading["valid_from"])
    long_term = reading["valid_until"] == readers.LONG_TERM
    valid_until = None if long_term else _parse_date(reading["valid_until"])
    if valid_from is None or (not long_term and valid_until is None) or valid_from > today:
        return "card_validity_invalid", _("The card's period of validity cannot be read."), "valid_until"
    if card_expired(valid_until, today):
        return "card_expired", _("The ID card has expired; an expired card is not a valid document."), "valid_until"
    try:
        photo = base64.b64decode(reading["photo"], validate=True)
    except (binascii.Error, ValueError):
        photo = b""
    if not photo or len(photo) > MAX_PHOTO_BYTES or not photo.startswith(_PHOTO_MAGIC):
        return "card_photo_invalid", _("The card's photo is missing or is not a JPEG or PNG image."), "photo"
    return None


def reading_document_type(reading: CardReading) -> DocumentType:
    """The document a verified reading is: a resident ID card, or the residence permit of a Hong Kong, Macau or
    Taiwan resident (the same readers read both; the number's address code tells them apart)."""
    return DocumentType(card_document_type(reading.id_number.reveal()))


def reading_verify(*, actor: User, outlet: OrgUnit, document: Mapping[str, Any]) -> CardReading:
    """Verify a signed reading presented at ``outlet`` and keep it for the registration or lookup that follows.

    Refused (``ReadingRefused``, recorded in the audit trail, nothing else stored) when the document is malformed,
    the reader is unknown, inactive or enrolled at another outlet, the signature does not verify, the reading is
    older than ``REGDESK_READING_MAX_AGE_SECONDS`` or dated in the future, its nonce was seen before, or the card's
    data is inconsistent or out of date.
    """
    require_outlet(outlet)
    if not can_register_at(actor, outlet):
        raise RegistrationRefused("forbidden", _("You may not register lines at this outlet."), status=403)
    return _verified(actor, outlet, document, action="card_reading.verify")


def reading_deliver(*, document: Mapping[str, Any]) -> CardReading:
    """Take a signed reading that the desktop reader agent (``regdesk reader-agent``) sends for its reader, and keep
    it for the clerk at that reader's counter to take (``reading_claim``).

    No user acts: the device's signature authenticates the reading, and the outlet is the one the reader is
    enrolled at. The checks are those of ``reading_verify`` (signature, freshness, nonce, the card's data); a
    refusal is recorded in the audit trail when the reader is known, and nothing else is stored.
    """
    try:
        device_id = readers.parse_signed_reading(document)[0]["device_id"]
    except readers.ReadingFormatError as error:
        raise ReadingRefused(
            "reading_malformed",
            _("The reading is not a signed reading of an ID-card reader."),
            field=f"reading.{error.field}",
        ) from None
    reader = CardReader.objects.select_related("outlet").filter(device_id=device_id).first()
    if reader is None:
        raise ReadingRefused("reader_unknown", _("The reading comes from a card reader that is not enrolled."))
    return _verified(None, reader.outlet, document, action="card_reading.deliver")


def reading_claim(
    *, actor: User, outlet: OrgUnit, device_id: str, not_before: dt.datetime | None = None
) -> CardReading | None:
    """The newest reading the reader agent delivered for reader ``device_id`` at ``outlet`` that nobody has taken
    yet, now taken by ``actor`` (the clerk whose counter page waits for it); ``None`` when there is none.

    Only readings delivered after ``not_before`` (the registration's start) and within
    ``REGDESK_READING_USE_SECONDS`` are taken, so that a card read for an earlier customer never lands on a new
    registration. Two pages waiting on one reader cannot both take a reading: the first one does.
    """
    require_outlet(outlet)
    if not can_register_at(actor, outlet):
        raise RegistrationRefused("forbidden", _("You may not register lines at this outlet."), status=403)
    now = timezone.now()
    since = now - timedelta(seconds=config.reading_use_seconds())
    if not_before is not None:
        since = max(since, not_before)
    waiting = (
        CardReading.objects.filter(
            reader__device_id=device_id,
            reader__active=True,
            outlet=outlet,
            verified_by__isnull=True,
            consumed_at__isnull=True,
            verified_at__gte=since,
        )
        .order_by("-verified_at", "-pk")
        .values_list("pk", flat=True)
        .first()
    )
    if waiting is None:
        return None
    with transaction.atomic():
        taken = CardReading.objects.filter(pk=waiting, verified_by__isnull=True).update(verified_by=actor)
        if taken != 1:
            return None
        audit_record(
            actor=actor,
            action="card_reading.claim",
            object_type="subscribers.cardreading",
            object_id=waiting,
            changes={"device_id": device_id, "outlet": outlet.code},
            unit=outlet,
        )
    return CardReading.objects.select_related("reader", "outlet").get(pk=waiting)


def _verified(actor: User | None, outlet: OrgUnit, document: Mapping[str, Any], *, action: str) -> CardReading:
    """The checks of a signed reading presented at ``outlet``, and the reading kept (see ``reading_verify``)."""
    try:
        reading, signature = readers.parse_signed_reading(document)
    except readers.ReadingFormatError as error:
        raise _refused(
            actor,
            outlet,
            "reading_malformed",
            _("The reading is not a signed reading of an ID-card reader."),
            field=f"reading.{error.field}",
        ) from None
    device_id = reading["device_id"]
    reader = CardReader.objects.filter(device_id=device_id).first()
    if reader is None:
        raise _refused(
            actor,
            outlet,
            "reader_unknown",
            _("The reading comes from a card reader that is not enrolled."),
            device_id=device_id,
        )
    if not reader.active:
        raise _refused(
            actor, outlet, "reader_inactive", _("The card reader has been taken out of service."), device_id=device_id
        )
    if reader.outlet_id != outlet.pk:
        raise _refused(
            actor,
            outlet,
            "reader_wrong_outlet",
            _("The card reader is enrolled at another outlet."),
            device_id=device_id,
        )
    if not readers.signature_valid(reading, signature, reader.public_key):
        raise _refused(
            actor,
            outlet,
            "signature_invalid",
            _("The reading's signature does not verify: it was altered or not made by this reader."),
            device_id=device_id,
        )
    now = timezone.now()
    read_at = _parse_moment(reading["read_at"])
    if read_at is None:
        raise _refused(
            actor,
            outlet,
            "reading_malformed",
            _("The time of the reading cannot be read."),
            device_id=device_id,
            field="reading.read_at",
        )
    if read_at > now + timedelta(seconds=config.reading_clock_skew_seconds()):
        raise _refused(
            actor,
            outlet,
            "reading_from_future",
            _("The reading is dated in the future: check the reader's clock."),
            device_id=device_id,
        )
    if now - read_at > timedelta(seconds=config.reading_max_age_seconds()):
        raise _refused(
            actor, outlet, "reading_stale", _("The reading is too old: read the card again."), device_id=device_id
        )
    today = timezone.localdate(now)
    problem = _card_problem(reading, today)
    if problem is not None:
        code, message, field = problem
        raise _refused(actor, outlet, code, message, device_id=device_id, field=f"reading.{field}")
    details = {name: reading[name] for name in ("sex", "ethnicity", "issuing_authority", "valid_from", "valid_until")}
    try:
        with transaction.atomic():
            card_reading = CardReading.objects.create(
                reader=reader,
                outlet=outlet,
                nonce=reading["nonce"],
                read_at=read_at,
                verified_at=now,
                verified_by=actor,
                signature_sha256=readers.signed_digest(reading),
                name=reading["name"].strip(),
                id_number=reading["id_number"].strip().upper(),
                address=reading["address"].strip(),
                birth_date=reading["birth_date"],
                photo=reading["photo"],
                details=json.dumps(details, ensure_ascii=False, sort_keys=True),
            )
            audit_record(
                actor=actor,
                action=action,
                object_type="subscribers.cardreading",
                object_id=card_reading.pk,
                changes={"device_id": device_id, "outlet": outlet.code, "id_number": str(card_reading.id_number)},
                unit=outlet,
            )
    except IntegrityError:
        raise _refused(
            actor,
            outlet,
            "reading_replayed",
            _("This reading was presented before: read the card again."),
            device_id=device_id,
        ) from None
    return card_reading
