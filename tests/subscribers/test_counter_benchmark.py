"""``regdesk counter benchmark``: walks registrations through the counter's pages against the simulators, prints
each step beside the baselines measured in the same run (no timing is asserted), and leaves nothing behind."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from pytest_django import Settings

from regdesk.simulators import card_reader as reader_sim
from regdesk.subscribers.models import CardReading, Line, Registration
from regdesk.subscribers.services import reader_enrol
from tests.fixtures.simulators import FaceMatchSimulatorHandle, IdentitySimulatorHandle
from tests.subscribers.conftest import World

pytestmark = pytest.mark.django_db
Checks = tuple[IdentitySimulatorHandle, FaceMatchSimulatorHandle]


def test_the_benchmark_prints_every_step_and_its_baselines_and_keeps_nothing(
    world: World, checks: Checks, tmp_path: Path
) -> None:
    keys_dir = tmp_path / "readers"
    device = reader_sim.new_device(keys_dir, world.outlet.code)
    reader_enrol(actor=None, outlet=world.outlet, public_key=device["public_key"])
    before = (Registration.objects.count(), Line.objects.count(), CardReading.objects.count())
    output = io.StringIO()
    call_command(
        "counter",
        "benchmark",
        "--rounds",
        "2",
        "--outlet",
        world.outlet.code,
        "--clerk",
        "clerk",
        "--keys-dir",
        str(keys_dir),
        stdout=output,
    )
    text = output.getvalue()
    assert "2 registration(s)" in text
    for step in (
        "baseline: a bare request",
        "baseline: identity service alone",
        "baseline: face match alone",
        "baseline: vault seal + open of a photo",
        "1 reading sent by the reader agent",
        "4 checks (verification)",
        "6 completion",
        "8 printed form (PDF)",
    ):
        assert step in text
    assert (Registration.objects.count(), Line.objects.count(), CardReading.objects.count()) == before


def test_the_benchmark_refuses_production(world: World, settings: Settings) -> None:
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="development tool"):
        call_command("counter", "benchmark", "--rounds", "1")
