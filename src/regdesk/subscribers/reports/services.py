"""Writes of the real-name-rate report: the daily snapshot, and the audited downloads."""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from regdesk.audit.services import audit_record
from regdesk.rules.realname_rate import ZERO
from regdesk.subscribers.models import RealNameRateSnapshot
from regdesk.subscribers.reports.selectors import RateReport, estimated_snapshot_rows, outlet_snapshot_rows

if TYPE_CHECKING:
    from regdesk.accounts.models import User

EXPORT_FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def rate_snapshot_take(*, actor: User | None = None, now: datetime.datetime | None = None) -> int:
    """Record the real-name rate of every outlet as of today (Asia/Shanghai): the task ``realname_rate_snapshot``
    runs it daily, and running it again the same day replaces the day's rows. Returns the number of outlets."""
    now = now or timezone.now()
    day = timezone.localdate(now)
    with transaction.atomic():
        rows = outlet_snapshot_rows()
        overall = ZERO
        kept: list[int] = []
        for outlet_id, channel, region_code, count in rows:
            overall = overall + count
            # update_or_create: a second run the same day (or one running at the same time) replaces the row; the
            # unique (day, outlet) constraint turns a concurrent insert into an update.
            snapshot, _created = RealNameRateSnapshot.objects.update_or_create(
                day=day,
                outlet_id=outlet_id,
                defaults={
                    "channel": channel,
                    "region_code": region_code,
                    "lines_total": count.total,
                    "lines_registered": count.registered,
                    "taken_at": now,
                },
            )
            kept.append(snapshot.pk)
        # Outlets that no longer sell lines since the earlier run of the day.
        RealNameRateSnapshot.objects.filter(day=day).exclude(pk__in=kept).delete()
        audit_record(
            actor=actor,
            action="realname_rate.snapshot",
            object_type="subscribers.realnameratesnapshot",
            object_id=day.isoformat(),
            changes={"outlets": len(rows), "lines": overall.total, "registered": overall.registered},
        )
    return len(rows)


def _end_of_day(day: datetime.date) -> datetime.datetime:
    """Midnight after ``day`` in the current time zone (Asia/Shanghai): the moment a day's snapshot describes."""
    return datetime.datetime.combine(
        day + datetime.timedelta(days=1), datetime.time.min, tzinfo=timezone.get_current_timezone()
    )


def rate_snapshot_backfill(
    *,
    actor: User | None,
    date_from: datetime.date,
    date_to: datetime.date | None = None,
    now: datetime.datetime | None = None,
) -> int:
    """Record a snapshot for every day from ``date_from`` to ``date_to`` (yesterday by default) that has none, so
    that a new installation (the demo) draws a series before the daily task has run for long. Returns the number of
    days recorded; running it again records nothing (idempotent), and a day that has a snapshot keeps it.

    The past is estimated from the lines as they are now (see ``RealNameRateSnapshot``): a line counts on a day
    when it was opened before the day's end and not cancelled before it, in its current registration state.
    Raises ``ValueError`` for a range that is empty or reaches today (today's value is always computed live).
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    date_to = date_to or today - datetime.timedelta(days=1)
    if date_to >= today:
        raise ValueError("a back-filled day must lie before today")
    if date_from > date_to:
        raise ValueError("the first day lies after the last")
    days = [date_from + datetime.timedelta(days=offset) for offset in range((date_to - date_from).days + 1)]
    with transaction.atomic():
        taken = set(
            RealNameRateSnapshot.objects.filter(day__gte=date_from, day__lte=date_to)
            .values_list("day", flat=True)
            .distinct()
        )
        missing = [day for day in days if day not in taken]
        estimates = estimated_snapshot_rows([_end_of_day(day) for day in missing])
        snapshots = [
            RealNameRateSnapshot(
                day=day,
                outlet_id=outlet_id,
                channel=channel,
                region_code=region_code,
                lines_total=count.total,
                lines_registered=count.registered,
                taken_at=now,
            )
            for day, rows in zip(missing, estimates, strict=True)
            for outlet_id, channel, region_code, count in rows
        ]
        # ignore_conflicts: a daily snapshot (or another back-fill) that lands meanwhile wins over the estimate.
        RealNameRateSnapshot.objects.bulk_create(snapshots, ignore_conflicts=True, batch_size=500)
        if missing:
            audit_record(
                actor=actor,
                action="realname_rate.backfill",
                object_type="subscribers.realnameratesnapshot",
                object_id=f"{missing[0].isoformat()}/{missing[-1].isoformat()}",
                changes={"days": len(missing), "rows": len(snapshots)},
            )
    return len(missing)


@dataclass(frozen=True)
class ExportFile:
    filename: str
    content_type: str
    content: bytes


def rate_report_export(*, actor: User, report: RateReport, file_format: str) -> ExportFile:
    """The report as an XLSX workbook or an A4 PDF, written to the audit trail as a bulk export of aggregate data
    (the filters, the format and the file's SHA-256; the report holds no personal data)."""
    if file_format not in EXPORT_FORMATS:
        raise ValueError(f"unknown export format {file_format!r}")
    if file_format == "xlsx":
        from regdesk.subscribers.reports.xlsx import report_workbook

        content = report_workbook(report)
    else:
        from regdesk.subscribers.reports.pdf import report_pdf

        content = report_pdf(report)
    stamp = timezone.localtime(report.generated_at).strftime("%Y%m%d-%H%M")
    filters = report.filters
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="realname_report.export",
            object_type="subscribers.realnamereport",
            object_id=file_format,
            changes={
                "format": file_format,
                "unit": filters.unit_code,
                "channel": filters.channel,
                "region": filters.region,
                "from": filters.date_from.isoformat(),
                "to": filters.date_to.isoformat(),
                "granularity": filters.granularity,
                "lines": report.overall.total,
                "sha256": hashlib.sha256(content).hexdigest(),
            },
            purpose="bulk export of the real-name rate (aggregate data, no personal data)",
        )
    return ExportFile(f"realname-rate-{stamp}.{file_format}", EXPORT_FORMATS[file_format], content)
