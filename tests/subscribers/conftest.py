"""Fixtures of the real-name registration tests: an organisation tree with outlets, staff in their roles, an
enrolled card reader with its key, and helpers that read cards and walk registrations through the services."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.utils import timezone
from pytest_django import Settings

from regdesk.accounts.models import OrgUnit, User
from regdesk.accounts.roles import Role, UnitKind
from regdesk.simulators import card_reader as reader_sim
from regdesk.subscribers import readers
from regdesk.subscribers.models import CardReader, CardReading, Channel, Registration
from regdesk.subscribers.services import (
    DocumentInput,
    IdentityCapture,
    LineRequest,
    outlet_configure,
    reader_enrol,
    reading_verify,
    registration_start,
)
from tests.accounts.helpers import make_unit, make_user
from tests.fixtures.simulators import FaceMatchSimulatorHandle, IdentitySimulatorHandle

IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}}
PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
# A passport specimen (ICAO 9303) valid until 2035, typed as line 2 of its machine-readable zone.
PASSPORT_MRZ = "L898902C36UTO7408122F3504152ZE184226B<<<<<16"


@pytest.fixture(autouse=True)
def _subscriber_settings(settings: Settings, tmp_path: Path) -> None:
    """Tasks at once, documents in a fresh directory, fast password hashing, one attempt per gateway request."""
    settings.TASKS = IMMEDIATE_TASKS
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }
    settings.REGDESK_GATEWAY_ATTEMPTS = 1


@dataclass
class Device:
    """An enrolled reader and its private key: reads cards like ``regdesk reader-sim read``."""

    reader: CardReader
    key: Ed25519PrivateKey

    def read(self, person: dict[str, Any], **options: Any) -> dict[str, Any]:
        return reader_sim.build_reading(
            reader_sim.card_of(person), device_id=self.reader.device_id, private_key=self.key, **options
        )


@dataclass
class World:
    provider: OrgUnit
    branch: OrgUnit
    outlet: OrgUnit
    other_outlet: OrgUnit
    agent_unit: OrgUnit
    agent_outlet: OrgUnit
    clerk: User  # counter clerk at the outlet
    other_clerk: User  # counter clerk at the other outlet
    supervisor: User  # counter clerk at the branch: supervises the outlets below it
    compliance: User  # compliance officer at the provider
    agent_staff: User  # agent role at the agent
    owner: User  # website owner (at the provider)
    device: Device  # enrolled at the outlet
    other_device: Device  # enrolled at the other outlet
    agent_device: Device  # enrolled at the agent's outlet
    extra: dict[str, Any] = field(default_factory=dict)


def enrol_device(outlet: OrgUnit) -> Device:
    key = Ed25519PrivateKey.generate()
    reader = reader_enrol(actor=None, outlet=outlet, public_key=readers.public_key_text(key.public_key()))
    return Device(reader=reader, key=key)


@pytest.fixture
def world(db: None) -> World:
    provider = make_unit("provider", UnitKind.PROVIDER)
    branch = make_unit("bj-branch", UnitKind.BRANCH, parent=provider)
    outlet = make_unit("hall-a", UnitKind.OUTLET, parent=branch)
    other_outlet = make_unit("hall-b", UnitKind.OUTLET, parent=branch)
    agent_unit = make_unit("agent-x", UnitKind.AGENT, parent=branch)
    agent_outlet = make_unit("agent-x-shop", UnitKind.OUTLET, parent=agent_unit)
    outlet_configure(actor=None, unit=outlet, channel=Channel.OWN_HALL)
    outlet_configure(actor=None, unit=other_outlet, channel=Channel.COOPERATING_HALL)
    outlet_configure(actor=None, unit=agent_unit, channel=Channel.AGENT)
    outlet_configure(actor=None, unit=agent_outlet, channel=Channel.AGENT)
    return World(
        provider=provider,
        branch=branch,
        outlet=outlet,
        other_outlet=other_outlet,
        agent_unit=agent_unit,
        agent_outlet=agent_outlet,
        clerk=make_user("clerk", (outlet, Role.COUNTER_CLERK)),
        other_clerk=make_user("clerk-b", (other_outlet, Role.COUNTER_CLERK)),
        supervisor=make_user("supervisor", (branch, Role.COUNTER_CLERK)),
        compliance=make_user("compliance", (provider, Role.COMPLIANCE_OFFICER)),
        agent_staff=make_user("agent", (agent_unit, Role.AGENT)),
        owner=make_user("owner", (provider, Role.WEBSITE_OWNER)),
        device=enrol_device(outlet),
        other_device=enrol_device(other_outlet),
        agent_device=enrol_device(agent_outlet),
    )


def person(identity: IdentitySimulatorHandle, outcome: str = "match", index: int = 0) -> dict[str, Any]:
    """A cardholder of the identity simulator's data set with this outcome (the name on the card as given)."""
    example = identity.example(outcome, index)
    full = next((p for p in identity.data["people"] if p["id_number"] == example["id_number"]), None)
    return {**full, "name": example["name"]} if full is not None else dict(example)


def valid_people(identity: IdentitySimulatorHandle, count: int, skip: int = 0) -> list[dict[str, Any]]:
    """``count`` ordinary people whose identity check and face match pass."""
    people = [
        p
        for p in identity.data["people"]
        if p["status"] == "valid" and not p.get("photo_never_matches") and "·" not in p["name"]
    ]
    return people[skip : skip + count]


def read_card(
    world: World, who: dict[str, Any], *, device: Device | None = None, actor: User | None = None
) -> CardReading:
    """Read ``who``'s card on the outlet's reader and verify it at the outlet."""
    device = device or world.device
    return reading_verify(actor=actor or world.clerk, outlet=device.reader.outlet, document=device.read(who))


def live_photo(who: dict[str, Any]) -> bytes:
    """The counter camera's photo of ``who`` (matches their ID photo in the face-match simulator)."""
    return reader_sim.face_photo(reader_sim.card_of(who)["face_id"], camera=True)


def mobile_number(serial: int) -> str:
    return f"139{serial:08d}"


def start_with_reading(
    world: World, who: dict[str, Any], *, number: str, actor: User | None = None, outlet: OrgUnit | None = None
) -> Registration:
    """A registration of a new mobile line with ``who``'s card read at the outlet (state ``identity_captured``)."""
    actor = actor or world.clerk
    outlet = outlet or world.outlet
    device = {world.outlet.pk: world.device, world.agent_outlet.pk: world.agent_device}.get(outlet.pk, world.device)
    reading = read_card(world, who, device=device, actor=actor)
    return registration_start(
        actor=actor,
        outlet=outlet,
        kind="open",
        line=LineRequest(line_kind="mobile", payment="prepaid", number=number),
        identity=IdentityCapture(subscriber=DocumentInput(reading=reading)),
    )


@pytest.fixture
def checks(
    use_identity_simulator: IdentitySimulatorHandle, use_face_match_simulator: FaceMatchSimulatorHandle
) -> tuple[IdentitySimulatorHandle, FaceMatchSimulatorHandle]:
    """Both outside systems of the checks, on loopback, freshly reset."""
    return use_identity_simulator, use_face_match_simulator


def today() -> dt.date:
    return timezone.localdate()
