"""Reads of the MIIT adapter."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Max

from regdesk.miit.models import MiitDownload, MiitSequence, MiitUpload, UploadStatus


@dataclass(frozen=True)
class UploadSummary:
    """The state of the upload queue, for ``regdesk miit status`` and dashboards."""

    last_allocated: int
    last_accepted: int
    by_status: dict[str, int]
    blocking: MiitUpload | None
    downloads: int
    last_download_at: str | None

    @property
    def needs_attention(self) -> bool:
        """An upload is refused or its outcome unknown: later uploads wait behind it."""
        return self.blocking is not None and self.blocking.status in (UploadStatus.REJECTED, UploadStatus.UNKNOWN)


def upload_summary() -> UploadSummary:
    counter = MiitSequence.objects.filter(id=1).first()
    by_status = {row["status"]: row["count"] for row in MiitUpload.objects.values("status").annotate(count=Count("id"))}
    last_accepted = MiitUpload.objects.filter(status=UploadStatus.ACCEPTED).aggregate(last=Max("sequence"))["last"] or 0
    blocking = MiitUpload.objects.exclude(status=UploadStatus.ACCEPTED).order_by("sequence").first()
    last_download = MiitDownload.objects.order_by("-received_at").first()
    return UploadSummary(
        last_allocated=counter.last_allocated if counter is not None else 0,
        last_accepted=last_accepted,
        by_status=by_status,
        blocking=blocking,
        downloads=MiitDownload.objects.count(),
        last_download_at=last_download.received_at.isoformat() if last_download is not None else None,
    )


def upload_for_owner_record(owner_record_id: int) -> MiitUpload | None:
    """The latest upload that carried the owner with our ``IspZtid`` (the ``Bs`` of an XZBA result)."""
    for upload in MiitUpload.objects.exclude(record_keys=[]).order_by("-sequence").only("pk", "record_keys"):
        if owner_record_id in (upload.record_keys or []):
            return MiitUpload.objects.get(pk=upload.pk)
    return None


def uploads_to_retry() -> list[int]:
    """Ids of uploads that are not accepted, in sequence order."""
    return list(
        MiitUpload.objects.exclude(status=UploadStatus.ACCEPTED).order_by("sequence").values_list("pk", flat=True)
    )
