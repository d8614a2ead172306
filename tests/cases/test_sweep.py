"""The clock sweep fires each rung exactly once, at the right time, and its effects with it."""

from __future__ import annotations

import threading
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from regdesk.audit.models import AuditEvent
from regdesk.cases.models import Case, CaseEvent, Clock, ClockRungFired, ClockState, Notice
from regdesk.cases.services import SweepReport, case_transition, clock_sweep
from regdesk.cases.services.sweep import _fire
from tests.cases.conftest import World, submitted_case

SHANGHAI = ZoneInfo("Asia/Shanghai")
START = datetime(2026, 9, 29, 10, 0, tzinfo=SHANGHAI)  # a Tuesday before the National Day holiday
LAST_MOMENT = datetime(2026, 10, 12, 23, 59, 58, tzinfo=SHANGHAI)  # 5 working days later, just before the end
BREACH = datetime(2026, 10, 13, 0, 0, 0, tzinfo=SHANGHAI)


def fired(case: Case) -> list[str]:
    return list(ClockRungFired.objects.filter(clock__case=case).order_by("pk").values_list("rung", flat=True))


def test_breach_fires_after_five_working_days_across_a_holiday_and_not_before(world: World) -> None:
    with time_machine.travel(START, tick=False) as traveller:
        case = submitted_case(world)
        # Five calendar weekdays later, without the holiday, the case would have lapsed already.
        traveller.move_to(datetime(2026, 10, 7, 12, 0, tzinfo=SHANGHAI))
        assert clock_sweep().fired == []
        traveller.move_to(LAST_MOMENT)
        report = clock_sweep()
        assert [rung for _clock, rung in report.fired] == ["warning", "eve"]
        assert Case.objects.get(pk=case.pk).state == "waiting"
        traveller.move_to(BREACH)
        report = clock_sweep()
        assert [rung for _clock, rung in report.fired] == ["breach"]
        # Again: nothing more fires.
        assert clock_sweep().fired == []
    case.refresh_from_db()
    assert (case.state, case.is_open) == ("lapsed", False)
    clock = Clock.objects.get(case=case, name="review")
    assert (clock.state, clock.breached_at, clock.next_rung_at) == (ClockState.BREACHED, BREACH, None)
    assert fired(case) == ["warning", "eve", "breach"]
    lapse = CaseEvent.objects.get(case=case, action="lapse")
    assert (lapse.actor, lapse.role, lapse.payload) == (None, "system", {"clock": "review", "rung": "breach"})
    assert ClockRungFired.objects.get(clock=clock, rung="breach").outcome == "action:lapse"
    assert AuditEvent.objects.filter(action="clock.rung_fire", object_id=str(clock.pk)).count() == 3


def test_warning_rung_notifies_the_role_once(world: World) -> None:
    with time_machine.travel(START, tick=False) as traveller:
        case = submitted_case(world)
        traveller.move_to(datetime(2026, 10, 10, 0, 0, tzinfo=SHANGHAI))
        clock_sweep()
        clock_sweep()
    [notice] = Notice.objects.filter(case=case)
    assert (notice.channel, notice.template) == ("email", "cases_clock_rung")
    # The compliance officer's address is sealed, not stored in plain text.
    assert world.compliance.email not in notice.recipient_sealed
    assert ClockRungFired.objects.get(clock__case=case, rung="warning").outcome == "notified:1"


def test_a_rung_someone_else_fired_is_skipped_with_its_effect(world: World) -> None:
    with time_machine.travel(START, tick=False) as traveller:
        case = submitted_case(world)
        clock = Clock.objects.get(case=case, name="review")
        # Another sweep recorded the rung after this one had read the clock: the insert fails and the effect is
        # not run a second time.
        ClockRungFired.objects.create(clock=clock, rung="breach", fired_at=BREACH)
        traveller.move_to(BREACH)
        report = SweepReport()
        _fire(clock.pk, "breach", BREACH, report)
    assert (report.already_fired, report.fired, report.errors) == (1, [], 0)
    assert not CaseEvent.objects.filter(case=case, action="lapse").exists()
    assert Case.objects.get(pk=case.pk).state == "waiting"


def test_a_paused_or_stopped_clock_does_not_fire(world: World) -> None:
    with time_machine.travel(START, tick=False) as traveller:
        case = submitted_case(world)
        case_transition(actor=world.specialist, case=case, action="request_supplement")
        traveller.move_to(BREACH)
        assert clock_sweep().fired == []
        case_transition(actor=world.specialist, case=case, action="withdraw")
        assert clock_sweep().fired == []
    assert fired(case) == []


def test_a_breach_effect_that_no_longer_applies_is_recorded(world: World) -> None:
    with time_machine.travel(START, tick=False) as traveller:
        case = submitted_case(world)
        clock = Clock.objects.get(case=case, name="review")
        # The case moved on without stopping the clock (a process may do that): the lapse is refused, the rung
        # still fires once, with the refusal as its outcome, and the sweep does not retry it for ever.
        Case.objects.filter(pk=case.pk).update(state="supplementing")
        traveller.move_to(BREACH)
        clock_sweep()
        clock_sweep()
    assert ClockRungFired.objects.get(clock=clock, rung="breach").outcome == "refused:wrong_state"
    assert Clock.objects.get(pk=clock.pk).state == ClockState.BREACHED


def test_a_failing_effect_rolls_its_firing_back_and_leaves_other_clocks_alone(world: World) -> None:
    from regdesk.cases.services import case_start, clock_start

    with time_machine.travel(START, tick=False) as traveller:
        fragile = case_start(actor=world.specialist, process_key="example.fragile", unit=world.outlet)
        clock = clock_start(actor=world.specialist, case=fragile, name="answer")
        healthy = submitted_case(world)
        traveller.move_to(BREACH)
        report = clock_sweep()
        assert report.errors == 1
        # The failing breach is not recorded, the case's other rung and the other case's rungs are.
        assert fired(fragile) == ["half"]
        assert fired(healthy) == ["warning", "eve", "breach"]
        assert Clock.objects.get(pk=clock.pk).state == ClockState.RUNNING
        assert not AuditEvent.objects.filter(action="clock.rung_fire", object_id=str(clock.pk), changes__rung="breach")
        # The next sweep tries again (and fails again, still without a record).
        assert clock_sweep().errors == 1
    assert fired(fragile) == ["half"]


def test_sweep_command(world: World, capsys: pytest.CaptureFixture[str]) -> None:
    call_command("sweep")
    assert "rungs fired: 0" in capsys.readouterr().out
    with time_machine.travel(START, tick=False) as traveller:
        case = submitted_case(world)
        traveller.move_to(BREACH)
        # --enqueue hands the sweep to the task queue (run at once by the tests' immediate backend).
        call_command("sweep", "--enqueue")
    assert "sweep queued" in capsys.readouterr().out
    assert Case.objects.get(pk=case.pk).state == "lapsed"
    with pytest.raises(CommandError) as raised:
        call_command("sweep", "--loop", "0")
    assert raised.value.returncode == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_sweeps_fire_each_rung_exactly_once(world: World) -> None:
    assert connection.vendor == "postgresql"
    with time_machine.travel(START, tick=False):
        case = submitted_case(world)
    barrier = threading.Barrier(2)
    reports: list[SweepReport] = []
    errors: list[BaseException] = []

    def sweep() -> None:
        try:
            barrier.wait(timeout=30)
            reports.append(clock_sweep(now=BREACH))
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    with time_machine.travel(BREACH, tick=False):
        threads = [threading.Thread(target=sweep) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    assert errors == []
    assert len(reports) == 2
    assert sorted(rung for report in reports for _clock, rung in report.fired) == ["breach", "eve", "warning"]
    assert sum(report.errors for report in reports) == 0
    assert fired(case) == ["warning", "eve", "breach"]
    assert CaseEvent.objects.filter(case=case, action="lapse").count() == 1
    assert Case.objects.get(pk=case.pk).state == "lapsed"
    assert Notice.objects.filter(case=case).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_firings_of_one_rung_run_its_effect_once(world: World) -> None:
    """Both threads get past the read and try the insert: the unique constraint lets exactly one through (the
    other waits for the first to commit, then fails and skips the effect)."""
    assert connection.vendor == "postgresql"
    with time_machine.travel(START, tick=False):
        case = submitted_case(world)
    clock = Clock.objects.get(case=case, name="review")
    barrier = threading.Barrier(2)
    report = SweepReport()
    errors: list[BaseException] = []

    def fire() -> None:
        try:
            barrier.wait(timeout=30)
            _fire(clock.pk, "breach", BREACH, report)
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=fire) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert (report.fired, report.already_fired) == ([(clock.pk, "breach")], 1)
    assert CaseEvent.objects.filter(case=case, action="lapse").count() == 1
    assert ClockRungFired.objects.filter(clock=clock, rung="breach").count() == 1
