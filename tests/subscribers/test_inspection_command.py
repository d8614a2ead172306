"""``regdesk realname inspect`` and ``regdesk realname daily`` from the command line."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from regdesk.accounts.roles import UnitKind
from regdesk.subscribers.models import RealNameRateSnapshot, SelfInspection
from tests.accounts.helpers import make_unit
from tests.subscribers.test_report_dataset import Dataset, build_dataset

pytestmark = pytest.mark.django_db


@pytest.fixture
def dataset() -> Dataset:
    return build_dataset()


def realname(*args: str) -> str:
    out = io.StringIO()
    call_command("realname", *args, stdout=out)
    return out.getvalue()


def test_inspect_runs_an_inspection_of_the_top_unit_and_lists_its_findings(dataset: Dataset) -> None:
    output = realname("inspect", "--from", "2026-01-01", "--to", "2026-03-01")
    inspection = SelfInspection.objects.get()
    assert inspection.unit.code == "provider"
    assert inspection.generated_by is None
    assert f"self-inspection #{inspection.pk} of provider" in output
    assert "rate_below_target" in output
    assert "RNF-" in output


def test_inspect_as_json_names_each_finding_and_its_case(dataset: Dataset) -> None:
    document = json.loads(realname("inspect", "--unit", "bj", "--json"))
    assert document["unit"] == "bj"
    assert document["sections"]["rate"]["percent"] == "60.00"
    found = {(finding["kind"], finding["subject"]) for finding in document["findings"]}
    assert ("rate_below_target", "bj") in found
    assert ("outlet_without_reader", "hall-a") in found
    # The online branch needs no card reader and meets the target: nothing to find there.
    assert json.loads(realname("inspect", "--unit", "gd", "--json"))["findings"] == []
    assert all(finding["case"].startswith("RNF-") for finding in document["findings"])


@pytest.mark.parametrize(
    "args",
    [
        ["inspect", "--unit", "nowhere"],
        ["inspect", "--from", "yesterday"],
        ["inspect", "--from", "2026-03-01", "--to", "2026-01-01"],
        ["inspect", "--to", "2999-01-01"],
        ["daily", "--loop", "0"],
        ["daily", "--loop", "nan"],
    ],
)
def test_usage_errors_exit_with_two_and_change_nothing(dataset: Dataset, args: list[str]) -> None:
    with pytest.raises(CommandError) as raised:
        realname(*args)
    assert raised.value.returncode == 2
    assert not SelfInspection.objects.exists()


def test_inspect_needs_a_unit_when_there_are_several_top_units(dataset: Dataset) -> None:
    make_unit("second-provider", UnitKind.PROVIDER)
    with pytest.raises(CommandError) as raised:
        realname("inspect")
    assert raised.value.returncode == 2


def test_daily_takes_the_snapshot_purges_and_runs_the_due_inspection(dataset: Dataset) -> None:
    output = realname("daily")
    assert "snapshot: 5 outlets" in output
    assert RealNameRateSnapshot.objects.count() == 5
    assert SelfInspection.objects.count() == 1
    realname("daily")
    assert SelfInspection.objects.count() == 1  # not due again the same day


def test_the_console_command_knows_the_word() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "regdesk.cli", "realname", "--help"], capture_output=True, text=True, timeout=120
    )
    assert completed.returncode == 0, completed.stderr
    for word in ("snapshot", "purge-expired", "inspect", "daily"):
        assert word in completed.stdout
