"""Reads of the retention purge: what would expire now, and the evidence of earlier runs."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from regdesk.subscribers.config import reading_retention_days, retention_days
from regdesk.subscribers.models import CardReading, Line, LineStatus, PurgeRecord, Registration
from regdesk.subscribers.retention.services import erased_number_index


@dataclass(frozen=True)
class PurgeCandidates:
    cutoff: datetime.datetime
    lines: int
    registrations_without_line: int
    unused_card_readings: int

    @property
    def total(self) -> int:
        return self.lines + self.registrations_without_line + self.unused_card_readings


def purge_candidates(now: datetime.datetime | None = None) -> PurgeCandidates:
    """How many records the purge would remove now (a dry run; nothing is changed)."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=retention_days())
    reading_cutoff = now - datetime.timedelta(days=reading_retention_days())
    referenced = set(
        Registration.objects.filter(subscriber_reading__isnull=False).values_list("subscriber_reading_id", flat=True)
    ) | set(
        Registration.objects.filter(representative_reading__isnull=False).values_list(
            "representative_reading_id", flat=True
        )
    )
    return PurgeCandidates(
        cutoff=cutoff,
        lines=Line.objects.filter(status=LineStatus.CANCELLED, status_changed_at__lt=cutoff)
        .exclude(number_index=erased_number_index())
        .count(),
        registrations_without_line=Registration.objects.filter(
            line__isnull=True, target_line__isnull=True, updated_at__lt=cutoff
        )
        .filter(Q(case__isnull=True) | Q(case__is_open=False))
        .count(),
        unused_card_readings=CardReading.objects.filter(consumed_at__isnull=True, verified_at__lt=reading_cutoff)
        .exclude(pk__in=referenced)
        .count(),
    )


def recent_purges(limit: int = 10) -> list[PurgeRecord]:
    return list(PurgeRecord.objects.order_by("-ran_at", "-pk")[:limit])
