"""A card read at the counter whose number bears a residence permit's code (810000, 820000, 830000) is the residence
permit of a Hong Kong, Macau or Taiwan resident, never a resident ID card."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from regdesk.subscribers.models import Registration
from regdesk.subscribers.rules import INDIVIDUAL_DOCUMENTS, DocumentType
from regdesk.subscribers.services import (
    DocumentInput,
    IdentityCapture,
    LineRequest,
    RegistrationRefused,
    proof_from_reading,
    reading_document_type,
    registration_start,
)
from regdesk.subscribers.services.documents import capture_document
from tests.rules.test_identity_reference import resident_number
from tests.subscribers.conftest import World, mobile_number, read_card

pytestmark = pytest.mark.django_db


def permit_holder(prefix: str) -> dict[str, Any]:
    return {"id_number": resident_number(prefix, dt.date(1990, 3, 4), 15), "name": "陈大文"}


@pytest.mark.parametrize("prefix", ["810000", "820000", "830000"])
def test_a_permit_read_at_the_counter_is_registered_as_a_residence_permit(world: World, prefix: str) -> None:
    reading = read_card(world, permit_holder(prefix))
    assert reading_document_type(reading) == DocumentType.RESIDENCE_PERMIT
    registration = registration_start(
        actor=world.clerk,
        outlet=world.outlet,
        kind="open",
        line=LineRequest(line_kind="mobile", payment="prepaid", number=mobile_number(1)),
        identity=IdentityCapture(subscriber=DocumentInput(reading=reading)),
    )
    stored = Registration.objects.get(pk=registration.pk)
    assert stored.document_type == DocumentType.RESIDENCE_PERMIT
    assert stored.case is not None
    capture = stored.case.events.get(action="capture_identity")
    assert capture.payload["document_type"] == "residence_permit"


def test_a_resident_id_card_stays_a_resident_id(world: World) -> None:
    reading = read_card(world, {"id_number": resident_number("110105", dt.date(1990, 3, 4), 15), "name": "王芳"})
    assert reading_document_type(reading) == DocumentType.RESIDENT_ID


def test_a_permit_reading_cannot_be_declared_a_resident_id(world: World) -> None:
    reading = read_card(world, permit_holder("830000"))
    with pytest.raises(RegistrationRefused) as refused:
        capture_document(
            DocumentInput(document_type=DocumentType.RESIDENT_ID, reading=reading),
            field="subscriber",
            outlet=world.outlet,
            allowed=INDIVIDUAL_DOCUMENTS,
            now=reading.verified_at,
        )
    assert refused.value.code == "document_type_invalid"
    assert refused.value.field == "subscriber.document_type"


def test_a_permit_reading_is_refused_where_only_resident_ids_are_accepted(world: World) -> None:
    reading = read_card(world, permit_holder("810000"))
    with pytest.raises(RegistrationRefused) as refused:
        capture_document(
            DocumentInput(reading=reading),
            field="subscriber",
            outlet=world.outlet,
            allowed=frozenset({DocumentType.RESIDENT_ID}),
            now=reading.verified_at,
        )
    assert refused.value.code == "document_type_not_allowed"


def test_the_lookup_of_a_permit_reading_names_the_permit(world: World) -> None:
    reading = read_card(world, permit_holder("820000"))
    proof = proof_from_reading(actor=world.clerk, reading=reading)
    assert proof.document_family == "residence_permit"
