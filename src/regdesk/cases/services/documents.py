"""Attaching documents to cases (encrypted at rest) and opening them (audited, with a stated purpose)."""

from __future__ import annotations

import hashlib
import unicodedata
import uuid
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from regdesk.audit.services import audit_record
from regdesk.cases import config
from regdesk.cases.definitions import get_process
from regdesk.cases.files import OTHER, RECOGNISED_TYPES, UnreadableImageError, reencode_image, sniff_content_type
from regdesk.cases.models import Case, Document, DocumentView
from regdesk.cases.permissions import can_see_case
from regdesk.cases.services.errors import DocumentRefused
from regdesk.privacy.crypto import decrypt_bytes, decrypt_text, encrypt_bytes, encrypt_text

if TYPE_CHECKING:
    from regdesk.accounts.models import User

FILENAME_ASSOCIATED_DATA = b"cases.document.filename"


def _content_associated_data(storage_name: str) -> bytes:
    return b"cases.document.content:" + storage_name.encode("utf-8")


def max_document_bytes() -> int:
    """The largest document a case takes (``REGDESK_DOCUMENT_MAX_BYTES``)."""
    return config.document_max_bytes()


def _clean_filename(filename: str) -> str:
    """The last path component, without control characters, at most 200 characters."""
    name = filename.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(char for char in name if unicodedata.category(char)[0] != "C").strip()
    return name[:200] or "document"


def _read_limited(content: bytes | File[Any], limit: int) -> bytes:
    """The bytes, refusing before reading everything when the size is already known to be too large."""
    too_large = DocumentRefused("too_large", _("The file is larger than %(limit)s bytes.") % {"limit": f"{limit:,}"})
    if isinstance(content, bytes):
        if len(content) > limit:
            raise too_large
        return content
    if content.size is not None and content.size > limit:
        raise too_large
    content.seek(0)
    data = content.read(limit + 1)
    if len(data) > limit:
        raise too_large
    return bytes(data)


def _refuse_beyond_document_limit(case: Case) -> None:
    """Refuse a document beyond ``REGDESK_CASE_MAX_DOCUMENTS``. The case row is locked first, so that two uploads
    racing for the last place cannot both take it (the case before its counters, DESIGN.md rule 14)."""
    limit = config.case_max_documents()
    Case.objects.select_for_update().filter(pk=case.pk).values_list("pk", flat=True).first()
    if Document.objects.filter(case_id=case.pk).count() >= limit:
        raise DocumentRefused(
            "too_many_documents",
            _("No more documents can be attached: at most %(limit)d are allowed.") % {"limit": limit},
        )


def document_attach(
    *, actor: User | None, case: Case, kind: str, filename: str, content: bytes | File[Any]
) -> Document:
    """Attach a file to a case.

    The type is recognised from the bytes (PDF, PNG, JPEG, GIF, WebP; anything else only for a kind that allows
    it), the size is limited by ``REGDESK_DOCUMENT_MAX_BYTES`` and the number per case by
    ``REGDESK_CASE_MAX_DOCUMENTS``, images are re-encoded without metadata (EXIF and
    its GPS position are gone; the orientation is applied to the pixels), and the bytes are sealed with the vault
    before they reach the storage. Refusals (``DocumentRefused``) save nothing.
    """
    limit = max_document_bytes()
    data = _read_limited(content, limit)
    if not data:
        raise DocumentRefused("empty", _("The file is empty."))
    kind_definition = get_process(case.process_key, case.process_version).document_kind(kind)
    if kind_definition is None:
        raise DocumentRefused(
            "kind", _("This process does not take documents of the kind “%(kind)s”.") % {"kind": kind}
        )
    content_type = sniff_content_type(data)
    if content_type is None:
        if not kind_definition.allow_any_type:
            raise DocumentRefused("type", _("Only PDF files and PNG, JPEG, GIF or WebP images are accepted."))
        content_type = OTHER
    if content_type in RECOGNISED_TYPES and content_type.startswith("image/"):
        try:
            data = reencode_image(data, content_type).data
        except UnreadableImageError:
            raise DocumentRefused("unreadable", _("The image cannot be read.")) from None
    digest = hashlib.sha256(data).hexdigest()
    storage_name = f"cases/documents/{uuid.uuid4().hex}.sealed"
    sealed = encrypt_bytes(data, associated_data=_content_associated_data(storage_name))
    with transaction.atomic():
        _refuse_beyond_document_limit(case)
        saved_name = default_storage.save(storage_name, ContentFile(sealed))
        try:
            if saved_name != storage_name:  # pragma: no cover - a random name cannot collide in practice
                raise RuntimeError("the storage renamed a sealed document")
            document = Document.objects.create(
                case=case,
                kind=kind,
                filename_sealed=encrypt_text(_clean_filename(filename), associated_data=FILENAME_ASSOCIATED_DATA),
                content_type=content_type,
                size=len(data),
                sha256=digest,
                storage_name=saved_name,
                uploaded_by=actor,
                uploaded_at=timezone.now(),
            )
            audit_record(
                actor=actor,
                action="document.attach",
                object_type="cases.document",
                object_id=document.pk,
                changes={
                    "case": case.pk,
                    "kind": kind,
                    "content_type": content_type,
                    "size": len(data),
                    "sha256": digest,
                },
                unit=case.unit,
            )
        except BaseException:
            default_storage.delete(saved_name)
            raise
    return document


def document_open(*, actor: User, document: Document, purpose: str) -> bytes:
    """The document's bytes. Every opening is recorded (``DocumentView``) and audited with its stated purpose;
    only a user who may see the case can open its documents."""
    purpose = purpose.strip()
    if not purpose:
        raise DocumentRefused("purpose", _("State the purpose of opening this document."))
    if not can_see_case(actor, document.case):
        raise PermissionDenied
    with transaction.atomic():
        now = timezone.now()
        DocumentView.objects.create(document=document, viewer=actor, purpose=purpose[:500], viewed_at=now)
        audit_record(
            actor=actor,
            action="document.open",
            object_type="cases.document",
            object_id=document.pk,
            changes={"case": document.case_id, "kind": document.kind},
            purpose=purpose[:500],
            unit=document.case.unit,
        )
        with default_storage.open(document.storage_name, "rb") as handle:
            sealed = handle.read()
        data = decrypt_bytes(sealed, associated_data=_content_associated_data(document.storage_name))
        if hashlib.sha256(data).hexdigest() != document.sha256:  # pragma: no cover - GCM already authenticates
            raise DocumentRefused("integrity", _("The stored document is damaged."))
    return data


def document_filename(document: Document) -> str:
    """The original file name (it may name a person: show it only where the document itself is shown)."""
    return decrypt_text(document.filename_sealed, associated_data=FILENAME_ASSOCIATED_DATA)
