"""Alerts under concurrency, on PostgreSQL: many processes raising the same year leave one open alert."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from regdesk.audit.models import AuditEvent
from regdesk.calendars.models import CalendarAlert
from regdesk.calendars.services import calendar_alerts_raise

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
WORKERS = 8


def test_concurrent_raises_open_one_alert() -> None:
    barrier = threading.Barrier(WORKERS)

    def raise_alert() -> int:
        from django.db import connections

        try:
            barrier.wait(timeout=30)
            return len(calendar_alerts_raise(years=[2030, 2031]))
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        opened = list(pool.map(lambda _: raise_alert(), range(WORKERS)))
    assert sum(opened) == 2
    assert sorted(CalendarAlert.objects.filter(closed_at__isnull=True).values_list("year", flat=True)) == [2030, 2031]
    assert AuditEvent.objects.filter(action="calendar_alert.open").count() == 2
