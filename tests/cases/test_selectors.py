"""The desk's lists: cases assigned to a user, clocks closest to breach; both limited to visible cases."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine

from regdesk.cases.selectors import cases_assigned_to, clocks_closest_to_breach, visible_cases
from regdesk.cases.services import case_assign, case_transition, clock_start
from tests.cases.conftest import World, start_case, submitted_case

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_cases_assigned_to_lists_open_visible_cases_only(world: World) -> None:
    first = start_case(world)
    second = start_case(world)
    start_case(world)  # not assigned
    closed = start_case(world)
    for case in (first, second, closed):
        case_assign(actor=world.compliance, case=case, assignee=world.specialist)
    case_transition(actor=world.specialist, case=closed, action="withdraw")
    assert [case.pk for case in cases_assigned_to(world.specialist)] == [first.pk, second.pk]
    assert len(cases_assigned_to(world.specialist, limit=1)) == 1
    assert cases_assigned_to(world.compliance) == []
    assert cases_assigned_to(None) == []


def test_clocks_closest_to_breach_are_ordered_and_visible_only(world: World) -> None:
    start = datetime(2026, 7, 6, 10, 0, tzinfo=SHANGHAI)
    with time_machine.travel(start, tick=False):
        review = submitted_case(world)  # due in 5 working days
        hours = start_case(world)
        clock_start(actor=world.specialist, case=hours, name="callback")  # due in 48 hours
        elsewhere = start_case(world, unit=world.other_branch)
        clock_start(actor=world.specialist, case=elsewhere, name="callback")
    summaries = clocks_closest_to_breach(world.specialist)
    assert [(item.case.pk, item.clock.name) for item in summaries] == [(hours.pk, "callback"), (review.pk, "review")]
    assert summaries[0].due_at == start + timedelta(hours=48)
    # The compliance officer at the provider sees all three; the other branch's counter clerk none, not even their
    # own branch's: the review process is worked by specialists, and a counter clerk has no part in it.
    assert len(clocks_closest_to_breach(world.compliance)) == 3
    assert clocks_closest_to_breach(world.other_clerk) == []
    assert clocks_closest_to_breach(world.outsider) == []
    assert len(clocks_closest_to_breach(world.compliance, limit=2)) == 2
    assert set(visible_cases(world.other_clerk)) == set()
    assert elsewhere in set(visible_cases(world.compliance))
