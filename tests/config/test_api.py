"""The API's error shape of DESIGN.md: {"error": {"code", "message", "fields"}} with a 4xx status."""

from __future__ import annotations

import pytest
from django.test import Client


@pytest.mark.django_db
def test_unknown_endpoint_answers_in_the_error_shape(client: Client) -> None:
    response = client.get("/api/v1/no-such-thing", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert response.json() == {"error": {"code": "not_found", "message": "Not found.", "fields": {}}}


@pytest.mark.django_db
def test_invalid_query_names_the_field(client: Client) -> None:
    response = client.get("/api/v1/calendar/workdays/add?start=2026-01-01&n=many")
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_input"
    assert list(error["fields"]) == ["n"]
    assert error["message"] == "部分字段有误，请查看各字段的说明。"


@pytest.mark.django_db
def test_missing_credentials_are_refused_in_english_when_asked(client: Client) -> None:
    response = client.get("/api/v1/accounts/me", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"
    assert response.json()["error"]["message"] == "Log in or send a valid API token."


@pytest.mark.django_db
def test_openapi_document_is_served(client: Client) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.json()["info"]["title"] == "regdesk API"
