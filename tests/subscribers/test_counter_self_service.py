"""The customers' self-service one-ID lookup (一证通查) by SMS code, and the counter's lookup after a card reading.

The self-service pages are mounted here as config/urls.py is meant to mount them (``/self-service/lines/``).
"""

from __future__ import annotations

import json
import re
from typing import Any, cast

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, include, path, reverse
from pytest_django import DjangoCaptureOnCommitCallbacks

from regdesk.config.urls import urlpatterns as site_urlpatterns
from regdesk.subscribers.models import Line, LineDispute, LookupChallenge
from regdesk.subscribers.services import HolderRecord, line_take_over
from tests.accounts.helpers import login_fully
from tests.fixtures.simulators import IdentitySimulatorHandle, SmsSimulatorHandle
from tests.subscribers.conftest import World, mobile_number, valid_people

urlpatterns: list[URLPattern | URLResolver] = [
    path("self-service/lines/", include("regdesk.subscribers.counter.self_service_urls")),
    *cast("list[URLPattern | URLResolver]", site_urlpatterns),
]
pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


def give_lines(world: World, who: dict[str, Any], serials: list[int]) -> list[Line]:
    holder = HolderRecord(
        kind="individual", document_type="resident_id", number=who["id_number"], name=who["name"], address="北京市"
    )
    return [
        line_take_over(
            actor=None,
            outlet=world.outlet,
            number=mobile_number(serial),
            line_kind="mobile",
            payment="prepaid",
            status="active",
            real_name_state="registered",
            holder=holder,
        )
        for serial in serials
    ]


@pytest.fixture
def people(identity_simulator: IdentitySimulatorHandle) -> list[dict[str, Any]]:
    return valid_people(identity_simulator, 2)


def self_service(name: str) -> str:
    return reverse(f"subscribers_self_service:{name}")


def ask_for_code(client: Client, who: dict[str, Any], line_number: str, capture: DjangoCaptureOnCommitCallbacks) -> Any:
    with capture(execute=True):
        return client.post(
            self_service("start"),
            {"document_type": "resident_id", "document_number": who["id_number"], "line_number": line_number},
        )


def sms_code(sms: SmsSimulatorHandle) -> str:
    [message] = sms.messages()
    match = re.search(r"\d{6}", message["text"])
    assert match is not None
    return match.group(0)


def test_a_customer_sees_their_lines_after_an_sms_code_and_disputes_one(
    world: World,
    people: list[dict[str, Any]],
    use_sms_simulator: SmsSimulatorHandle,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    who, other = people
    mine = give_lines(world, who, [11, 12])
    give_lines(world, other, [13])
    client = Client()
    assert client.get(self_service("start")).status_code == 200
    assert client.get(self_service("lines"))["Location"] == self_service("start")
    response = ask_for_code(client, who, mobile_number(12), django_capture_on_commit_callbacks)
    assert response["Location"] == self_service("code")
    code = sms_code(use_sms_simulator)
    wrong = client.post(self_service("code"), {"code": "000000" if code != "000000" else "111111"})
    assert wrong.status_code == 422
    assert "验证码不正确" in wrong.content.decode()
    assert client.post(self_service("code"), {"code": code})["Location"] == self_service("lines")
    page = client.get(self_service("lines")).content.decode()
    assert "139****0011" in page
    assert "139****0012" in page
    assert "139****0013" not in page
    assert mobile_number(11) not in page
    too_short = client.post(self_service("dispute"), {"line": mine[0].pk, "statement": "no"})
    assert too_short.status_code == 422
    assert LineDispute.objects.count() == 0
    response = client.post(self_service("dispute"), {"line": mine[0].pk, "statement": "I never bought this number."})
    assert response.status_code == 302
    dispute = LineDispute.objects.get()
    assert dispute.line_id == mine[0].pk
    assert dispute.case.reference in client.get(self_service("lines")).content.decode()
    client.post(self_service("finish"))
    assert client.get(self_service("lines"))["Location"] == self_service("start")


def test_someone_elses_line_cannot_be_disputed(
    world: World,
    people: list[dict[str, Any]],
    use_sms_simulator: SmsSimulatorHandle,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    who, other = people
    give_lines(world, who, [21])
    theirs = give_lines(world, other, [22])[0]
    client = Client()
    ask_for_code(client, who, mobile_number(21), django_capture_on_commit_callbacks)
    client.post(self_service("code"), {"code": sms_code(use_sms_simulator)})
    response = client.post(self_service("dispute"), {"line": theirs.pk, "statement": "Not mine at all."})
    assert response.status_code == 302
    assert LineDispute.objects.count() == 0


def test_the_page_answers_alike_for_a_number_that_is_not_of_the_id(
    world: World,
    people: list[dict[str, Any]],
    use_sms_simulator: SmsSimulatorHandle,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    who, other = people
    give_lines(world, who, [31])
    give_lines(world, other, [32])
    client = Client()
    response = ask_for_code(client, who, mobile_number(32), django_capture_on_commit_callbacks)
    assert response["Location"] == self_service("code")
    assert use_sms_simulator.messages() == []
    assert LookupChallenge.objects.count() == 1


def test_a_malformed_document_number_is_refused_at_its_field(world: World) -> None:
    response = Client().post(
        self_service("start"),
        {"document_type": "resident_id", "document_number": "110105194912310022", "line_number": "13900000000"},
    )
    assert response.status_code == 422
    assert 'id="id_document_number_errors"' in response.content.decode()
    assert LookupChallenge.objects.count() == 0


def test_the_code_page_without_a_challenge_goes_back_to_the_start(world: World) -> None:
    assert Client().post(self_service("code"), {"code": "123456"})["Location"] == self_service("start")


# --------------------------------------------------------------------------------------------------------------
# The counter's lookup


def counter(name: str, *args: Any) -> str:
    return reverse(f"subscribers_counter:{name}", args=args)


def test_the_counter_lists_the_lines_of_a_read_card_and_opens_a_dispute(
    world: World, people: list[dict[str, Any]]
) -> None:
    who = people[0]
    line = give_lines(world, who, [41, 42])[0]
    client = Client()
    login_fully(client, world.clerk)
    address = counter("lookup", world.outlet.code)
    response = client.post(address, {"reading": json.dumps(world.device.read(who))})
    assert response["Location"] == address
    page = client.get(address).content.decode()
    assert "139****0041" in page
    assert "139****0042" in page
    assert mobile_number(41) not in page
    other = Client()
    login_fully(other, world.other_clerk)
    assert other.get(counter("lookup", world.outlet.code)).status_code == 404
    assert (
        other.post(counter("lookup_dispute", world.outlet.code), {"line": line.pk, "statement": "x" * 10}).status_code
        == 404
    )
    response = client.post(
        counter("lookup_dispute", world.outlet.code), {"line": line.pk, "statement": "The customer never had it."}
    )
    assert response.status_code == 302
    assert LineDispute.objects.get().line_id == line.pk
    client.post(counter("lookup_finish", world.outlet.code))
    assert "139****0041" not in client.get(address).content.decode()


def test_the_reader_agent_posts_the_lookup_reading_as_json(world: World, people: list[dict[str, Any]]) -> None:
    who = people[0]
    give_lines(world, who, [51])
    client = Client()
    login_fully(client, world.clerk)
    address = counter("lookup", world.outlet.code)
    response = client.post(address, json.dumps(world.device.read(who)), content_type="application/json")
    assert response.status_code == 201
    assert response.json()["page"] == address
    assert "139****0051" in client.get(address).content.decode()
    replay = client.post(address, json.dumps({"format": "x"}), content_type="application/json")
    assert replay.status_code == 422
