"""Writes of subscriber-base imports: a job from an upload or a path, running it batch by batch, and classifying
the imported lines again.

The import streams the file (``readers``), parses each row (``columns``), refuses bad rows one by one (row number,
column, code; never the value) and writes each batch of good rows in one transaction with one audit event
(``writer``). Re-importing a file updates the lines it created: the line number is the key.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import IntegrityError, connection, reset_queries, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from regdesk.accounts.permissions import has_role, unit_descendant_ids
from regdesk.accounts.roles import Role
from regdesk.audit.services import audit_record
from regdesk.cases.deadlines import LOCAL_ZONE
from regdesk.subscribers import config
from regdesk.subscribers.imports.classification import REAL_NAME_STATE_OF, classify_holder
from regdesk.subscribers.imports.columns import ParsedRow, RowError, parse_row
from regdesk.subscribers.imports.readers import Batch, FileRefused, Position, open_reader
from regdesk.subscribers.imports.writer import BatchResult, write_batch
from regdesk.subscribers.models import (
    CampaignLine,
    ImportFormat,
    ImportJob,
    ImportRowError,
    ImportStatus,
    Line,
    LineDispute,
    LineRecord,
    LineStatus,
    RegistrationEvent,
)
from regdesk.subscribers.services.errors import RegistrationRefused

if TYPE_CHECKING:
    from regdesk.accounts.models import OrgUnit, User

logger = logging.getLogger(__name__)

IMPORT_ROLES = (Role.COMPLIANCE_OFFICER,)
MAX_BATCH_SIZE = 50_000

ProgressHook = Callable[[ImportJob, Position], None]
BatchHook = Callable[[int, Position], None]


def can_import_at(user: User | None, unit: OrgUnit) -> bool:
    """Compliance officers over the unit import subscriber bases for its outlets."""
    return has_role(user, *IMPORT_ROLES, unit=unit)


def _file_label(name: str) -> str:
    # Only the extension and a length: an operator's file name may itself carry a customer's name or number.
    suffix = Path(name).suffix.lower()[:10]
    return f"upload{suffix}"


def import_job_create(
    *, actor: User | None, unit: OrgUnit, file_format: str, upload: File[bytes] | None = None, path: str = ""
) -> ImportJob:
    """Record an import of a subscriber base for the outlets under ``unit``: from an upload (stored until the
    worker has read it, then the worker is asked to run the job after commit) or from a file on this machine
    (``path``, for ``regdesk lines import``, run by the caller). Compliance officers over the unit, or the
    system."""
    if file_format not in ImportFormat.values:
        raise RegistrationRefused("format_invalid", _("The file must be CSV or Parquet."), field="file_format")
    if actor is not None and not can_import_at(actor, unit):
        raise RegistrationRefused("forbidden", _("You may not import lines for this unit."), status=403)
    if (upload is None) == (not path):
        raise RegistrationRefused("file_missing", _("Choose the file to import."), field="file")
    stored = ""
    size = 0
    if upload is not None:
        size = int(upload.size or 0)
        limit = config.import_max_upload_bytes()
        if size == 0 or size > limit:
            raise RegistrationRefused(
                "file_size", _("The file is empty or larger than the import allows."), field="file"
            )
        stored = default_storage.save(f"imports/{uuid.uuid4().hex}.{file_format}", upload)
    else:
        size = Path(path).stat().st_size
    with transaction.atomic():
        job = ImportJob.objects.create(
            unit=unit,
            created_by=actor,
            file_format=file_format,
            stored_file=stored,
            file_label=_file_label(upload.name or "") if upload is not None else _file_label(path),
            bytes_total=size,
        )
        audit_record(
            actor=actor,
            action="line_import.create",
            object_type="subscribers.importjob",
            object_id=job.pk,
            changes={"format": file_format, "bytes": size, "unit": unit.code},
            unit=unit,
        )
        if upload is not None:
            transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id: int) -> None:
    from regdesk.subscribers.imports.tasks import run_import

    run_import.enqueue(job_id)


def import_outlets(job: ImportJob) -> dict[str, OrgUnit]:
    """Outlet code → unit for every outlet the job may write to: outlets (units with a registration profile)
    under the job's unit, and for a person's job only those where they are a compliance officer."""
    from regdesk.accounts.models import OrgUnit

    allowed = unit_descendant_ids([job.unit_id])
    if job.created_by is not None:
        from regdesk.subscribers.permissions import units_for_roles

        allowed &= units_for_roles(job.created_by, IMPORT_ROLES)
    outlets = OrgUnit.objects.filter(pk__in=allowed, active=True, outlet_profile__isnull=False)
    return {unit.code: unit for unit in outlets}


def _today() -> dt.date:
    return timezone.now().astimezone(LOCAL_ZONE).date()


def lines_import_batch(
    *,
    actor: User | None,
    job: ImportJob,
    rows: list[ParsedRow],
    refused: list[RowError],
    outlets: dict[str, OrgUnit],
    position: Position,
) -> BatchResult:
    """Write one batch in one transaction: the good rows (``writer.write_batch``), the refused rows' errors, the
    job's progress, and one audit event with the counts (no personal data)."""
    now = timezone.now()
    with transaction.atomic():
        result = write_batch(job=job, rows=rows, outlets=outlets, now=now) if rows else BatchResult()
        errors = sorted([*refused, *result.refused], key=lambda error: error.row_number)
        room = max(0, config.import_max_row_errors() - job.row_errors.count()) if errors else 0
        if room:
            ImportRowError.objects.bulk_create(
                [ImportRowError(job=job, row_number=e.row_number, field=e.field, code=e.code) for e in errors[:room]]
            )
        failed_rows = len({error.row_number for error in errors})
        job.rows_read = position.rows_read
        job.bytes_read = position.bytes_read
        job.rows_total = position.rows_total
        job.rows_created += result.created
        job.rows_updated += result.updated
        job.rows_failed += failed_rows
        groups = Counter(job.groups)
        groups.update(result.groups)
        job.groups = dict(groups)
        job.save(
            update_fields=[
                "rows_read",
                "bytes_read",
                "rows_total",
                "rows_created",
                "rows_updated",
                "rows_failed",
                "groups",
            ]
        )
        audit_record(
            actor=actor,
            action="line_import.batch",
            object_type="subscribers.importjob",
            object_id=job.pk,
            changes={
                "rows_read": position.rows_read,
                "created": result.created,
                "updated": result.updated,
                "refused": failed_rows,
            },
            unit=job.unit,
        )
    return result


def _parse(batch: Batch, outlets: dict[str, OrgUnit], today: dt.date) -> tuple[list[ParsedRow], list[RowError]]:
    rows: list[ParsedRow] = []
    errors: list[RowError] = []
    for row_number, raw in batch:
        parsed = parse_row(row_number, raw, today)
        if isinstance(parsed, list):
            errors.extend(parsed)
        elif parsed.outlet not in outlets:
            # The same answer for an unknown outlet and one outside the importer's reach.
            errors.append(RowError(row_number, "outlet", "unknown"))
        else:
            rows.append(parsed)
    return rows, errors


def _set_status(job: ImportJob, *, actor: User | None, status: str, error_code: str = "") -> None:
    now = timezone.now()
    with transaction.atomic():
        job.status = status
        job.error_code = error_code
        fields = ["status", "error_code"]
        if status == ImportStatus.RUNNING:
            job.started_at = now
            fields.append("started_at")
        else:
            job.finished_at = now
            fields.append("finished_at")
        job.save(update_fields=fields)
        audit_record(
            actor=actor,
            action=f"line_import.{status}",
            object_type="subscribers.importjob",
            object_id=job.pk,
            changes={
                "rows_read": job.rows_read,
                "created": job.rows_created,
                "updated": job.rows_updated,
                "refused": job.rows_failed,
                "groups": job.groups,
                "error": error_code,
            },
            unit=job.unit,
        )


def _widen_sqlite_cache() -> None:
    """A larger page cache for this connection on SQLite: the blind indexes are random keys, and with SQLite's
    default 2 MB cache every insert into a growing index reads pages again. Bounded, and not per row."""
    if connection.vendor == "sqlite":
        kib = config.import_sqlite_cache_kib()
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size=-{max(2000, kib)}")


def import_job_run(
    *,
    job: ImportJob,
    path: Path | None = None,
    batch_size: int | None = None,
    encoding: str = "utf-8-sig",
    on_progress: ProgressHook | None = None,
    on_batch: BatchHook | None = None,
) -> ImportJob:
    """Run a queued job to the end: stream the file (the stored upload, or ``path``), write it batch by batch,
    and close the job as ``done`` (bad rows are errors of their own and do not stop it) or ``failed`` (a file
    that cannot be read on: wrong format, a missing column, broken encoding; the batches before stay written).

    ``on_batch`` is called with the size of every batch the reader hands over and the reader's position, before
    the batch is written;
    ``on_progress`` after each batch with the job and the reader's position.
    """
    size = batch_size or config.import_batch_size()
    if not 1 <= size <= MAX_BATCH_SIZE:
        raise RegistrationRefused("batch_size", _("The batch size is out of range."), field="batch_size")
    job = ImportJob.objects.select_related("unit", "created_by").get(pk=job.pk)
    if job.status != ImportStatus.QUEUED:
        raise RegistrationRefused("job_not_queued", _("This import has already run."), field="job")
    actor = job.created_by
    _set_status(job, actor=actor, status=ImportStatus.RUNNING)
    source = path
    if source is None:
        source = Path(default_storage.path(job.stored_file))
    outlets = import_outlets(job)
    today = _today()
    _widen_sqlite_cache()
    reader = open_reader(source, job.file_format, batch_size=size, encoding=encoding)
    try:
        for batch in reader.batches():
            if on_batch is not None:
                on_batch(len(batch), reader.position)
            rows, errors = _parse(batch, outlets, today)
            del batch
            try:
                lines_import_batch(
                    actor=actor, job=job, rows=rows, refused=errors, outlets=outlets, position=reader.position
                )
            except IntegrityError:
                # A line created concurrently (another import, a counter): read again and update it instead.
                job.refresh_from_db()
                lines_import_batch(
                    actor=actor, job=job, rows=rows, refused=errors, outlets=outlets, position=reader.position
                )
            # With DEBUG on, Django keeps the last 9,000 queries (bulk inserts are long): memory would grow.
            reset_queries()
            if on_progress is not None:
                on_progress(job, reader.position)
    except FileRefused as refused:
        if refused.row_number:
            with transaction.atomic():
                ImportRowError.objects.create(job=job, row_number=refused.row_number, field="file", code=refused.code)
        _set_status(job, actor=actor, status=ImportStatus.FAILED, error_code=refused.code)
        return job
    except Exception:
        # Logged without data (the exception may quote a value); the job must not stay "running" for ever.
        logger.exception("import job %s stopped", job.pk)
        _set_status(job, actor=actor, status=ImportStatus.FAILED, error_code="internal")
        raise
    finally:
        if job.stored_file:
            default_storage.delete(job.stored_file)
            ImportJob.objects.filter(pk=job.pk).update(stored_file="")
            job.stored_file = ""
    _set_status(job, actor=actor, status=ImportStatus.DONE)
    return job


def lines_classify(*, actor: User | None, unit: OrgUnit | None = None, batch_size: int = 1000) -> Counter[str]:
    """Classify every imported line again with the current rules (``regdesk.rules.realname``), e.g. after the
    rules changed or disputes were decided. Lines in an open campaign or registered at a counter since keep
    their state; the others get their group's registration state (and ``unregistered`` ↔ ``active``). One
    transaction and one audit event per batch. Returns the number of lines per group."""
    if actor is not None and (unit is None or not can_import_at(actor, unit)):
        raise RegistrationRefused("forbidden", _("You may not classify lines for this unit."), status=403)
    totals: Counter[str] = Counter()
    records = LineRecord.objects.select_related("line").order_by("pk")
    if unit is not None:
        records = records.filter(line__outlet_id__in=unit_descendant_ids([unit.pk]))
    last_pk = 0
    while True:
        batch = list(records.filter(pk__gt=last_pk)[:batch_size])
        if not batch:
            return totals
        last_pk = batch[-1].pk
        totals.update(_classify_batch(actor=actor, unit=unit, batch=batch))


def _classify_batch(*, actor: User | None, unit: OrgUnit | None, batch: list[LineRecord]) -> Counter[str]:
    line_ids = [record.line_id for record in batch]
    counter_registered = set(
        RegistrationEvent.objects.filter(line_id__in=line_ids, registration__isnull=False).values_list(
            "line_id", flat=True
        )
    )
    in_campaign = set(CampaignLine.objects.filter(line_id__in=line_ids, is_open=True).values_list("line_id", flat=True))
    disputed = set(
        LineDispute.objects.filter(line_id__in=line_ids, outcome="confirm").values_list("line_id", flat=True)
    )
    now = timezone.now()
    counts: Counter[str] = Counter()
    changed_lines: list[Line] = []
    with transaction.atomic():
        for record in batch:
            classification, _check = classify_holder(
                holder_kind=record.holder_kind or "individual",
                document_type=record.document_type,
                document_number=record.document_number.reveal() if record.document_number is not None else "",
                name=record.name.reveal() if record.name is not None else "",
                address=record.address.reveal() if record.address is not None else "",
                unit_line=record.unit_line,
                owner_not_user=record.owner_not_user,
                dispute_confirmed=record.line_id in disputed,
                registered_since=record.line_id in counter_registered,
            )
            record.group = str(classification.group)
            record.reasons = [str(reason) for reason in classification.reasons]
            record.classified_at = now
            counts[record.group] += 1
            line = record.line
            if line.pk in in_campaign or line.pk in counter_registered or line.status == LineStatus.CANCELLED:
                continue
            line.real_name_state = REAL_NAME_STATE_OF[classification.group]
            if classification.registered and line.status == LineStatus.UNREGISTERED:
                line.status, line.status_changed_at = LineStatus.ACTIVE, now
            elif not classification.registered and line.status == LineStatus.ACTIVE:
                line.status, line.status_changed_at = LineStatus.UNREGISTERED, now
            line.updated_at = now
            changed_lines.append(line)
        LineRecord.objects.bulk_update(batch, ["group", "reasons", "classified_at"])
        Line.objects.bulk_update(changed_lines, ["real_name_state", "status", "status_changed_at", "updated_at"])
        audit_record(
            actor=actor,
            action="line_import.classify",
            object_type="subscribers.linerecord",
            object_id=f"{batch[0].pk}-{batch[-1].pk}",
            changes={"lines": len(batch), "groups": dict(counts)},
            unit=unit,
        )
    return counts


def visible_jobs_filter(user: User) -> Q:
    from regdesk.subscribers.permissions import units_for_roles

    return Q(unit_id__in=units_for_roles(user, (Role.COMPLIANCE_OFFICER, Role.AUDITOR)))
