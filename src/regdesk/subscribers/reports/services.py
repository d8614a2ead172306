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
from regdesk.subscribers.reports.selectors import RateReport, outlet_snapshot_rows

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
