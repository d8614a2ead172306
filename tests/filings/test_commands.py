"""``regdesk filings list|poll`` and the demo data: every state, idempotent, listed without personal data."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from regdesk.demo import accounts
from regdesk.filings import demo
from regdesk.filings.models import Filing, FilingState
from tests.filings.builders import World, draft, filing_json
from tests.fixtures.simulators import ProvinceSimulatorHandle

pytestmark = pytest.mark.django_db


def _list(*arguments: str) -> str:
    output = StringIO()
    call_command("filings", "list", *arguments, stdout=output)
    return output.getvalue()


def test_list_prints_states_and_record_numbers_as_json_without_personal_data(world: World) -> None:
    filing = draft(world)
    document = json.loads(_list("--json"))
    assert document == {
        "filings": [
            {
                "id": filing.pk,
                "reference": str(filing),
                "state": "draft",
                "owner_kind": "organisation",
                "owner_record_number": None,
                "websites": [{"id": filing.websites.get().pk, "record_number": None, "access": "off"}],
            }
        ]
    }
    person = filing_json()["owner"]["person_in_charge"]
    text = _list("--json") + _list()
    for personal in (person["name"], person["document_number"], person["mobile"], person["email"]):
        assert personal not in text
    assert json.loads(_list("--state", "approved", "--json")) == {"filings": []}


def test_list_refuses_an_unknown_state() -> None:
    with pytest.raises(CommandError) as raised:
        call_command("filings", "list", "--state", "nonsense")
    assert raised.value.returncode == 2


def test_poll_fetches_the_provinces_downloads(world: World, use_province_simulator: ProvinceSimulatorHandle) -> None:
    output = StringIO()
    call_command("filings", "poll", stdout=output)
    assert "downloads received / 收到下载文件: 0" in output.getvalue()


def test_poll_says_when_the_province_refuses(world: World, use_province_simulator: ProvinceSimulatorHandle) -> None:
    use_province_simulator.configure({"maintenance": True})
    with pytest.raises(CommandError) as raised:
        call_command("filings", "poll")
    assert raised.value.returncode == 1


def test_the_demo_has_a_filing_in_every_state_and_loads_once(db: None) -> None:
    accounts.load()
    result = demo.load()
    assert result["created"] == len(FilingState)
    assert sorted(Filing.objects.values_list("state", flat=True)) == sorted(str(state) for state in FilingState)
    assert demo.load() == {"created": 0, "filings": len(FilingState)}
    listed = json.loads(_list("--state", "approved", "--json"))["filings"]
    [approved] = listed
    assert approved["owner_record_number"].startswith("京ICP备")
    assert approved["websites"][0]["record_number"] == approved["owner_record_number"] + "-1"
