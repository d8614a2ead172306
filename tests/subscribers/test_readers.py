"""Signed card readings: only a fresh, unreplayed reading by a reader enrolled and active at this outlet is kept."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
import time_machine
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.utils import timezone

from regdesk.audit.models import AuditEvent
from regdesk.subscribers import readers
from regdesk.subscribers.models import CardReading
from regdesk.subscribers.services import (
    ReadingRefused,
    RegistrationRefused,
    reader_deactivate,
    reader_enrol,
    reading_verify,
)
from tests.fixtures.simulators import IdentitySimulatorHandle
from tests.subscribers.conftest import Device, World, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def cardholder(identity_simulator: IdentitySimulatorHandle) -> dict[str, Any]:
    return person(identity_simulator)


def refused(world: World, document: dict[str, Any], *, outlet: Any = None) -> ReadingRefused:
    before = CardReading.objects.count()
    with pytest.raises(ReadingRefused) as raised:
        reading_verify(actor=world.clerk, outlet=outlet or world.outlet, document=document)
    assert CardReading.objects.count() == before
    event = AuditEvent.objects.filter(action="card_reading.refuse").order_by("-sequence").first()
    assert event is not None
    assert event.changes["reason"] == raised.value.code
    return raised.value


def test_a_fresh_signed_reading_is_verified_and_kept_sealed(world: World, cardholder: dict[str, Any]) -> None:
    reading = reading_verify(actor=world.clerk, outlet=world.outlet, document=world.device.read(cardholder))
    assert reading.reader == world.device.reader
    assert reading.id_number.reveal() == cardholder["id_number"]
    assert reading.name.reveal() == cardholder["name"]
    assert str(reading.id_number) != cardholder["id_number"]  # masked when shown
    assert reading.consumed_at is None
    stored = CardReading.objects.values_list("id_number", flat=True).get(pk=reading.pk)
    assert cardholder["id_number"] not in str(stored)
    event = AuditEvent.objects.get(action="card_reading.verify")
    assert cardholder["id_number"] not in json.dumps(event.changes, ensure_ascii=False)


def test_an_altered_reading_fails_its_signature(world: World, cardholder: dict[str, Any]) -> None:
    document = world.device.read(cardholder)
    document["reading"]["name"] = "王五"
    assert refused(world, document).code == "signature_invalid"


def test_a_reading_signed_by_another_key_fails(world: World, cardholder: dict[str, Any]) -> None:
    forger = Device(reader=world.device.reader, key=Ed25519PrivateKey.generate())
    assert refused(world, forger.read(cardholder)).code == "signature_invalid"


def test_an_old_reading_is_stale(world: World, cardholder: dict[str, Any]) -> None:
    old = timezone.now() - dt.timedelta(seconds=301)
    assert refused(world, world.device.read(cardholder, read_at=old)).code == "reading_stale"


def test_the_freshness_window_is_configurable(world: World, cardholder: dict[str, Any], settings: Any) -> None:
    settings.REGDESK_READING_MAX_AGE_SECONDS = 900
    old = timezone.now() - dt.timedelta(seconds=600)
    assert reading_verify(actor=world.clerk, outlet=world.outlet, document=world.device.read(cardholder, read_at=old))


def test_a_reading_becomes_stale_as_time_passes(world: World, cardholder: dict[str, Any]) -> None:
    document = world.device.read(cardholder)
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=6)):
        assert refused(world, document).code == "reading_stale"


def test_a_reading_from_the_future_is_refused(world: World, cardholder: dict[str, Any]) -> None:
    ahead = timezone.now() + dt.timedelta(minutes=5)
    assert refused(world, world.device.read(cardholder, read_at=ahead)).code == "reading_from_future"


def test_a_replayed_reading_is_refused(world: World, cardholder: dict[str, Any]) -> None:
    document = world.device.read(cardholder)
    reading_verify(actor=world.clerk, outlet=world.outlet, document=document)
    assert refused(world, document).code == "reading_replayed"
    assert CardReading.objects.count() == 1


def test_the_same_nonce_of_another_reader_is_no_replay(world: World, cardholder: dict[str, Any]) -> None:
    reading_verify(actor=world.clerk, outlet=world.outlet, document=world.device.read(cardholder, nonce="ab" * 8))
    agent_reading = world.agent_device.read(cardholder, nonce="ab" * 8)
    assert reading_verify(actor=world.agent_staff, outlet=world.agent_outlet, document=agent_reading)


def test_a_reader_of_another_outlet_is_refused(world: World, cardholder: dict[str, Any]) -> None:
    assert refused(world, world.other_device.read(cardholder)).code == "reader_wrong_outlet"


def test_an_unenrolled_reader_is_refused(world: World, cardholder: dict[str, Any]) -> None:
    key = Ed25519PrivateKey.generate()
    stranger = Device(reader=world.device.reader, key=key)
    document = stranger.read(cardholder)
    document["reading"]["device_id"] = readers.device_id_for(readers.public_key_text(key.public_key()))
    document["signature"] = readers.sign_reading(document["reading"], key)["signature"]
    assert refused(world, document).code == "reader_unknown"


def test_a_deactivated_reader_is_refused(world: World, cardholder: dict[str, Any]) -> None:
    reader_deactivate(actor=world.compliance, reader=world.device.reader, reason="reported stolen")
    assert refused(world, world.device.read(cardholder)).code == "reader_inactive"


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"id_number": "110105194912310022"}, "card_number_invalid"),
        ({"birth_date": "1990-01-01"}, "card_data_inconsistent"),
        ({"valid_from": "2005-01-01", "valid_until": "2015-01-01"}, "card_expired"),
        ({"photo": "bm90IGEgcGhvdG8="}, "card_photo_invalid"),
    ],
)
def test_inconsistent_or_expired_cards_are_refused(
    world: World, cardholder: dict[str, Any], change: dict[str, str], code: str
) -> None:
    document = world.device.read(cardholder)
    reading = {**document["reading"], **change}
    assert refused(world, readers.sign_reading(reading, world.device.key)).code == code


@pytest.mark.parametrize("mangle", ["format", "extra", "missing", "signature"])
def test_malformed_documents_are_refused(world: World, cardholder: dict[str, Any], mangle: str) -> None:
    document = world.device.read(cardholder)
    if mangle == "format":
        document["format"] = "other/1"
    elif mangle == "extra":
        document["reading"]["note"] = "unsigned"
    elif mangle == "missing":
        del document["reading"]["nonce"]
    else:
        document["signature"] = "%%%"
    assert refused(world, document).code == "reading_malformed"


def test_only_counter_staff_of_the_outlet_verify_readings(world: World, cardholder: dict[str, Any]) -> None:
    with pytest.raises(RegistrationRefused) as raised:
        reading_verify(actor=world.other_clerk, outlet=world.outlet, document=world.device.read(cardholder))
    assert raised.value.code == "forbidden"
    assert CardReading.objects.count() == 0


def test_enrolment_derives_the_device_id_from_the_key(world: World) -> None:
    key = Ed25519PrivateKey.generate()
    public_key = readers.public_key_text(key.public_key())
    with pytest.raises(RegistrationRefused) as raised:
        reader_enrol(
            actor=world.compliance, outlet=world.outlet, public_key=public_key, device_id="rd-0000000000000000"
        )
    assert raised.value.code == "device_id_mismatch"
    reader = reader_enrol(actor=world.compliance, outlet=world.outlet, public_key=public_key)
    assert reader.device_id == readers.device_id_for(public_key)
    assert reader.enrolled_by == world.compliance


def test_clerks_do_not_enrol_readers_and_a_reader_stays_at_one_outlet(world: World) -> None:
    key = Ed25519PrivateKey.generate()
    public_key = readers.public_key_text(key.public_key())
    with pytest.raises(RegistrationRefused) as raised:
        reader_enrol(actor=world.clerk, outlet=world.outlet, public_key=public_key)
    assert raised.value.code == "forbidden"
    reader_enrol(actor=None, outlet=world.outlet, public_key=public_key)
    with pytest.raises(RegistrationRefused) as elsewhere:
        reader_enrol(actor=None, outlet=world.other_outlet, public_key=public_key)
    assert elsewhere.value.code == "reader_enrolled_elsewhere"


def test_a_bad_public_key_is_refused(world: World) -> None:
    with pytest.raises(RegistrationRefused) as raised:
        reader_enrol(actor=None, outlet=world.outlet, public_key="c2hvcnQ=")
    assert raised.value.code == "public_key_invalid"
