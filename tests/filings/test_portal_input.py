"""The owner portal with unusual owners and hostile input: an individual owner is their own person in charge, and
no value typed or forged into a form causes a server error, and a refused value is never stored."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from regdesk.filings.models import Attachment, Filing, Owner, Website
from regdesk.filings.portal.fields import value_at
from regdesk.filings.services import stored_data
from tests.filings.builders import World, draft, person
from tests.filings.portal_support import client_for, owner_post, person_post, table_snapshot, url

pytestmark = pytest.mark.django_db
HOSTILE = [
    "\x00",
    "a\x00b",
    "x" * 5000,
    "<script>alert(1)</script>",
    "١٢٣٤٥٦٧٨٩٠١",
    "１３８１２３４００００",
    "😀" * 20,
    "'; DROP TABLE filings_owner; --",
    "   ",
    "\u202e",
]


def test_an_individual_owner_starts_the_person_step_as_themselves(world: World) -> None:
    individual = person(1)
    client = client_for(world.owner)
    data = owner_post(
        **{
            "owner-nature": "5",
            "owner-name": individual["name"],
            "owner-certificate-type": "2",
            "owner-certificate-number": individual["document_number"],
            "owner-investor": "",
        }
    )
    response = client.post(url("new"), {**data, "go": "next"})
    assert response.status_code == 302, response.content.decode()[:3000]
    filing = Filing.objects.get()
    assert filing.owner.is_individual
    page = client.get(url("person", filing)).content.decode()
    assert individual["document_number"] in page, "the person step starts with the owner's own ID"
    documents = client.get(url("documents", filing)).content.decode()
    assert 'data-testid="scan-owner_certificate"' not in documents, "an individual has no organisation certificate"
    assert 'data-testid="scan-owner_person_id_front"' in documents


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_values_are_refused_without_a_server_error(world: World, value: str) -> None:
    filing = draft(world)
    client = client_for(world.owner)
    for field in ("person-name", "person-mobile", "person-document_type", "person-email"):
        path = "owner.person_in_charge." + field.removeprefix("person-")
        before = stored_data(filing).to_json()
        response = client.post(url("person", filing), {**person_post(), field: value, "go": "stay"})
        assert response.status_code in (302, 422), (field, response.status_code)
        if response.status_code == 422:
            # The refused value is not stored (the step's valid values are: a refusal loses nothing else).
            assert value_at(stored_data(filing).to_json(), path) == value_at(before, path), field
        assert client.post(url("person_validate", filing), {**person_post(), field: value}).status_code == 200
    for field in ("owner-address-province", "owner-certificate-type", "owner-nature"):
        before_rows = table_snapshot(Owner, Website, Filing, Attachment)
        response = client.post(url("owner", filing), {**owner_post(), field: value, "go": "stay"})
        if value.strip():
            assert response.status_code == 422, field
            assert table_snapshot(Owner, Website, Filing, Attachment) == before_rows, field
    before = table_snapshot(Owner, Website, Filing, Attachment)
    assert client.get(url("divisions"), {"parent": value}).status_code == 200
    assert client.post(url("documents", filing), {"kind": value, "website": value}).status_code == 422
    response = client.post(url("website", filing, position=0), {"website0-domains": value, "go": "stay"})
    assert response.status_code in (302, 422)
    if response.status_code == 422:
        assert table_snapshot(Owner, Website, Filing, Attachment) == before


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=60))
def test_any_text_in_the_validation_endpoint_answers_with_field_errors(world: World, text: str) -> None:
    filing = Filing.objects.first() or draft(world)
    response = client_for(world.owner).post(
        url("person_validate", filing), {**person_post(), "person-mobile": text, "person-email": text}
    )
    assert response.status_code == 200
    assert 'id="error-person-mobile"' in response.content.decode()
