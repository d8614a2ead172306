"""Writes of the MIIT adapter: preparing and sending uploads, fetching downloads, purging old files.

Sequence numbers (数据编号). The specification (§3-3-1-3): "初始值为1，每上报成功一次数据，该编号值递增1", and a
number that skips one is refused with msg_code 14 until the missing number is uploaded. So:

- a number is allocated when an upload is prepared, under ``SELECT ... FOR UPDATE`` of the single counter row in
  the transaction that creates the upload row — strictly increasing, gap-free, one per upload, never reused for
  another document;
- uploads are sent after commit, one sender at a time (a lease on the counter row), in sequence order, stopping
  at the first that is not accepted;
- an upload the province refuses with a ``msg_code`` other than 0 did not succeed, so it did not consume its
  number: it stays at the head of the queue and the same number is sent again (same document) once the cause is
  gone — later uploads wait behind it, so the province never sees a gap;
- an upload refused for data reasons (a data-processing result code such as 1003 网站主办者冲突 in the
  downloaded 备案结果) was accepted by ``isp_upload`` with msg_code 0: its number is consumed and stays consumed.
  The filing is corrected and sent as a new upload with the next number; nothing is rolled back.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from django.db import DatabaseError, connections, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_noop

from regdesk.audit.services import audit_record
from regdesk.miit.alerts import alert_download_invalid
from regdesk.miit.codec.download import parse_download
from regdesk.miit.codec.errors import CodecError, DecodingError, DownloadInvalid
from regdesk.miit.codec.packing import pack, unpack
from regdesk.miit.codec.upload import count_records, encode_new_filings
from regdesk.miit.codec.xml import parse_bytes
from regdesk.miit.codes import TRANSIENT_RETURN_CODES
from regdesk.miit.config import (
    MiitSettings,
    miit_settings,
    send_automatically,
    send_heartbeat_seconds,
    send_lease_seconds,
    upload_retention_days,
)
from regdesk.miit.handlers import download_handlers
from regdesk.miit.messages import bilingual
from regdesk.miit.models import (
    DownloadStatus,
    MiitDownload,
    MiitSequence,
    MiitUpload,
    UploadOperation,
    UploadStatus,
)
from regdesk.miit.polls import poll_succeeded
from regdesk.miit.records import DownloadDocument, NewFiling
from regdesk.miit.transport import MiitClient, MiitPort, SoapFault, TransportError, Unreachable, UploadOutcome
from regdesk.privacy.crypto import decrypt_bytes, encrypt_bytes

if TYPE_CHECKING:
    from regdesk.accounts.models import User

logger = logging.getLogger(__name__)

# Transport errors after which sending again later may succeed without anyone changing anything.
RETRYABLE_ERRORS = frozenset({"unreachable", "outcome_unknown", "server_error", "soap_server_fault"})
MAX_FILES_PER_FETCH = 100
# Why a downloaded file could not be read, by the codec's step (stored on the download and shown to compliance).
DECODING_REASONS = {
    "doctype": "doctype: the document declares a document type or entities (refused)",
    "xml": "xml: the document is not well-formed XML in its declared encoding",
}


class MiitError(Exception):
    """An operation of the adapter was refused; ``str(error)`` is Chinese and English, without personal data."""

    code = "miit_error"


class UnsupportedOperation(MiitError):
    code = "unsupported_operation"

    def __init__(self, operation: str) -> None:
        self.operation = operation
        super().__init__(
            bilingual(gettext_noop("The adapter cannot build %(operation)s uploads yet"), {"operation": operation})
        )


class SenderBusy(MiitError):
    """Another process holds the send lease; it sends every pending upload in order."""

    code = "sender_busy"

    def __init__(self) -> None:
        super().__init__(bilingual(gettext_noop("Another process is sending uploads to the province")))


class DownloadUndecodable(MiitError):
    """A downloaded file fails its MD5 check or cannot be decrypted or unzipped: it is neither stored nor
    acknowledged (specification 3-3-2: only a file that passes the integrity check and decompresses is
    acknowledged), so the province offers it again; a wrong AES key would otherwise lose every file."""

    code = "download_undecodable"

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(
            bilingual(gettext_noop("A downloaded file cannot be unpacked (%(reason)s)"), {"reason": reason})
        )


class DownloadRefused(MiitError):
    """``isp_download`` answered an error code (authentication, province, maintenance)."""

    code = "download_refused"

    def __init__(self, msg_code: int) -> None:
        self.msg_code = msg_code
        super().__init__(
            bilingual(gettext_noop("The province refused the download (msg_code %(code)s)"), {"code": msg_code})
        )


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


# ----------------------------------------------------------------------------------------------------------------
# Uploads
# ----------------------------------------------------------------------------------------------------------------


def miit_upload_prepare(
    *, actor: User | None, operation: str, records: Sequence[NewFiling], related: str = ""
) -> MiitUpload:
    """Build, validate and store an upload with the next sequence number; queue its sending after commit.

    The document is built and checked against ``upload.xsd`` before anything is written, so a bad record
    (``UploadInvalid``, ``FieldNotEncodable``, ``UploadTooLarge``, ``AttachmentTooLarge``) changes nothing and
    consumes no number. ``related`` names what the upload is about for other apps (e.g. ``filings.filing:42``);
    it must not hold personal data.
    """
    if operation != UploadOperation.XZBA:
        raise UnsupportedOperation(operation)
    settings = miit_settings()
    document = encode_new_filings(records, requesting_unit_id=settings.isp_id)
    digest = hashlib.sha256(document).hexdigest()
    record_keys = [filing.owner.record_id for filing in records]
    now = timezone.now()
    with transaction.atomic():
        counter = _counter()
        sequence = counter.last_allocated + 1
        counter.last_allocated = sequence
        counter.save(update_fields=["last_allocated"])
        upload = MiitUpload(
            sequence=sequence,
            file_name=file_name_for(operation, sequence),
            operation=operation,
            record_count=count_records(parse_bytes(document)),
            record_keys=record_keys,
            related=related[:200],
            sha256=digest,
            size_bytes=len(document),
            status=UploadStatus.PREPARED,
            prepared_at=now,
            prepared_by=actor if actor is not None and actor.pk else None,
            kept_until=now + timedelta(days=upload_retention_days()),
        )
        upload.document = _seal(document, upload.associated_data())
        upload.save()
        audit_record(
            actor=actor,
            action="miit_upload.prepare",
            object_type="miit.upload",
            object_id=upload.pk,
            changes={
                "sequence": sequence,
                "operation": operation,
                "records": upload.record_count,
                "sha256": digest,
                "related": upload.related,
            },
        )
        upload_id = upload.pk
        transaction.on_commit(lambda: _queue_send(upload_id))
    return upload


def _queue_send(upload_id: int, *, delay_seconds: float = 0) -> None:
    if not send_automatically():
        return
    from regdesk.miit.tasks import send_upload

    if delay_seconds > 0:
        send_upload.using(run_after=timezone.now() + timedelta(seconds=delay_seconds)).enqueue(upload_id)
    else:
        send_upload.enqueue(upload_id)


def _lease_seconds() -> float:
    """The send lease: short, because a live sender renews it (``_LeaseKeeper``) while its call is in flight."""
    return max(1.0, send_lease_seconds())


def _heartbeat_seconds(lease: float) -> float:
    # Renew well before the lease runs out, whatever the two settings say.
    return max(0.05, min(send_heartbeat_seconds(), lease / 3))


def _acquire_lease(seconds: float) -> str | None:
    token = secrets.token_hex(16)
    now = timezone.now()
    with transaction.atomic():
        _counter()
    taken = (
        MiitSequence.objects.filter(id=1)
        .filter(Q(send_lease_until__isnull=True) | Q(send_lease_until__lt=now))
        .update(send_lease_until=now + timedelta(seconds=seconds), send_lease_token=token)
    )
    return token if taken else None


def _renew_lease(token: str, seconds: float) -> bool:
    """Extend the lease if ``token`` still holds it; False when it was lost (it ran out and another took it)."""
    renewed = MiitSequence.objects.filter(id=1, send_lease_token=token).update(
        send_lease_until=timezone.now() + timedelta(seconds=seconds)
    )
    return renewed == 1


class _LeaseKeeper:
    """The sender's heartbeat: a thread that renews the send lease every few seconds while uploads go out, so that
    the lease can be short. A sender killed mid-call stops beating and its lease runs out after
    ``REGDESK_MIIT_SEND_LEASE_SECONDS``, instead of after the longest call it could have made.

    The thread has its own database connection (closed when it stops). ``lost`` turns true when a renewal finds the
    lease taken by another sender (ours ran out, e.g. the database was unreachable): the sender then stops before
    its next upload, so two senders never send in turn.
    """

    def __init__(self, token: str, lease: float) -> None:
        self.token = token
        self.lease = lease
        self.lost = False
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="miit-send-lease", daemon=True)

    def __enter__(self) -> _LeaseKeeper:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stopping.set()
        self._thread.join()

    def _run(self) -> None:
        interval = _heartbeat_seconds(self.lease)
        try:
            while not self._stopping.wait(interval):
                try:
                    if not _renew_lease(self.token, self.lease):
                        self.lost = True
                        logger.warning("MIIT send lease lost; the sender stops after its current upload")
                        return
                except DatabaseError:
                    logger.warning("MIIT send lease not renewed (database error); trying again")
        finally:
            connections.close_all()  # this thread's connections only


def _release_lease(token: str) -> None:
    MiitSequence.objects.filter(id=1, send_lease_token=token).update(send_lease_until=None, send_lease_token="")


@dataclass(frozen=True)
class _Result:
    status: str
    code: int | None = None
    message: str = ""
    error_code: str = ""
    missing: tuple[int, ...] = ()


def _record_result(upload: MiitUpload, result: _Result, *, actor: User | None) -> None:
    now = timezone.now()
    with transaction.atomic():
        locked = MiitUpload.objects.select_for_update().get(pk=upload.pk)
        locked.status = result.status
        locked.response_code = result.code
        locked.response_message = result.message[:2000]
        locked.error_code = result.error_code
        locked.missing_sequences = list(result.missing)
        if result.status in (UploadStatus.ACCEPTED, UploadStatus.REJECTED):
            locked.answered_at = now
        locked.save(
            update_fields=[
                "status",
                "response_code",
                "response_message",
                "error_code",
                "missing_sequences",
                "answered_at",
            ]
        )
        audit_record(
            actor=actor,
            action="miit_upload.send",
            object_type="miit.upload",
            object_id=locked.pk,
            changes={
                "sequence": locked.sequence,
                "status": result.status,
                "response_code": result.code,
                "error": result.error_code,
                "attempt": locked.attempts,
            },
        )


def _mark_sending(upload: MiitUpload) -> None:
    """Record, before the call, that the upload is going out: a crash from here on leaves it ``sent`` (unknown)."""
    now = timezone.now()
    with transaction.atomic():
        locked = MiitUpload.objects.select_for_update().get(pk=upload.pk)
        locked.sent_at = locked.sent_at or now
        locked.kept_until = max(locked.kept_until, locked.sent_at + timedelta(days=upload_retention_days()))
        locked.attempts += 1
        locked.status = UploadStatus.SENT
        locked.save(update_fields=["sent_at", "kept_until", "attempts", "status"])


def _send_one(client: MiitPort, upload: MiitUpload, *, actor: User | None) -> _Result:
    document = upload_document(upload)
    if document is None:  # purged: only accepted uploads are purged, so this cannot be pending
        return _Result(status=upload.status, error_code="purged")
    settings = client.settings
    packed = pack(
        document, file_name=upload.file_name, encrypt_algorithm=settings.encrypt_algorithm, key=settings.aes_key
    )
    previous_status = upload.status
    outcome_unknown_before = previous_status in (UploadStatus.SENT, UploadStatus.UNKNOWN)
    _mark_sending(upload)
    try:
        outcome: UploadOutcome = client.upload(
            packed=packed, sequence=upload.sequence, document=document, check_first=outcome_unknown_before
        )
    except Unreachable as error:
        # Nothing reached the province: the upload is as it was before this attempt.
        restored = UploadStatus.UNKNOWN if outcome_unknown_before else previous_status
        if restored == UploadStatus.SENT:
            restored = UploadStatus.UNKNOWN
        return _Result(status=restored, message=error.reason, error_code=error.code)
    except SoapFault as fault:
        # A client fault: refused unread. A server fault is raised only after the province said (through
        # isp_querypreviousupload) that it has not accepted this number. Either way the number is not consumed.
        kind = "soap_client_fault" if fault.client_fault else "soap_server_fault"
        return _Result(status=UploadStatus.REJECTED, message=fault.reason, error_code=kind)
    except TransportError as error:
        return _Result(status=UploadStatus.UNKNOWN, message=error.reason, error_code=error.code)
    if outcome.accepted:
        return _Result(status=UploadStatus.ACCEPTED, code=outcome.code, message=outcome.message)
    answer = outcome.answer
    assert answer is not None  # noqa: S101 - a refusal always comes with the province's answer
    return _Result(
        status=UploadStatus.REJECTED,
        code=answer.msg_code,
        message=f"{answer.meaning} — {answer.msg}".strip(" —"),
        missing=answer.missing_sequences,
    )


def miit_upload_send(*, upload_id: int, actor: User | None = None, client: MiitPort | None = None) -> MiitUpload:
    """Send the upload, after every earlier one that the province has not accepted yet, in sequence order.

    Stops at the first upload that is not accepted (later ones would be refused as a gap). Records each answer
    (status, ``msg_code`` and its meaning, times) with an audit event. An upload whose earlier outcome is unknown
    is first checked with ``isp_querypreviousupload``; see ``regdesk.miit.transport``. Raises ``SenderBusy`` when
    another process is sending (it will send this one too), or when this sender lost its lease on the way.
    """
    client = client or get_client()
    lease = _lease_seconds()
    token = _acquire_lease(lease)
    if token is None:
        raise SenderBusy()
    try:
        with _LeaseKeeper(token, lease) as keeper:
            target = MiitUpload.objects.get(pk=upload_id)
            pending = (
                MiitUpload.objects.filter(sequence__lte=target.sequence)
                .exclude(status=UploadStatus.ACCEPTED)
                .order_by("sequence")
            )
            for upload in pending:
                if keeper.lost or not _renew_lease(token, lease):
                    raise SenderBusy()
                result = _send_one(client, upload, actor=actor)
                _record_result(upload, result, actor=actor)
                if result.status != UploadStatus.ACCEPTED:
                    break
    finally:
        _release_lease(token)
    return MiitUpload.objects.get(pk=upload_id)


def retry_due(upload: MiitUpload) -> bool:
    """Whether sending again later may succeed without anyone changing anything."""
    if upload.status == UploadStatus.REJECTED:
        return upload.response_code in TRANSIENT_RETURN_CODES or upload.error_code in RETRYABLE_ERRORS
    if upload.status in (UploadStatus.PREPARED, UploadStatus.UNKNOWN, UploadStatus.SENT):
        return upload.error_code in RETRYABLE_ERRORS or upload.error_code == ""
    return False


def miit_upload_purge(*, actor: User | None = None, now: datetime | None = None) -> int:
    """Delete the documents of accepted uploads past ``kept_until`` (≥ 3 months after sending); keep the rows."""
    now = now or timezone.now()
    with transaction.atomic():
        due = list(
            MiitUpload.objects.select_for_update()
            .filter(status=UploadStatus.ACCEPTED, kept_until__lt=now, document__isnull=False)
            .values_list("pk", "sequence")
        )
        if not due:
            return 0
        MiitUpload.objects.filter(pk__in=[pk for pk, _sequence in due]).update(document=None, purged_at=now)
        audit_record(
            actor=actor,
            action="miit_upload.purge",
            object_type="miit.upload",
            object_id="retention",
            changes={"count": len(due), "sequences": [sequence for _pk, sequence in due]},
        )
    return len(due)


def miit_upload_export(*, actor: User | None, directory: Path) -> int:
    """Write every upload that has been sent, as the GBK document that was sent, to ``<sequence>-<op>.xml``.

    The files hold personal data: the export is written to the audit trail. Purged uploads are skipped.
    """
    directory.mkdir(parents=True, exist_ok=True)
    count = 0
    sequences: list[int] = []
    for upload in MiitUpload.objects.filter(sent_at__isnull=False).order_by("sequence"):
        document = upload_document(upload)
        if document is None:
            continue
        path = directory / f"{upload.sequence}-{upload.operation}.xml"
        path.write_bytes(document)
        path.chmod(0o600)
        count += 1
        sequences.append(upload.sequence)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="miit_upload.export",
            object_type="miit.upload",
            object_id="export",
            changes={"count": count, "sequences": sequences},
            purpose="export of sent uploads",
        )
    return count


# ----------------------------------------------------------------------------------------------------------------
# Downloads
# ----------------------------------------------------------------------------------------------------------------


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
