"""What the uploads and the downloads share: the client, file names, the counter row, sealing of stored documents."""

from __future__ import annotations

import logging

from regdesk.miit.config import (
    MiitSettings,
    miit_settings,
)
from regdesk.miit.models import (
    MiitDownload,
    MiitSequence,
    MiitUpload,
)
from regdesk.miit.transport import MiitClient, MiitPort
from regdesk.privacy.crypto import decrypt_bytes, encrypt_bytes

logger = logging.getLogger(__name__)


def get_client(settings: MiitSettings | None = None) -> MiitPort:
    """The configured client (settings ``REGDESK_MIIT_*``; the province simulator on loopback by default)."""
    return MiitClient(settings or miit_settings())


def file_name_for(operation: str, sequence: int) -> str:
    """The upload's file name (ASCII letters and digits only, §3-3-1-3), e.g. ``XZBA0000000042``."""
    return f"{operation}{sequence:010d}"


def _counter() -> MiitSequence:
    """The counter row, locked until the caller's transaction ends (made by the migration; re-made if flushed)."""
    row = MiitSequence.objects.select_for_update().filter(id=1).first()
    if row is not None:
        return row
    row, _created = MiitSequence.objects.select_for_update().get_or_create(id=1, defaults={"last_allocated": 0})
    return row


def _seal(data: bytes, associated_data: bytes) -> bytes:
    return encrypt_bytes(data, associated_data=associated_data)


def upload_document(upload: MiitUpload) -> bytes | None:
    """The upload's GBK document, unsealed (``None`` once purged)."""
    if upload.document is None:
        return None
    return decrypt_bytes(bytes(upload.document), associated_data=upload.associated_data())


def download_document(download: MiitDownload) -> bytes | None:
    """The downloaded GBK document, unsealed."""
    if download.document is None:
        return None
    return decrypt_bytes(bytes(download.document), associated_data=download.associated_data())
