"""Deadline labels: a warning not reached yet reads as upcoming with its time, a fired one as fired with the time it
fired; the rung at the due time is not shown as a warning of its own, so a warning and the due time never show the
same moment."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from regdesk.cases.clock_display import RungStatus, next_warning, rung_views
from regdesk.cases.models import Clock, ClockRungFired
from regdesk.cases.services import clock_sweep
from tests.filings.builders import World, awaiting_onsite, case_of, submitted
from tests.filings.desk_support import desk_client

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
NOTICE_TIME = datetime(2026, 9, 30, 15, 0, tzinfo=SHANGHAI)
REMINDER_TIME = datetime(2026, 10, 12, 23, 59, 59, tzinfo=SHANGHAI)
DUE_TIME = datetime(2026, 10, 13, 23, 59, 59, tzinfo=SHANGHAI)


def _rungs(page: str) -> list[tuple[str, str]]:
    """(status, time) of each warning listed for the on-site clock on the desk's filing page."""
    block = page[page.index('data-clock="onsite"') :]
    block = block[: block.index("</div>")]
    return re.findall(r'data-testid="clock-rung" data-status="(\w+)">.*?<time datetime="([^"]+)"', block, re.S)


def test_an_upcoming_reminder_reads_as_upcoming_and_a_fired_one_as_fired(world: World) -> None:
    with time_machine.travel(NOTICE_TIME, tick=False):
        filing = awaiting_onsite(world)
        before = desk_client(world.specialist).get(f"/desk/filings/{filing.pk}/").content.decode()
    assert _rungs(before) == [("upcoming", REMINDER_TIME.isoformat())], "only the reminder is a warning"
    assert "2026-10-12 23:59" in before, "the warning at its own time"
    assert "2026-10-13 23:59" in before, "the due time, a different one"
    with time_machine.travel(datetime(2026, 10, 13, 8, 0, tzinfo=SHANGHAI), tick=False):
        clock_sweep()
        after = desk_client(world.specialist).get(f"/desk/filings/{filing.pk}/").content.decode()
        home = desk_client(world.specialist).get("/desk/").content.decode()
    [(status, fired_at)] = _rungs(after)
    assert status == "fired"
    assert datetime.fromisoformat(fired_at) == datetime(2026, 10, 13, 8, 0, tzinfo=SHANGHAI), "the time it fired"
    assert 'data-testid="clock-next-warning"' not in home, "no warning is still to come"


def test_a_rung_recorded_after_now_is_never_shown_as_done(world: World) -> None:
    with time_machine.travel(NOTICE_TIME, tick=False):
        filing = awaiting_onsite(world)
    clock = Clock.objects.get(case=case_of(filing), name="onsite")
    ClockRungFired.objects.create(clock=clock, rung="reminder", fired_at=REMINDER_TIME)
    [reminder, breach] = rung_views(clock, now=datetime(2026, 10, 1, 9, 0, tzinfo=SHANGHAI))
    assert (reminder.name, reminder.status, reminder.at_deadline) == ("reminder", RungStatus.UPCOMING, False)
    assert (breach.name, breach.status, breach.at_deadline, breach.at) == (
        "breach",
        RungStatus.UPCOMING,
        True,
        DUE_TIME,
    )
    warning = next_warning(clock, now=datetime(2026, 10, 1, 9, 0, tzinfo=SHANGHAI))
    assert warning is not None
    assert warning.at == REMINDER_TIME != clock.due_at


def test_the_review_clock_alert_at_its_due_time_is_not_listed_as_a_warning(world: World) -> None:
    with time_machine.travel(NOTICE_TIME, tick=False):
        filing = submitted(world)
        page = desk_client(world.specialist).get(f"/desk/filings/{filing.pk}/").content.decode()
        home = desk_client(world.specialist).get("/desk/").content.decode()
    block = page[page.index('data-clock="specialist_review"') :]
    block = block[: block.index("</div>")]
    assert 'data-testid="clock-rung"' not in block, "the review clock has no warning before its due time"
    assert "审核超时：已通知合规人员" in block, "what happens at the due time is said beside it"
    assert 'data-testid="clock-next-warning"' not in home
