"""The demo back-fills the rate's daily snapshots (through ``rate_snapshot_backfill``), so that a new installation's
trend chart has a point on every day of the selected range: estimated from when each line was opened and
cancelled, idempotent, and never replacing a snapshot the daily task took."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from pytest_django import Settings

from regdesk.accounts.models import User
from regdesk.accounts.roles import Role, UnitKind
from regdesk.audit.models import AuditEvent
from regdesk.rules.realname_rate import RateCount
from regdesk.subscribers import demo
from regdesk.subscribers.models import RealNameRateSnapshot
from regdesk.subscribers.reports.selectors import snapshot_totals
from regdesk.subscribers.reports.services import rate_snapshot_backfill, rate_snapshot_take
from tests.accounts.helpers import login_fully, make_unit, make_user

pytestmark = pytest.mark.django_db
PAGE = "/desk/subscribers/reports/"
TODAY = dt.date(2026, 12, 8)


@pytest.fixture
def demo_loaded(settings: Settings, tmp_path: Path, client: Client) -> Client:
    settings.VAR_DIR = tmp_path
    provider = make_unit("provider", UnitKind.PROVIDER)
    branch = make_unit("bj-branch", UnitKind.BRANCH, parent=provider)
    hall = make_unit("bj-chaoyang-hall", UnitKind.OUTLET, parent=branch)
    make_unit("agent-xinda", UnitKind.AGENT, parent=branch)
    make_unit("agent-hengtong", UnitKind.AGENT, parent=branch)
    make_user("clerk", (hall, Role.COUNTER_CLERK))
    make_user("compliance", (provider, Role.COMPLIANCE_OFFICER))
    return client


def chart_series(client: Client, query: str) -> dict[str, Any]:
    response = client.get(f"{PAGE}?{query}")
    assert response.status_code == 200
    content = response.content.decode()
    data = json.loads(content.split('id="realname-chart-data" type="application/json">')[1].split("</script>")[0])
    series: dict[str, Any] = data["series"]
    return series


@time_machine.travel(dt.datetime(2026, 12, 8, 10, 0, tzinfo=dt.UTC), tick=False)
def test_after_the_demo_loads_the_trend_has_a_point_on_every_day(demo_loaded: Client) -> None:
    login_fully(demo_loaded, User.objects.get(username="compliance"))
    result = demo.load()
    # The report's default period: twelve months back from the first of the month, up to yesterday.
    assert result["snapshot_days_backfilled"] == (TODAY - dt.date(2026, 1, 1)).days
    series = chart_series(demo_loaded, "granularity=day&date_from=2026-11-01&date_to=2026-12-08")
    assert series["labels"] == [(dt.date(2026, 11, 1) + dt.timedelta(days=n)).isoformat() for n in range(38)]
    assert None not in series["rates"]
    # Every month of the default monthly series has its value too, and the rate moves as lines were opened.
    monthly = chart_series(demo_loaded, "")
    assert len(monthly["labels"]) == 12
    assert None not in monthly["rates"]
    assert len(set(monthly["rates"])) > 3
    # 40 days ago five of the nine demo lines in service were registered (the cancelled one was still in service).
    assert series["rates"][0] == 55.56
    assert series["rates"][-1] == 50.0  # today, live: the cancelled line no longer counts

    # Idempotent: loading again records nothing and leaves the rows as they were.
    rows = RealNameRateSnapshot.objects.count()
    assert demo.load()["snapshot_days_backfilled"] == 0
    assert RealNameRateSnapshot.objects.count() == rows
    assert AuditEvent.objects.filter(action="realname_rate.backfill").count() == 1


def test_a_back_fill_never_replaces_a_snapshot_the_daily_task_took() -> None:
    hall = make_unit("hall-x", UnitKind.OUTLET)
    from regdesk.subscribers.services import line_take_over, outlet_configure

    outlet_configure(actor=None, unit=hall, channel="own_hall")
    now = timezone.now()
    yesterday = timezone.localdate(now) - dt.timedelta(days=1)
    line_take_over(
        actor=None,
        outlet=hall,
        number="13900000001",
        line_kind="mobile",
        payment="prepaid",
        status="active",
        real_name_state="temporary_account",
        opened_at=now - dt.timedelta(days=10),
    )
    # The daily task ran yesterday and saw no line at all (say the line was imported since).
    with time_machine.travel(now - dt.timedelta(days=1), tick=False):
        RealNameRateSnapshot.objects.all().delete()
        rate_snapshot_take(actor=None)
        RealNameRateSnapshot.objects.filter(day=yesterday).update(lines_total=0, lines_registered=0)
    recorded = rate_snapshot_backfill(actor=None, date_from=yesterday - dt.timedelta(days=11))
    assert recorded == 11
    totals = snapshot_totals([hall.pk], yesterday - dt.timedelta(days=11), yesterday)
    assert totals[yesterday] == RateCount(0, 0)  # the task's snapshot stands
    assert totals[yesterday - dt.timedelta(days=1)] == RateCount(0, 1)  # opened ten days ago
    assert totals[yesterday - dt.timedelta(days=11)] == RateCount(0, 0)  # not yet opened
    with pytest.raises(ValueError, match="before today"):
        rate_snapshot_backfill(actor=None, date_from=yesterday, date_to=timezone.localdate(now))
