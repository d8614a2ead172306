"""The deadlines of ``icp.new_filing`` are settings the definition names: changing one (and starting again, which
builds and registers the definition anew) breaks no new filing, and each clock keeps the budget it started with."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from pytest_django import Settings

from regdesk.cases.definitions import get_process
from regdesk.cases.models import Clock, ProcessVersion
from regdesk.filings import process
from tests.filings.builders import World, awaiting_onsite, case_of

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
DEADLINES = ("REGDESK_ICP_SPECIALIST_REVIEW_DAYS", "REGDESK_ICP_ONSITE_DAYS", "REGDESK_ICP_REGULATOR_REVIEW_DAYS")


def end_of(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, 23, 59, 59, tzinfo=SHANGHAI)


def test_the_definition_names_each_deadline_setting() -> None:
    definition = get_process(process.PROCESS_KEY)
    assert [clock["budget_setting"] for clock in definition.snapshot()["clocks"]] == list(DEADLINES)


def test_a_changed_deadline_breaks_no_new_filing_and_moves_no_running_clock(world: World, settings: Settings) -> None:
    settings.REGDESK_ICP_ONSITE_DAYS = 5
    with time_machine.travel(datetime(2026, 7, 6, 10, tzinfo=SHANGHAI), tick=False):  # a Monday
        first = awaiting_onsite(world, 0)
    recorded = ProcessVersion.objects.get(key=process.PROCESS_KEY, version=process.PROCESS_VERSION)

    # The operator changes every deadline and restarts: the definition is built and registered again.
    settings.REGDESK_ICP_SPECIALIST_REVIEW_DAYS = 2
    settings.REGDESK_ICP_ONSITE_DAYS = 3
    settings.REGDESK_ICP_REGULATOR_REVIEW_DAYS = 15
    rebuilt = process.register()
    assert rebuilt.digest() == recorded.digest
    with time_machine.travel(datetime(2026, 7, 6, 11, tzinfo=SHANGHAI), tick=False):
        second = awaiting_onsite(world, 1)

    assert ProcessVersion.objects.get(pk=recorded.pk).digest == recorded.digest
    old = Clock.objects.get(case=case_of(first), name="onsite")
    new = Clock.objects.get(case=case_of(second), name="onsite")
    assert (old.budget_amount, old.due_at) == (5, end_of(2026, 7, 13))
    assert (new.budget_amount, new.due_at) == (3, end_of(2026, 7, 9))
    review = Clock.objects.get(case=case_of(second), name="specialist_review")
    assert review.budget_amount == 2


def test_the_version_before_stays_registered_for_the_cases_that_started_under_it() -> None:
    earlier = get_process(process.PROCESS_KEY, process.PROCESS_VERSION - 1)
    assert [clock.budget for clock in earlier.clocks] == [1, 5, 20]
    assert earlier.snapshot()["transitions"] == get_process(process.PROCESS_KEY).snapshot()["transitions"]
