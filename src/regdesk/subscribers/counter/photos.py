"""Photos the counter compares with the person in front of it: the ID card's photo of a verified reading, and the
photo taken at the counter. Each one is revealed through the vault (``personal_value_reveal`` or
``document_open``), so every look is in the audit trail with its purpose; responses are never cached."""

from __future__ import annotations

import base64
import binascii

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from regdesk.cases.files import sniff_content_type
from regdesk.cases.models import Document
from regdesk.cases.services import DocumentRefused, document_open
from regdesk.privacy.errors import RevealRefusedError
from regdesk.privacy.services import personal_value_reveal
from regdesk.subscribers.counter.common import counter_page, current_user
from regdesk.subscribers.models import CardReading
from regdesk.subscribers.permissions import access_registration_by_id
from regdesk.subscribers.selectors import reading_for_counter

ID_PHOTO_PURPOSE = "Compare the ID card's photo with the person at the counter (real-name registration)"
LIVE_PHOTO_PURPOSE = "Compare the counter photo with the ID card's photo (real-name registration)"
IMAGE_TYPES = ("image/jpeg", "image/png")


def _image(data: bytes) -> HttpResponse:
    content_type = sniff_content_type(data)
    if content_type not in IMAGE_TYPES:
        raise Http404
    response = HttpResponse(data, content_type=content_type)
    response["Cache-Control"] = "no-store, private"
    return response


def _id_photo(request: HttpRequest, reading: CardReading) -> HttpResponse:
    try:
        text = personal_value_reveal(
            actor=current_user(request), obj=reading, field_name="photo", purpose=ID_PHOTO_PURPOSE
        )
    except RevealRefusedError:
        raise PermissionDenied from None
    try:
        data = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise Http404 from None
    return _image(data)


@counter_page
@require_GET
def reading_photo(request: HttpRequest, reading_id: int) -> HttpResponse:
    """The ID photo of a reading verified at one of the user's outlets (before it is used by a registration)."""
    reading = reading_for_counter(current_user(request), reading_id)
    if reading is None:
        raise Http404
    return _id_photo(request, reading)


@counter_page
@require_GET
def registration_photo(request: HttpRequest, registration_id: int, which: str) -> HttpResponse:
    """``subscriber`` / ``representative``: the ID photo read for the registration; ``live``: the latest photo
    taken at the counter."""
    user = current_user(request)
    registration = access_registration_by_id(user, registration_id)
    if which in ("subscriber", "representative"):
        reading = registration.subscriber_reading if which == "subscriber" else registration.representative_reading
        if reading is None:
            raise Http404
        return _id_photo(request, reading)
    if which != "live" or registration.case is None:
        raise Http404
    document: Document | None = (
        registration.case.documents.filter(kind="live_photo").order_by("-uploaded_at", "-pk").first()
    )
    if document is None:
        raise Http404
    try:
        data = document_open(actor=user, document=document, purpose=LIVE_PHOTO_PURPOSE)
    except DocumentRefused:
        raise Http404 from None
    return _image(data)
