"""The desktop reader agent (``regdesk reader-agent``): a separate process posts each signed reading over a real
socket to the live server, and the clerk's registration page takes it by its htmx poll and shows it masked,
with nothing typed or pasted. Forged readings are refused, and a card read before the registration began never
lands on it."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from pytest_django.live_server_helper import LiveServer

from regdesk.audit.models import AuditEvent
from regdesk.simulators import card_reader as reader_sim
from regdesk.subscribers.models import CardReading, Registration
from regdesk.subscribers.services import (
    DocumentInput,
    IdentityCapture,
    RegistrationRefused,
    reader_enrol,
    registration_identity_capture,
)
from tests.accounts.helpers import login_fully
from tests.fixtures.simulators import IdentitySimulatorHandle
from tests.subscribers.conftest import World, valid_people

pytestmark = pytest.mark.django_db(transaction=True)
WAIT = re.compile(r'hx-post="([^"]+/wait\?since=\d+)"')


def _agent(server: LiveServer, keys_dir: Path, device_id: str, *samples: int) -> subprocess.CompletedProcess[str]:
    command = Path(sys.executable).parent / "regdesk"
    arguments = [
        str(command),
        "reader-agent",
        "--server",
        server.url,
        "--device",
        device_id,
        "--keys-dir",
        str(keys_dir),
    ]
    for sample in samples:
        arguments += ["--sample", str(sample)]
    return subprocess.run(arguments, capture_output=True, text=True, timeout=60, check=False, env=dict(os.environ))


def _counter(world: World, tmp_path: Path) -> tuple[Client, Path, str]:
    """The clerk's session, and a simulated reader enrolled at the outlet and chosen for this counter."""
    keys_dir = tmp_path / "readers"
    device = reader_sim.new_device(keys_dir, world.outlet.code)
    reader_enrol(actor=None, outlet=world.outlet, public_key=device["public_key"], label="柜台 2")
    client = Client()
    login_fully(client, world.clerk)
    response = client.post(
        f"/desk/subscribers/counter/outlets/{world.outlet.code}/reader", {"device_id": device["device_id"]}
    )
    assert response.status_code == 302
    return client, keys_dir, device["device_id"]


def _start(client: Client, world: World, number: str) -> Registration:
    response = client.post(
        f"/desk/subscribers/counter/outlets/{world.outlet.code}/registrations/",
        {"service": "open_mobile", "number": number, "payment": "prepaid"},
    )
    assert response.status_code == 302
    return Registration.objects.order_by("-pk").first()  # type: ignore[return-value]


def _wait_url(client: Client, registration: Registration) -> str:
    page = client.get(f"/desk/subscribers/counter/registrations/{registration.pk}/").content.decode()
    found = WAIT.search(page)
    assert found is not None, "the page does not wait for the reader"
    return found.group(1)


def _sample_index(person: dict[str, Any]) -> int:
    return next(i for i, p in enumerate(reader_sim.sample_people()) if p["id_number"] == person["id_number"])


def test_a_card_read_by_the_agent_appears_on_the_clerks_page_by_itself(
    world: World, live_server: LiveServer, tmp_path: Path, use_identity_simulator: IdentitySimulatorHandle
) -> None:
    client, keys_dir, device_id = _counter(world, tmp_path)
    registration = _start(client, world, "13912340001")
    wait = _wait_url(client, registration)
    assert client.post(wait).status_code == 204  # nothing read yet

    (who,) = valid_people(use_identity_simulator, 1)
    finished = _agent(live_server, keys_dir, device_id, _sample_index(who))
    assert finished.returncode == 0, finished.stderr
    assert "reading" in finished.stdout
    assert who["id_number"] not in finished.stdout + finished.stderr

    polled = client.post(wait)
    assert (polled.status_code, polled["HX-Refresh"]) == (200, "true")
    page = client.get(f"/desk/subscribers/counter/registrations/{registration.pk}/").content.decode()
    number = reader_sim.card_of(who)["id_number"]
    assert number[:4] + "*" * 10 + number[-4:] in page
    assert number not in page
    reading = CardReading.objects.get()
    assert (reading.verified_by, reading.reader.device_id) == (world.clerk, device_id)
    assert AuditEvent.objects.filter(action="card_reading.deliver", actor__isnull=True).count() == 1
    assert AuditEvent.objects.filter(action="card_reading.claim", actor=world.clerk).count() == 1

    captured = client.post(
        f"/desk/subscribers/counter/registrations/{registration.pk}/identity",
        {
            "subscriber_kind": "individual",
            "acting_party": "subscriber",
            "subscriber_source": "reading",
            "representative_source": "reading",
        },
    )
    assert captured.status_code == 302
    registration.refresh_from_db()
    assert registration.case is not None
    assert registration.case.state == "identity_captured"
    assert client.post(wait).status_code == 286  # the page stops waiting


def test_a_forged_reading_is_refused_and_nothing_is_kept(world: World, live_server: LiveServer, tmp_path: Path) -> None:
    _client, keys_dir, device_id = _counter(world, tmp_path)
    _details, key = reader_sim.load_device(keys_dir, device_id)
    document = reader_sim.build_reading(
        reader_sim.card_of(reader_sim.sample_people()[0]), device_id=device_id, private_key=key
    )
    document["reading"]["name"] = "张三"  # altered after signing
    request = urllib.request.Request(
        live_server.url + "/desk/subscribers/counter/reader-agent/readings",
        data=json.dumps(document, ensure_ascii=False).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=30)
    assert refused.value.code == 422
    assert json.loads(refused.value.read())["error"]["code"] == "signature_invalid"
    assert CardReading.objects.count() == 0


def test_an_unknown_device_is_refused_by_the_agents_exit_status(
    world: World, live_server: LiveServer, tmp_path: Path
) -> None:
    keys_dir = tmp_path / "readers"
    device = reader_sim.new_device(keys_dir, world.outlet.code)  # made, never enrolled
    finished = _agent(live_server, keys_dir, device["device_id"], 0)
    assert finished.returncode == 1
    assert "reader_unknown" in finished.stderr
    assert CardReading.objects.count() == 0


def test_a_card_read_before_the_registration_began_is_not_taken_and_cannot_be_used_untaken(
    world: World, live_server: LiveServer, tmp_path: Path
) -> None:
    client, keys_dir, device_id = _counter(world, tmp_path)
    assert _agent(live_server, keys_dir, device_id, 0).returncode == 0
    registration = _start(client, world, "13912340002")
    assert client.post(_wait_url(client, registration)).status_code == 204
    early = CardReading.objects.get()
    assert early.verified_by is None
    with pytest.raises(RegistrationRefused) as raised:
        registration_identity_capture(
            actor=world.clerk,
            registration=registration,
            identity=IdentityCapture(subscriber=DocumentInput(reading=early)),
        )
    assert raised.value.code == "reading_unclaimed"
