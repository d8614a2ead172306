"""Downloads: fetching, storing (an unreadable file as invalid), handling and acknowledging."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from regdesk.audit.services import audit_record
from regdesk.miit.alerts import alert_download_invalid
from regdesk.miit.codec.download import parse_download
from regdesk.miit.codec.errors import CodecError, DecodingError, DownloadInvalid
from regdesk.miit.codec.packing import unpack
from regdesk.miit.handlers import download_handlers
from regdesk.miit.models import (
    DownloadStatus,
    MiitDownload,
)
from regdesk.miit.polls import poll_succeeded
from regdesk.miit.records import DownloadDocument
from regdesk.miit.services.common import _seal, get_client
from regdesk.miit.services.errors import (
    DownloadRefused,
    DownloadUndecodable,
)
from regdesk.miit.transport import MiitPort, TransportError

if TYPE_CHECKING:
    from regdesk.accounts.models import User


logger = logging.getLogger(__name__)

MAX_FILES_PER_FETCH = 100
# Why a downloaded file could not be read, by the codec's step (stored on the download and shown to compliance).
DECODING_REASONS = {
    "doctype": "doctype: the document declares a document type or entities (refused)",
    "xml": "xml: the document is not well-formed XML in its declared encoding",
}


@dataclass(frozen=True)
class FetchedDownload:
    """One downloaded file: its row, and its parsed records (``None`` when it does not match the XSD)."""

    download_id: int
    file_name: str
    document: DownloadDocument | None
    duplicate: bool = False


def _store_download(
    *, actor: User | None, file_name: str, document: bytes
) -> tuple[MiitDownload, DownloadDocument | None, bool]:
    digest = hashlib.sha256(document).hexdigest()
    existing = MiitDownload.objects.filter(file_name=file_name, sha256=digest).first()
    if existing is not None:
        # Stored before but not acknowledged (the ack was lost): the handlers already ran.
        parsed = None
        if existing.status == DownloadStatus.HANDLED:
            parsed = parse_download(document)
        return existing, parsed, True
    parsed_document, problems = _parse_or_problems(document)
    with transaction.atomic():
        download = MiitDownload(
            file_name=file_name[:255],
            sha256=digest,
            size_bytes=len(document),
            kinds=list(parsed_document.kinds) if parsed_document is not None else [],
            status=DownloadStatus.HANDLED if parsed_document is not None else DownloadStatus.INVALID,
            problems=problems,
            received_at=timezone.now(),
        )
        download.document = _seal(document, download.associated_data())
        download.save()
        audit_record(
            actor=actor,
            action="miit_download.fetch",
            object_type="miit.download",
            object_id=download.pk,
            changes={"file_name": download.file_name, "kinds": download.kinds, "status": download.status},
        )
        if parsed_document is not None:
            for kind, section in parsed_document.sections.items():
                for handler in download_handlers(kind):
                    handler(section, download)
        else:
            logger.warning("MIIT download %s is invalid: %s", download.pk, "; ".join(problems[:3]))
            alert_download_invalid(download=download)
    return download, parsed_document, False


def _parse_or_problems(document: bytes) -> tuple[DownloadDocument | None, list[str]]:
    """The parsed document, or why it cannot be read: one line per problem, naming steps, element paths and
    libxml2's error kinds but never the text of the document (it may hold personal data)."""
    try:
        return parse_download(document), []
    except DownloadInvalid as error:
        return None, [
            f"schema: {problem.path} (line {problem.line}): {problem.kind or 'invalid'}"
            for problem in error.problems[:50]
        ]
    except DecodingError as error:
        return None, [DECODING_REASONS.get(error.step, error.step)]
    except CodecError as error:  # any other failure of the codec on this one file
        return None, [error.code]


def _acknowledge(client: MiitPort, download: MiitDownload, *, actor: User | None) -> bool:
    try:
        answer = client.download_ack(download.file_name)
    except TransportError as error:
        # Stored but not acknowledged: the province sends the file again and it is recognised then.
        logger.warning("MIIT isp_downloadack failed: %s", error.code)
        return False
    if not answer.ok:
        logger.warning("MIIT isp_downloadack answered %s", answer.msg_code)
        return False
    with transaction.atomic():
        MiitDownload.objects.filter(pk=download.pk).update(acknowledged_at=timezone.now())
        audit_record(
            actor=actor,
            action="miit_download.acknowledge",
            object_type="miit.download",
            object_id=download.pk,
            changes={"file_name": download.file_name},
        )
    return True


def miit_download_fetch(
    *, actor: User | None = None, client: MiitPort | None = None, max_files: int = MAX_FILES_PER_FETCH
) -> list[FetchedDownload]:
    """Download every waiting file: store it (sealed), parse it, run the handlers, then acknowledge it.

    A file whose MD5 does not match or that cannot be decrypted or unzipped is neither stored nor acknowledged
    (``DownloadUndecodable``; the province sends it again). A file that unpacks but cannot be read — not
    well-formed, a document type declaration (refused, see ``codec.xml``), not matching ``download.xsd`` — is
    stored as ``invalid`` with its reason, the compliance officers are alerted, it is acknowledged without
    handlers, and the next file is fetched. Raises ``DownloadRefused`` on an error code.
    """
    client = client or get_client()
    fetched: list[FetchedDownload] = []
    for _ in range(max_files):
        answer = client.download()
        if answer.msg_code == 2:
            break
        if not answer.ok:
            raise DownloadRefused(answer.msg_code)
        if answer.file is None:
            break
        try:
            received = unpack(answer.file.packed, key=client.settings.aes_key)
        except CodecError as error:
            raise DownloadUndecodable(error.code) from None
        file_name = answer.file.file_name or received.member_name
        download, parsed, duplicate = _store_download(actor=actor, file_name=file_name, document=received.document)
        acknowledged = _acknowledge(client, download, actor=actor)
        fetched.append(
            FetchedDownload(download_id=download.pk, file_name=file_name, document=parsed, duplicate=duplicate)
        )
        if answer.msg_code == 1 or not acknowledged:
            break
    poll_succeeded()
    return fetched
