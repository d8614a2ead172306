"""The real-name rate on the known data set: exact numbers per unit, channel, region and state, the filters, the
daily snapshots and the time series drawn from them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from pytest_django import Settings

from regdesk.accounts.permissions import unit_descendant_ids
from regdesk.audit.models import AuditEvent
from regdesk.rules.realname_rate import RateCount
from regdesk.subscribers.models import RealNameRateSnapshot
from regdesk.subscribers.reports.selectors import RateReport, RateRow, ReportFilters, rate_report
from regdesk.subscribers.reports.services import rate_snapshot_take
from regdesk.subscribers.reports.tasks import realname_rate_snapshot
from regdesk.subscribers.services import line_status_change
from tests.subscribers.test_report_dataset import Dataset, build_dataset

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: str, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour), tzinfo=SHANGHAI)


@pytest.fixture
def dataset() -> Dataset:
    with time_machine.travel(at("2026-01-10"), tick=False):
        return build_dataset()


def filters(data: Dataset, unit: str = "provider", **options: object) -> ReportFilters:
    values: dict[str, object] = {
        "unit_ids": frozenset(unit_descendant_ids([data.units[unit].pk])),
        "unit_code": unit,
        "date_from": dt.date(2026, 1, 1),
        "date_to": dt.date(2026, 3, 5),
    }
    values.update(options)
    return ReportFilters(**values)  # type: ignore[arg-type]


def rows(report_rows: list[RateRow]) -> dict[str, tuple[int, int, Decimal | None, int]]:
    return {row.key: (row.count.registered, row.count.total, row.percent, row.depth) for row in report_rows}


def report(data: Dataset, **options: Any) -> RateReport:
    with time_machine.travel(at("2026-03-05"), tick=False):
        return rate_report(filters(data, **options))


def test_the_overall_rate_counts_every_line_in_service_and_no_cancelled_one(dataset: Dataset) -> None:
    result = report(dataset)
    assert result.overall == RateCount(registered=11, total=15)
    assert result.overall.percent == Decimal("73.33")
    # Since 30 June 2017 every line must be registered.
    assert result.target is not None
    assert result.target.percent == Decimal(100)
    assert result.overall_meets is False
    assert result.next_target is None


def test_the_rate_by_unit_follows_the_tree_with_each_subtree_summed(dataset: Dataset) -> None:
    assert rows(report(dataset).by_unit) == {
        "provider": (11, 15, Decimal("73.33"), 0),
        "bj": (6, 10, Decimal("60.00"), 1),
        "agent-x": (1, 3, Decimal("33.33"), 2),
        "agent-x-shop": (1, 3, Decimal("33.33"), 3),
        "hall-a": (3, 4, Decimal("75.00"), 2),
        # Rounded half up: 2 of 3 is 66.666...
        "hall-b": (2, 3, Decimal("66.67"), 2),
        "gd": (5, 5, Decimal("100.00"), 1),
        "gd-online": (5, 5, Decimal("100.00"), 2),
    }
    order = [row.key for row in report(dataset).by_unit]
    assert order == ["provider", "bj", "agent-x", "agent-x-shop", "hall-a", "hall-b", "gd", "gd-online"]
    met = {row.key: row.meets for row in report(dataset).by_unit}
    assert met["gd"] is True
    assert met["bj"] is False


def test_the_rate_by_channel_lists_every_channel(dataset: Dataset) -> None:
    assert rows(report(dataset).by_channel) == {
        "own_hall": (3, 4, Decimal("75.00"), 0),
        "cooperating_hall": (2, 3, Decimal("66.67"), 0),
        "agent": (1, 3, Decimal("33.33"), 0),
        "online": (5, 5, Decimal("100.00"), 0),
    }


def test_the_rate_by_region_uses_the_outlets_code_or_the_nearest_above(dataset: Dataset) -> None:
    result = report(dataset)
    # Beijing's districts belong to the municipality directly (no prefecture-level city between).
    assert rows(result.by_region) == {
        "110000": (6, 10, Decimal("60.00"), 0),
        "440000": (5, 5, Decimal("100.00"), 0),
        "440300": (5, 5, Decimal("100.00"), 1),
    }
    labels = {row.key: row.label for row in result.by_region}
    assert labels == {"110000": "北京市", "440000": "广东省", "440300": "深圳市"}


def test_units_without_a_code_anywhere_above_fall_in_no_region(dataset: Dataset) -> None:
    from regdesk.accounts.models import OrgUnit

    OrgUnit.objects.filter(code__in=["bj"]).update(region_code="")
    result = rows(report(dataset).by_region)
    # hall-a and hall-b keep their own codes; the agent's outlet had only the branch's.
    assert result[""] == (1, 3, Decimal("33.33"), 0)
    assert result["110000"] == (5, 7, Decimal("71.43"), 0)


def test_the_registration_states_of_the_lines_in_service(dataset: Dataset) -> None:
    states = {row.state: row.lines for row in report(dataset).by_state}
    assert states == {
        "registered": 11,
        "temporary_account": 2,
        "incomplete": 0,
        "owner_not_user": 1,
        "unit_name": 1,
    }


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({"channel": "own_hall"}, RateCount(3, 4)),
        ({"channel": "online"}, RateCount(5, 5)),
        ({"region": "440000"}, RateCount(5, 5)),
        ({"region": "440300"}, RateCount(5, 5)),
        ({"region": "110105"}, RateCount(3, 4)),
        ({"region": "110000"}, RateCount(6, 10)),
        ({"unit": "bj"}, RateCount(6, 10)),
        ({"unit": "agent-x"}, RateCount(1, 3)),
        ({"unit": "bj", "channel": "online"}, RateCount(0, 0)),
    ],
)
def test_filters_narrow_every_breakdown(dataset: Dataset, options: dict[str, object], expected: RateCount) -> None:
    result = report(dataset, **options)
    assert result.overall == expected
    channel_total = sum((row.count.total for row in result.by_channel), 0)
    assert channel_total == expected.total
    top_units = [row for row in result.by_unit if row.depth == 0]
    assert top_units[0].count == expected


def test_no_lines_means_no_rate_rather_than_zero(dataset: Dataset) -> None:
    result = report(dataset, unit="bj", channel="online")
    assert result.overall.percent is None
    assert result.overall_meets is None


def test_configured_targets_replace_the_regulators(dataset: Dataset, settings: Settings) -> None:
    settings.REGDESK_REALNAME_RATE_TARGETS = "2026-01-01:70,2026-06-30:90"
    result = report(dataset)
    assert result.target is not None
    assert result.target.percent == Decimal(70)
    assert result.overall_meets is True
    assert result.next_target is not None
    assert result.next_target.effective == dt.date(2026, 6, 30)
    assert {row.key: row.meets for row in result.by_unit}["bj"] is False  # 60 % < 70 %


def test_snapshots_record_each_outlet_and_a_second_run_the_same_day_replaces_them(dataset: Dataset) -> None:
    with time_machine.travel(at("2026-01-31", 9), tick=False):
        assert rate_snapshot_take(actor=None) == 5
    with time_machine.travel(at("2026-01-31", 23), tick=False):
        line_status_change(
            actor=None,
            line=dataset.lines["agent-x-shop:unregistered:temporary_account"][0],
            status="cancelled",
            reason="test",
        )
        assert rate_snapshot_take(actor=None) == 5
    day = RealNameRateSnapshot.objects.filter(day=dt.date(2026, 1, 31))
    assert day.count() == 5
    shop = day.get(outlet=dataset.units["agent-x-shop"])
    assert (shop.lines_registered, shop.lines_total, shop.channel, shop.region_code) == (1, 2, "agent", "110000")
    assert day.get(outlet=dataset.units["hall-a"]).region_code == "110105"
    assert AuditEvent.objects.filter(action="realname_rate.snapshot", object_id="2026-01-31").count() == 2


def test_the_snapshot_task_runs_the_service(dataset: Dataset) -> None:
    with time_machine.travel(at("2026-02-01"), tick=False):
        result = realname_rate_snapshot.enqueue()
    assert result.return_value == 5
    assert RealNameRateSnapshot.objects.filter(day=dt.date(2026, 2, 1)).count() == 5


@pytest.fixture
def history(dataset: Dataset) -> Dataset:
    """Snapshots on 31 Jan (11/15), 10 Feb (11/14) and 20 Feb (11/13): temporary accounts cancelled in between."""
    temporary = dataset.lines["agent-x-shop:unregistered:temporary_account"]
    with time_machine.travel(at("2026-01-31"), tick=False):
        rate_snapshot_take(actor=None)
    with time_machine.travel(at("2026-02-10"), tick=False):
        line_status_change(actor=None, line=temporary[0], status="cancelled", reason="test")
        rate_snapshot_take(actor=None)
    with time_machine.travel(at("2026-02-20"), tick=False):
        line_status_change(actor=None, line=temporary[1], status="cancelled", reason="test")
        rate_snapshot_take(actor=None)
    return dataset


def series(result: RateReport) -> list[tuple[str, tuple[int, int] | None, str]]:
    return [
        (
            point.day.isoformat(),
            (point.count.registered, point.count.total) if point.count is not None else None,
            point.source,
        )
        for point in result.series
    ]


def test_the_monthly_series_takes_the_last_snapshot_of_each_month_and_today_live(history: Dataset) -> None:
    assert series(report(history)) == [
        ("2026-01-31", (11, 15), "snapshot"),
        ("2026-02-28", (11, 13), "snapshot"),
        ("2026-03-05", (11, 13), "live"),
    ]
    targets = {point.day.isoformat(): point.target for point in report(history).series}
    assert targets["2026-01-31"] == Decimal(100)


def test_the_daily_series_has_gaps_where_no_snapshot_was_taken(history: Dataset) -> None:
    result = report(history, date_from=dt.date(2026, 2, 9), date_to=dt.date(2026, 2, 11), granularity="day")
    assert series(result) == [
        ("2026-02-09", None, ""),
        ("2026-02-10", (11, 14), "snapshot"),
        ("2026-02-11", None, ""),
    ]


def test_the_series_follows_the_filters(history: Dataset) -> None:
    assert series(report(history, channel="agent"))[:2] == [
        ("2026-01-31", (1, 3), "snapshot"),
        ("2026-02-28", (1, 1), "snapshot"),
    ]
    assert series(report(history, region="440000"))[:2] == [
        ("2026-01-31", (5, 5), "snapshot"),
        ("2026-02-28", (5, 5), "snapshot"),
    ]
    assert series(report(history, unit="hall-b"))[0] == ("2026-01-31", (2, 3), "snapshot")


def test_a_month_without_a_snapshot_is_a_gap_not_the_previous_months_value(history: Dataset) -> None:
    result = report(history, date_from=dt.date(2025, 12, 1))
    assert series(result)[0] == ("2025-12-31", None, "")
