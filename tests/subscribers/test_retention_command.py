"""``regdesk realname purge-expired`` and ``regdesk realname snapshot`` from the command line."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError

from regdesk.subscribers.models import Line, PurgeRecord, RealNameRateSnapshot
from tests.subscribers.test_report_dataset import Dataset, build_dataset

pytestmark = pytest.mark.django_db
START = dt.datetime(2024, 1, 10, 10, tzinfo=dt.timezone(dt.timedelta(hours=8)))
LATER = START + dt.timedelta(days=731)


@pytest.fixture
def dataset() -> Dataset:
    with time_machine.travel(START, tick=False):
        return build_dataset()


def realname(*args: str) -> str:
    out = io.StringIO()
    call_command("realname", *args, stdout=out)
    return out.getvalue()


def test_a_dry_run_counts_and_removes_nothing(dataset: Dataset) -> None:
    with time_machine.travel(LATER, tick=False):
        output = realname("purge-expired", "--dry-run")
    assert "lines 2" in output
    assert Line.objects.filter(status="cancelled").count() == 2
    assert not PurgeRecord.objects.exists()


def test_the_purge_removes_the_expired_lines_and_says_what_went(dataset: Dataset) -> None:
    with time_machine.travel(START + dt.timedelta(days=100), tick=False):
        assert "nothing expired" in realname("purge-expired")
    with time_machine.travel(LATER, tick=False):
        output = realname("purge-expired", "--limit", "1")
    assert "lines 2" in output
    assert not Line.objects.filter(status="cancelled").exists()
    assert PurgeRecord.objects.count() == 2  # one record per batch


def test_a_bad_limit_is_a_usage_error(dataset: Dataset) -> None:
    with pytest.raises(CommandError) as raised:
        realname("purge-expired", "--limit", "0")
    assert raised.value.returncode == 2


def test_enqueue_hands_the_work_to_the_task_queue(dataset: Dataset) -> None:
    # The tests run tasks at once (the immediate backend), so the queued purge has run on return.
    with time_machine.travel(LATER, tick=False):
        assert realname("purge-expired", "--enqueue").strip() == "purge queued"
    assert not Line.objects.filter(status="cancelled").exists()


def test_snapshot_records_todays_rate_per_outlet(dataset: Dataset) -> None:
    with time_machine.travel(LATER, tick=False):
        assert "5 outlets" in realname("snapshot")
        assert realname("snapshot", "--enqueue").strip() == "snapshot queued"
    assert RealNameRateSnapshot.objects.filter(day=LATER.date()).count() == 5
