"""The demo data of real-name registration: idempotent, every status and registration state, working readers."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytest_django import Settings

from regdesk.accounts.roles import Role, UnitKind
from regdesk.cases.models import Case
from regdesk.simulators import card_reader as reader_sim
from regdesk.subscribers import demo
from regdesk.subscribers.models import Agent, AgentStatus, CardReader, Line, LineStatus, OutletProfile, RealNameState
from regdesk.subscribers.services import reading_verify
from tests.accounts.helpers import make_unit, make_user

pytestmark = pytest.mark.django_db


def test_the_demo_loads_once_and_covers_every_status(settings: Settings, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path
    provider = make_unit("provider", UnitKind.PROVIDER)
    branch = make_unit("bj-branch", UnitKind.BRANCH, parent=provider)
    hall = make_unit("bj-chaoyang-hall", UnitKind.OUTLET, parent=branch)
    make_unit("agent-xinda", UnitKind.AGENT, parent=branch)
    clerk = make_user("clerk", (hall, Role.COUNTER_CLERK))

    first = demo.load()
    backfilled = first.pop("snapshot_days_backfilled")
    assert first == {"outlets_configured": 7, "readers_enrolled": 4, "lines_created": 9, "registrations_created": 2}
    assert backfilled > 300  # the report's default period, up to yesterday
    assert demo.load() == {
        "outlets_configured": 0,
        "readers_enrolled": 0,
        "lines_created": 0,
        "registrations_created": 0,
        "snapshot_days_backfilled": 0,
    }

    assert {line.status for line in Line.objects.all()} == set(LineStatus.values)
    assert {line.real_name_state for line in Line.objects.all()} == set(RealNameState.values)
    assert OutletProfile.objects.get(unit=hall).channel == "own_hall"
    assert CardReader.objects.get(outlet=hall).active
    assert Agent.objects.get(unit__code="agent-hengtong").status == AgentStatus.SUSPENDED
    states = sorted(Case.objects.filter(process_key="line.registration").values_list("state", flat=True))
    assert states == ["refused", "started"]

    reader = CardReader.objects.get(outlet=hall)
    details, key = reader_sim.load_device(tmp_path / "readers", reader.device_id)
    document = reader_sim.build_reading(
        reader_sim.card_of(reader_sim.sample_people()[0]), device_id=details["device_id"], private_key=key
    )
    assert reading_verify(actor=clerk, outlet=hall, document=document)
