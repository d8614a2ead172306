"""Uploads: preparing with the next sequence number, sending in order under the lease, purging and exporting."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from regdesk.audit.services import audit_record
from regdesk.miit.codec.packing import pack
from regdesk.miit.codec.upload import count_records, encode_new_filings
from regdesk.miit.codec.xml import parse_bytes
from regdesk.miit.codes import TRANSIENT_RETURN_CODES
from regdesk.miit.config import (
    miit_settings,
    send_automatically,
    upload_retention_days,
)
from regdesk.miit.models import (
    MiitUpload,
    UploadOperation,
    UploadStatus,
)
from regdesk.miit.records import NewFiling
from regdesk.miit.services.common import _counter, _seal, file_name_for, get_client, upload_document
from regdesk.miit.services.errors import (
    SenderBusy,
    UnsupportedOperation,
)
from regdesk.miit.services.lease import (
    _acquire_lease,
    _lease_seconds,
    _LeaseKeeper,
    _release_lease,
    _renew_lease,
)
from regdesk.miit.transport import MiitPort, SoapFault, TransportError, Unreachable, UploadOutcome

if TYPE_CHECKING:
    from regdesk.accounts.models import User


logger = logging.getLogger(__name__)

# Transport errors after which sending again later may succeed without anyone changing anything.
RETRYABLE_ERRORS = frozenset({"unreachable", "outcome_unknown", "server_error", "soap_server_fault"})


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
