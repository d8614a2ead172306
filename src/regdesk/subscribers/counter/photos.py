"""Photos the counter compares with the person in front of it: the ID card's photo of a verified reading, and the
photo taken at the counter.

Each one is revealed through the vault (``personal_value_reveal`` for the card's photo, ``document_open`` for the
counter photo), so every look is in the audit trail with its purpose, and embedded in the page that shows it as a
``data:`` URI: no separate address serves personal images, and the page itself is never cached.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied

from regdesk.accounts.models import User
from regdesk.cases.files import sniff_content_type
from regdesk.cases.services import DocumentRefused, document_open
from regdesk.privacy.errors import RevealRefusedError
from regdesk.privacy.services import personal_value_reveal
from regdesk.subscribers.models import CardReading, Registration

ID_PHOTO_PURPOSE = "Compare the ID card's photo with the person at the counter (real-name registration)"
LIVE_PHOTO_PURPOSE = "Compare the counter photo with the ID card's photo (real-name registration)"
IMAGE_TYPES = ("image/jpeg", "image/png")


@dataclass(frozen=True)
class Photo:
    """A photo for a page: its ``data:`` URI, or ``hidden`` when there is one the user's roles may not see."""

    uri: str = ""
    hidden: bool = False


def id_photo(user: User, reading: CardReading | None) -> Photo:
    if reading is None:
        return Photo()
    uri = id_photo_uri(user, reading)
    return Photo(uri=uri, hidden=not uri)


def _data_uri(data: bytes) -> str:
    content_type = sniff_content_type(data)
    if content_type not in IMAGE_TYPES:
        return ""
    return f"data:{content_type};base64,{base64.b64encode(data).decode('ascii')}"


def id_photo_uri(user: User, reading: CardReading | None) -> str:
    """The card's photo as a ``data:`` URI, or ``""`` when there is none or the user's roles may not reveal it
    (the refusal is audited by the vault)."""
    if reading is None:
        return ""
    try:
        text = personal_value_reveal(actor=user, obj=reading, field_name="photo", purpose=ID_PHOTO_PURPOSE)
        return _data_uri(base64.b64decode(text, validate=True))
    except (RevealRefusedError, binascii.Error, ValueError):
        return ""


def live_photo_uri(user: User, registration: Registration) -> str:
    """The latest photo taken at the counter for the registration, as a ``data:`` URI (or ``""``)."""
    if registration.case is None:
        return ""
    document = registration.case.documents.filter(kind="live_photo").order_by("-uploaded_at", "-pk").first()
    if document is None:
        return ""
    try:
        return _data_uri(document_open(actor=user, document=document, purpose=LIVE_PHOTO_PURPOSE))
    except (DocumentRefused, PermissionDenied):
        return ""
