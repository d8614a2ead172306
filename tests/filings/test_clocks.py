"""The process's clocks with time frozen: the on-site notice lapses after five working days of the Chinese calendar,
the regulator's 20 working days warn once and escalate once, the specialist review warns the supervisor."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from pytest_django import DjangoCaptureOnCommitCallbacks

from regdesk.cases.models import Clock, ClockRungFired, Notice
from regdesk.cases.services import clock_sweep
from regdesk.filings.models import Filing, FilingState
from regdesk.filings.services import filing_submit_to_regulator
from tests.filings.builders import World, awaiting_onsite, case_of, filing_json, submitted, verified
from tests.fixtures.simulators import IdentitySimulatorHandle, RegistrySimulatorHandle, SmtpSimulatorHandle

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
PERSON_EMAIL = filing_json()["owner"]["person_in_charge"]["email"]


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=SHANGHAI)


def _clock(filing: Filing, name: str) -> Clock:
    return Clock.objects.get(case=case_of(filing), name=name)


def test_an_on_site_notice_of_30_september_lapses_after_13_october_and_not_before(
    world: World,
    use_smtp_simulator: SmtpSimulatorHandle,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    with time_machine.travel(at(2026, 9, 30, 15, 0), tick=False):
        filing = awaiting_onsite(world)
    clock = _clock(filing, "onsite")
    # National Day 1-7 October are off; Saturday 10 October is a make-up working day: 8, 9, 10, 12, 13 October.
    assert clock.due_at == at(2026, 10, 13, 23, 59, 59)
    with time_machine.travel(at(2026, 10, 13, 23, 59, 0), tick=False):
        clock_sweep()
    filing.refresh_from_db()
    assert filing.state == FilingState.AWAITING_ONSITE, "five working days have not passed yet"
    use_smtp_simulator.reset()
    with (
        time_machine.travel(at(2026, 10, 14, 0, 0, 30), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        report = clock_sweep()
    assert (clock.pk, "breach") in report.fired
    filing.refresh_from_db()
    assert filing.state == FilingState.LAPSED
    assert case_of(filing).is_open is False
    [mail] = [message for message in use_smtp_simulator.messages() if "失效" in message["subject"]]
    assert mail["to"] == PERSON_EMAIL
    assert str(filing) in mail["text"]
    assert "5 个工作日" in mail["text"], "the owner is told why"


def test_the_owner_is_reminded_the_working_day_before(world: World) -> None:
    with time_machine.travel(at(2026, 9, 30, 15, 0), tick=False):
        filing = awaiting_onsite(world)
    with time_machine.travel(at(2026, 10, 12, 23, 0), tick=False):
        assert clock_sweep().fired == []
    with time_machine.travel(at(2026, 10, 13, 0, 0, 30), tick=False):
        clock_sweep()
    assert ClockRungFired.objects.filter(clock__case=case_of(filing), rung="reminder").count() == 1
    assert Notice.objects.filter(case=case_of(filing), template="filings_onsite_reminder").count() == 1
    assert Filing.objects.get(pk=filing.pk).state == FilingState.AWAITING_ONSITE


def test_the_on_site_verification_stops_the_clock(
    world: World, use_identity_simulator: IdentitySimulatorHandle, use_registry_simulator: RegistrySimulatorHandle
) -> None:
    with time_machine.travel(at(2026, 9, 30, 15, 0), tick=False):
        filing = verified(world)
    assert _clock(filing, "onsite").state == "stopped"
    with time_machine.travel(at(2026, 10, 20, 9, 0), tick=False):
        clock_sweep()
    assert Filing.objects.get(pk=filing.pk).state == FilingState.VERIFIED


def test_the_regulator_warning_fires_once_then_the_escalation_once(
    world: World, use_identity_simulator: IdentitySimulatorHandle, use_registry_simulator: RegistrySimulatorHandle
) -> None:
    with time_machine.travel(at(2026, 11, 2, 10, 0), tick=False):
        filing = filing_submit_to_regulator(actor=world.specialist, filing=verified(world))
    clock = _clock(filing, "regulator_review")
    schedule = {entry["rung"]: datetime.fromisoformat(entry["fire_at"]) for entry in clock.schedule}
    assert clock.due_at == at(2026, 11, 30, 23, 59, 59)  # 20 working days from Monday 2 November
    assert schedule["warning"] == at(2026, 11, 23, 23, 59, 59)  # five working days before the due day
    for moment in (schedule["warning"] + timedelta(minutes=1), schedule["warning"] + timedelta(days=2)):
        with time_machine.travel(moment, tick=False):
            clock_sweep()
    warnings = Notice.objects.filter(case=case_of(filing), template="filings_regulator_warning")
    assert warnings.count() == 1, "one specialist over the unit, warned once"
    assert ClockRungFired.objects.filter(clock=clock, rung="warning").count() == 1
    assert not Notice.objects.filter(template="filings_regulator_escalation").exists()
    for moment in (clock.due_at + timedelta(minutes=1), clock.due_at + timedelta(days=3)):
        with time_machine.travel(moment, tick=False):
            clock_sweep()
    escalations = Notice.objects.filter(case=case_of(filing), template="filings_regulator_escalation")
    assert escalations.count() == 1, "the compliance officer, once"
    assert ClockRungFired.objects.filter(clock=clock, rung="escalation").count() == 1
    assert Filing.objects.get(pk=filing.pk).state == FilingState.SUBMITTED_TO_REGULATOR


def test_an_overdue_specialist_review_warns_the_compliance_officer_once(world: World) -> None:
    with time_machine.travel(at(2026, 11, 2, 10, 0), tick=False):
        filing = submitted(world)
    clock = _clock(filing, "specialist_review")
    assert clock.due_at == at(2026, 11, 3, 23, 59, 59)
    with time_machine.travel(at(2026, 11, 3, 23, 0), tick=False):
        clock_sweep()
    assert not Notice.objects.filter(template="filings_review_overdue").exists()
    for moment in (at(2026, 11, 4, 0, 1), at(2026, 11, 5, 9, 0)):
        with time_machine.travel(moment, tick=False):
            clock_sweep()
    [notice] = Notice.objects.filter(case=case_of(filing), template="filings_review_overdue")
    assert notice.idempotency_key.endswith(f"user:{world.compliance.pk}")
    assert Filing.objects.get(pk=filing.pk).state == FilingState.SUBMITTED, "a target, not a lapse"
