"""A broken multipart body on the registration documents endpoint answers 400 in the API's error shape (it was a
500) and stores nothing."""

from __future__ import annotations

import pytest
from django.test import Client

from regdesk.audit.models import AuditEvent
from regdesk.cases.models import Document
from regdesk.subscribers.models import Registration
from regdesk.subscribers.services import LineRequest, registration_start
from tests.accounts.helpers import login_fully
from tests.api.errors import assert_error_shape
from tests.subscribers.conftest import World, mobile_number

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("content_type", ["multipart/form-data", "multipart/form-data; boundary="])
def test_a_broken_multipart_document_answers_400(world: World, content_type: str) -> None:
    registration: Registration = registration_start(
        actor=world.clerk,
        outlet=world.outlet,
        kind="open",
        line=LineRequest(line_kind="mobile", payment="prepaid", number=mobile_number(8)),
    )
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    login_fully(client, world.clerk)
    before = (Document.objects.count(), AuditEvent.objects.count())
    response = client.post(
        f"/api/v1/subscribers/registrations/{registration.pk}/documents", data=b"%PDF-1.4", content_type=content_type
    )
    assert response.status_code == 400, response.content
    assert_error_shape(response.json(), status=400)
    assert response.json()["error"]["code"] == "invalid_body"
    assert (Document.objects.count(), AuditEvent.objects.count()) == before
