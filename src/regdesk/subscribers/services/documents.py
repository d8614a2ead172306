"""Identity documents as they arrive at the counter: a verified card reading, or a typed document.

A resident ID card is accepted from a card reading only (notice 工信部网安〔2016〕182号 §2(1)): typed resident-ID
data is refused with its own message. The same readers read the residence permits of Hong Kong, Macau and Taiwan
residents; a reading is a permit when its number bears a permit's address code. Every other document is typed and
its number checked by ``regdesk.rules.identity``.
"""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from regdesk.rules.identity import validate
from regdesk.subscribers import config
from regdesk.subscribers.models import CardReading
from regdesk.subscribers.models.lines import DOCUMENT_TYPE_CHOICES
from regdesk.subscribers.rules import READER_ONLY_DOCUMENTS, VALIDATOR_OF, DocumentType
from regdesk.subscribers.services.errors import RegistrationRefused
from regdesk.subscribers.services.readers import reading_document_type

if TYPE_CHECKING:
    from regdesk.accounts.models import OrgUnit

MAX_NAME = 100
MAX_ORGANISATION_NAME = 200
MAX_ADDRESS = 200


@dataclass(frozen=True)
class DocumentInput:
    """An identity document shown at the counter: ``reading`` (a verified ``CardReading``, for resident ID cards)
    or a typed ``document_type``, ``number``, ``name`` and ``address``, never both."""

    document_type: str = ""
    number: str = ""
    name: str = ""
    address: str = ""
    reading: CardReading | None = None


@dataclass(frozen=True)
class CapturedDocument:
    """A document after its checks: the normalised number, and the ID card's photo when it was read."""

    document_type: str
    number: str
    name: str
    address: str
    reading: CardReading | None
    photo: bytes | None


def _validation_message(errors: tuple[object, ...]) -> str:
    language = translation.get_language() or ""
    first = errors[0]
    text = getattr(first, "message_en" if language.startswith("en") else "message_zh", "")
    return str(text)


def resident_id_typed_refusal(field: str) -> RegistrationRefused:
    return RegistrationRefused(
        "resident_id_typed",
        _(
            "A resident ID card must be read with the ID-card reader: typing its data by hand is forbidden "
            "(MIIT notice 2016 No. 182). Place the card on the reader."
        ),
        field=field,
    )


def _from_reading(document: DocumentInput, *, field: str, outlet: OrgUnit, now: datetime) -> CapturedDocument:
    reading = document.reading
    assert reading is not None  # noqa: S101 - the caller checked
    if document.number.strip() or document.name.strip() or document.address.strip():
        raise RegistrationRefused(
            "reading_edited", _("The data of a card reading cannot be changed or completed by hand."), field=field
        )
    document_type = reading_document_type(reading)
    if document.document_type and document.document_type != document_type:
        raise RegistrationRefused(
            "document_type_invalid",
            _("The card that was read is a %(document)s.") % {"document": dict(DOCUMENT_TYPE_CHOICES)[document_type]},
            field=f"{field}.document_type",
        )
    if reading.verified_by_id is None:
        # Delivered by the reader agent and not yet taken by a clerk's page (``reading_claim``).
        raise RegistrationRefused(
            "reading_unclaimed", _("Wait until the reading appears on the page, then record it."), field=field
        )
    if reading.outlet_id != outlet.pk:
        raise RegistrationRefused(
            "reading_wrong_outlet", _("The card was read at another outlet."), field=f"{field}.reading"
        )
    if reading.consumed_at is not None:
        raise RegistrationRefused(
            "reading_used",
            _("This reading served another registration: read the card again."),
            field=f"{field}.reading",
        )
    if reading.verified_at < now - timedelta(seconds=config.reading_use_seconds()):
        raise RegistrationRefused(
            "reading_expired", _("The card was read too long ago: read it again."), field=f"{field}.reading"
        )
    return CapturedDocument(
        document_type=document_type,
        number=reading.id_number.reveal(),
        name=reading.name.reveal(),
        address=reading.address.reveal(),
        reading=reading,
        photo=base64.b64decode(reading.photo.reveal()),
    )


def _typed_number(document_type: DocumentType, number: str, *, field: str, today: dt.date) -> str:
    result = validate(VALIDATOR_OF[document_type], number, today=today)
    if not result.valid or not result.normalized:
        raise RegistrationRefused(
            "document_number_invalid",
            _validation_message(result.errors) if result.errors else _("The document number is not valid."),
            field=f"{field}.number",
        )
    if document_type == DocumentType.PASSPORT:
        if result.details.get("expired"):
            raise RegistrationRefused(
                "document_expired",
                _("The passport has expired; an expired passport is not a valid document."),
                field=f"{field}.number",
            )
        nationality = result.details.get("nationality") or {}
        # A passport number is unique only within its issuing country.
        return f"{nationality.get('code', '')}:{result.details.get('document_number', '')}"
    return result.normalized


def capture_document(
    document: DocumentInput,
    *,
    field: str,
    outlet: OrgUnit,
    allowed: frozenset[DocumentType],
    now: datetime,
    organisation: bool = False,
) -> CapturedDocument:
    """Check one document and return it normalised, or raise ``RegistrationRefused`` naming the field at fault."""
    if document.reading is not None:
        if reading_document_type(document.reading) not in allowed:
            raise RegistrationRefused(
                "document_type_not_allowed", _("This document is not accepted here."), field=f"{field}.reading"
            )
        return _from_reading(document, field=field, outlet=outlet, now=now)
    if not document.document_type:
        raise RegistrationRefused(
            "no_document", _("Read the ID card or enter the document shown."), field=f"{field}.document_type"
        )
    try:
        document_type = DocumentType(document.document_type)
    except ValueError:
        raise RegistrationRefused(
            "document_type_unknown", _("Unknown document type."), field=f"{field}.document_type"
        ) from None
    if document_type not in allowed:
        raise RegistrationRefused(
            "document_type_not_allowed",
            _("This kind of document is not accepted for this subscriber."),
            field=f"{field}.document_type",
        )
    if document_type in READER_ONLY_DOCUMENTS:
        raise resident_id_typed_refusal(field)
    name = " ".join(document.name.split())
    limit = MAX_ORGANISATION_NAME if organisation else MAX_NAME
    if not name or len(name) > limit:
        raise RegistrationRefused(
            "name_invalid",
            _("Enter the name as written on the document (at most %(limit)s characters).") % {"limit": limit},
            field=f"{field}.name",
        )
    address = " ".join(document.address.split())
    if not address or len(address) > MAX_ADDRESS:
        raise RegistrationRefused(
            "address_invalid",
            _("Enter the address as written on the document (at most %(limit)s characters).") % {"limit": MAX_ADDRESS},
            field=f"{field}.address",
        )
    if not document.number.strip():
        raise RegistrationRefused("document_number_missing", _("Enter the document number."), field=f"{field}.number")
    number = _typed_number(document_type, document.number, field=field, today=timezone.localdate(now))
    return CapturedDocument(
        document_type=document_type, number=number, name=name, address=address, reading=None, photo=None
    )
