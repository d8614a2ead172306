"""Budgets that configuration decides (DESIGN.md rule 13): the definition names the setting, the clock records the
value it started with, and changing the setting breaks neither the recorded version nor the running clocks."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured
from pytest_django import Settings

from regdesk.accounts.roles import Role
from regdesk.cases import effects
from regdesk.cases.definitions import (
    BudgetUnit,
    ClockDefinition,
    DefinitionError,
    ProcessDefinition,
    Rung,
    Transition,
    register_process,
)
from regdesk.cases.models import Case, Clock, ProcessVersion
from regdesk.cases.services import case_start, case_transition, clock_pause, clock_resume
from tests.cases.conftest import World

SHANGHAI = ZoneInfo("Asia/Shanghai")
SETTING = "REGDESK_EXAMPLE_ANSWER_DAYS"


def at(year: int, month: int, day: int, hour: int = 0) -> datetime:
    return datetime(year, month, day, hour, tzinfo=SHANGHAI)


CONFIGURED = register_process(
    ProcessDefinition(
        key="example.configured",
        version=1,
        reference_prefix="EXC",
        states=("open", "waiting", "closed"),
        initial_state="open",
        terminal_states=("closed",),
        transitions=(
            Transition(
                "ask",
                sources=("open",),
                target="waiting",
                roles=(Role.SPECIALIST,),
                effects=(effects.start_clock("answer"),),
            ),
            Transition("close", sources=("waiting",), target="closed", roles=(Role.SPECIALIST,)),
        ),
        clocks=(
            ClockDefinition(
                "answer",
                budget_setting=SETTING,
                unit=BudgetUnit.WORKING_DAYS,
                rungs=(
                    Rung("early", before_due=4, effect=effects.record_only()),
                    Rung("breach", breach=True, effect=effects.record_only()),
                ),
            ),
        ),
    )
)


def asked_case(world: World) -> Case:
    case = case_start(actor=world.specialist, process_key=CONFIGURED.key, unit=world.outlet)
    return case_transition(actor=world.specialist, case=case, action="ask")


def test_the_definition_names_the_setting_and_never_its_value(settings: Settings) -> None:
    settings.REGDESK_EXAMPLE_ANSWER_DAYS = 5
    snapshot = CONFIGURED.snapshot()["clocks"][0]
    assert snapshot["budget_setting"] == SETTING
    assert "budget" not in snapshot
    digest = CONFIGURED.digest()
    settings.REGDESK_EXAMPLE_ANSWER_DAYS = 9
    assert CONFIGURED.digest() == digest


def test_a_clock_needs_exactly_one_budget() -> None:
    with pytest.raises(DefinitionError):
        ClockDefinition("answer", budget=5, budget_setting=SETTING, unit=BudgetUnit.HOURS)
    with pytest.raises(DefinitionError):
        ClockDefinition("answer", unit=BudgetUnit.HOURS)
    with pytest.raises(DefinitionError):
        ClockDefinition("answer", budget_setting="not a setting", unit=BudgetUnit.HOURS)


def test_a_fixed_budget_is_written_as_before() -> None:
    # Recorded versions with fixed budgets keep their digests.
    clock = ClockDefinition("answer", budget=5, unit=BudgetUnit.HOURS)
    assert clock.snapshot() == {"name": "answer", "budget": 5, "unit": "hours", "rungs": []}


def test_a_changed_setting_applies_to_new_clocks_and_leaves_running_ones_alone(
    world: World, settings: Settings
) -> None:
    settings.REGDESK_EXAMPLE_ANSWER_DAYS = 5
    with time_machine.travel(at(2026, 7, 6, 10), tick=False):  # a Monday, no holidays that fortnight
        first = asked_case(world)
    recorded = ProcessVersion.objects.get(key=CONFIGURED.key, version=1)
    settings.REGDESK_EXAMPLE_ANSWER_DAYS = 2
    with time_machine.travel(at(2026, 7, 6, 11), tick=False):
        second = asked_case(world)  # no DefinitionError: the recorded version is unchanged
    assert ProcessVersion.objects.get(key=CONFIGURED.key, version=1).digest == recorded.digest
    old = Clock.objects.get(case=first, name="answer")
    new = Clock.objects.get(case=second, name="answer")
    assert (old.budget_amount, old.due_at) == (5, at(2026, 7, 13).replace(hour=23, minute=59, second=59))
    assert (new.budget_amount, new.due_at) == (2, at(2026, 7, 8).replace(hour=23, minute=59, second=59))
    # Recomputing the first clock (a pause and a resume) keeps its own budget, not the setting's.
    with time_machine.travel(at(2026, 7, 7, 9), tick=False) as traveller:
        clock_pause(actor=world.specialist, clock=old, reason="call")
        traveller.move_to(at(2026, 7, 7, 10))
        resumed = clock_resume(actor=world.specialist, clock=old)
    assert (resumed.budget_amount, resumed.due_at) == (5, at(2026, 7, 13).replace(hour=23, minute=59, second=59))


def test_a_rung_further_than_a_short_budget_fires_at_the_start(world: World, settings: Settings) -> None:
    settings.REGDESK_EXAMPLE_ANSWER_DAYS = 2
    started = at(2026, 7, 6, 10)
    with time_machine.travel(started, tick=False):
        case = asked_case(world)
    clock = Clock.objects.get(case=case, name="answer")
    schedule = {entry["rung"]: datetime.fromisoformat(entry["fire_at"]) for entry in clock.schedule}
    assert schedule["early"] == started
    assert clock.next_rung_at == started


@pytest.mark.parametrize("value", [0, -3, "5", True])
def test_a_budget_setting_that_is_not_a_positive_number_is_refused(
    world: World, settings: Settings, value: object
) -> None:
    settings.REGDESK_EXAMPLE_ANSWER_DAYS = value
    case = case_start(actor=world.specialist, process_key=CONFIGURED.key, unit=world.outlet)
    with pytest.raises(ImproperlyConfigured, match=SETTING):
        case_transition(actor=world.specialist, case=case, action="ask")
    assert not Clock.objects.filter(case=case).exists()
