"""The customer's signature on the registration form and service agreement (入网登记表/服务协议) of a registered
line: drawn on the counter's signature pad or scanned from the signed paper, kept with the case as an encrypted
document in the vault (``document_attach`` seals it; every opening is audited)."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from regdesk.audit.services import audit_record
from regdesk.cases.files import sniff_content_type
from regdesk.cases.services import DocumentRefused, document_attach
from regdesk.subscribers.models import Registration
from regdesk.subscribers.services.errors import RegistrationRefused
from regdesk.subscribers.services.registrations import lock_registration, require_counter, require_state

if TYPE_CHECKING:
    from regdesk.accounts.models import User
    from regdesk.cases.models import Document

SIGNATURE_KIND = "customer_signature"
MAX_SIGNATURE_BYTES = 1024 * 1024
# A pad's drawing is dark strokes on white or on nothing: a pixel darker than this (of 255) is ink.
INK_LEVEL = 200


def _has_ink(image_bytes: bytes) -> bool:
    """Whether the image shows anything: a stroke darker than paper, where it is not transparent."""
    try:
        with Image.open(io.BytesIO(image_bytes)) as opened:
            opened.load()
            image = opened.convert("LA")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        return False
    luminance, alpha = image.split()
    ink = Image.eval(luminance, lambda value: 255 if value < INK_LEVEL else 0)
    visible = Image.eval(alpha, lambda value: 255 if value > 0 else 0)
    return Image.composite(ink, Image.new("L", image.size, 0), visible).getbbox() is not None


def registration_signature_attach(*, actor: User, registration: Registration, image: bytes) -> Document:
    """Keep the customer's signature (a PNG or JPEG image) on the registration form of a registered line.

    Refused (``RegistrationRefused``, nothing kept) when the registration is not registered, the actor does not
    register lines at its outlet, or the image is not a PNG or JPEG, is larger than 1 MB, or shows no stroke. A
    later signature is kept beside the earlier one; the form prints the latest.
    """
    require_counter(actor, registration.outlet)
    if len(image) > MAX_SIGNATURE_BYTES or sniff_content_type(image) not in ("image/png", "image/jpeg"):
        raise RegistrationRefused(
            "signature_invalid", _("The signature must be a PNG or JPEG image of at most 1 MB."), field="signature"
        )
    if not _has_ink(image):
        raise RegistrationRefused(
            "signature_blank", _("The signature is empty: let the customer sign on the pad."), field="signature"
        )
    with transaction.atomic():
        locked = lock_registration(registration)
        require_state(locked, "registered")
        assert locked.case is not None  # noqa: S101 - set when the registration is created
        try:
            document = document_attach(
                actor=actor, case=locked.case, kind=SIGNATURE_KIND, filename="signature", content=image
            )
        except DocumentRefused as refused:
            raise RegistrationRefused(f"signature_{refused.code}", refused.message, field="signature") from None
        audit_record(
            actor=actor,
            action="line_registration.sign",
            object_type="subscribers.registration",
            object_id=locked.pk,
            changes={"document": document.pk},
            unit=locked.outlet,
        )
    return document
