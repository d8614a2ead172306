"""Requests the API's routes never see: unknown addresses and methods an address does not take. Both answer in
the error shape, with or without a CSRF cookie."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.accounts.helpers import login_fully
from tests.api.conftest import World
from tests.api.errors import assert_error_shape
from tests.api.snapshot import changed_tables, database_snapshot

pytestmark = pytest.mark.django_db

UNSAFE_METHODS = ["post", "put", "patch", "delete"]


@pytest.fixture
def strict_client() -> Client:
    """A client that, like a browser or an integration, gets no CSRF exemption from the test framework."""
    return Client(enforce_csrf_checks=True)


@pytest.mark.parametrize("method", UNSAFE_METHODS)
@pytest.mark.parametrize(
    "path", ["/api/v1/no-such-thing", "/api/v1/cases/not-a-number/actions/submit", "/api/v2/cases/1"]
)
def test_unsafe_methods_on_unknown_addresses_get_404_in_the_error_shape(
    strict_client: Client, method: str, path: str
) -> None:
    response = getattr(strict_client, method)(path, data="{}", content_type="application/json")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert_error_shape(response.json(), status=404)
    assert response.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize(
    ("path", "method", "allowed"),
    [
        ("/api/v1/accounts/me", "post", "GET"),
        ("/api/v1/health", "delete", "GET"),
        ("/api/v1/calendar/workdays/add", "put", "GET"),
        ("/api/v1/audit/events", "patch", "GET"),
        ("/api/v1/cases/1", "post", "GET"),
        ("/api/v1/cases/1/actions/submit", "get", "POST"),
        ("/api/v1/cases/1/actions/submit", "delete", "POST"),
    ],
)
def test_a_method_an_address_does_not_take_gets_405_in_the_error_shape(
    strict_client: Client, path: str, method: str, allowed: str
) -> None:
    response = getattr(strict_client, method)(path, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 405
    assert response["Allow"] == allowed
    assert_error_shape(response.json(), status=405)
    error = response.json()["error"]
    assert error["code"] == "method_not_allowed"
    assert error["message"] == f"This address does not take {method.upper()} requests; it takes {allowed}."


def test_the_405_message_is_chinese_by_default(strict_client: Client) -> None:
    response = strict_client.post("/api/v1/health")
    assert response.json()["error"]["message"] == "此地址不接受 POST 请求，只接受 GET。"


def test_a_post_without_the_csrf_token_is_refused_with_a_specific_error(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    login_fully(client, world.staff)
    before = database_snapshot()
    response = client.post(
        f"/api/v1/cases/{world.draft_case.pk}/actions/withdraw",
        data="{}",
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 403
    assert_error_shape(response.json(), status=403)
    error = response.json()["error"]
    assert error["code"] == "csrf_failed"
    assert error["message"].startswith("The CSRF check failed")
    assert changed_tables(before, database_snapshot()) == []


@pytest.mark.parametrize("body", ["{", "not json", '{"note": "unterminated}', "\\x00"])
def test_a_body_that_is_not_json_is_refused_with_a_specific_error(world: World, body: str) -> None:
    client = Client()
    login_fully(client, world.staff)
    before = database_snapshot()
    response = client.post(
        f"/api/v1/cases/{world.draft_case.pk}/actions/withdraw",
        data=body,
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert_error_shape(response.json(), status=400)
    assert response.json()["error"] == {
        "code": "invalid_body",
        "message": "The request body is not valid JSON.",
        "fields": {},
    }
    assert changed_tables(before, database_snapshot()) == []


@pytest.mark.parametrize("path", ["/api/v1/health", "/api/v1/calendar/workdays/add?start=2026-01-01&n=1"])
def test_more_query_parameters_than_django_reads_get_400_in_the_error_shape(client: Client, path: str) -> None:
    separator = "&" if "?" in path else "?"
    response = client.get(path + separator + "&".join(f"p{number}=1" for number in range(1001)))
    assert response.status_code == 400
    assert_error_shape(response.json(), status=400)
    assert response.json()["error"]["code"] == "too_many_fields"
