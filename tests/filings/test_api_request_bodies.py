"""Bodies the API cannot take as sent: a broken multipart form, a JSON body over the limit, one document more than
a case holds. Each answers 400 / 413 / 422 in the API's error shape, never 500, and stores nothing."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from pytest_django import Settings

from regdesk.accounts.models import User
from regdesk.audit.models import AuditEvent
from regdesk.cases.models import Document
from regdesk.filings.models import Filing
from tests.accounts.helpers import login_fully
from tests.api.errors import assert_error_shape
from tests.filings.builders import World, draft

pytestmark = pytest.mark.django_db
PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

BROKEN_MULTIPART = {
    "no boundary": (b"%PDF-1.4", "multipart/form-data"),
    "empty boundary": (b"%PDF-1.4", "multipart/form-data; boundary="),
    "boundary with a space": (b"--a b\r\n%PDF-1.4", 'multipart/form-data; boundary="a b "'),
    "non-ASCII boundary": (b"%PDF-1.4", "multipart/form-data; boundary=分隔"),
}


def client_for(user: User) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    login_fully(client, user)
    return client


def refusal(response: Any, status: int) -> dict[str, Any]:
    """The error of a refusal with ``status``, checked against the API's error shape."""
    assert response.status_code == status, response.content
    body = response.json()
    assert_error_shape(body, status=status)
    error: dict[str, Any] = body["error"]
    return error


def _stored() -> tuple[int, int]:
    return Document.objects.count(), AuditEvent.objects.count()


@pytest.mark.parametrize("name", sorted(BROKEN_MULTIPART))
def test_a_broken_multipart_upload_answers_400_and_stores_nothing(world: World, name: str) -> None:
    filing = draft(world)
    body, content_type = BROKEN_MULTIPART[name]
    before = _stored()
    response = client_for(world.owner).post(
        f"/api/v1/filings/{filing.pk}/documents", data=body, content_type=content_type
    )
    assert refusal(response, 400)["code"] == "invalid_body"
    assert _stored() == before


def test_a_json_body_over_the_limit_answers_413(world: World, settings: Settings) -> None:
    # Below the request limit (the middleware lets it through) but above what Django reads into memory.
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    payload = json.dumps({"data": {"note": "x" * 2048}})
    before = (Filing.objects.count(), AuditEvent.objects.count())
    response = client_for(world.owner).post("/api/v1/filings", data=payload, content_type="application/json")
    assert refusal(response, 413)["code"] == "too_large"
    assert (Filing.objects.count(), AuditEvent.objects.count()) == before


def test_a_case_takes_no_more_documents_than_configured(world: World, settings: Settings) -> None:
    settings.REGDESK_CASE_MAX_DOCUMENTS = 2
    filing = draft(world)
    client = client_for(world.owner)
    path = f"/api/v1/filings/{filing.pk}/documents"

    def upload() -> Any:
        return client.post(path, {"file": SimpleUploadedFile("scan.pdf", PDF_BYTES, content_type="application/pdf")})

    held = Document.objects.filter(case=filing.case).count()
    for _ in range(settings.REGDESK_CASE_MAX_DOCUMENTS - held):
        assert upload().status_code == 201
    before = _stored()
    error = refusal(upload(), 422)
    assert list(error["fields"]) == ["document"]
    assert "at most 2" in error["fields"]["document"][0]
    assert _stored() == before
