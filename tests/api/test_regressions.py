"""Bad input the generated requests found, each pinned down as an example: a specific 4xx, never a 500."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.accounts.helpers import login_fully
from tests.api.conftest import World
from tests.api.errors import assert_error_shape
from tests.api.snapshot import changed_tables, database_snapshot


@pytest.fixture
def reader(world: World) -> Client:
    client = Client()
    login_fully(client, world.staff)
    return client


@pytest.mark.parametrize("page", ["24422848175947154194432", "9223372036854775808", "1000000001"])
def test_an_audit_page_beyond_any_trail_is_refused_as_input(reader: Client, page: str) -> None:
    before = database_snapshot()
    response = reader.get("/api/v1/audit/events", {"page": page, "page_size": "500"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 422
    assert_error_shape(response.json(), status=422)
    assert list(response.json()["error"]["fields"]) == ["page"]
    assert changed_tables(before, database_snapshot()) == []


def test_the_last_possible_audit_page_is_empty(reader: Client) -> None:
    response = reader.get("/api/v1/audit/events", {"page": "1000000000", "page_size": "500"})
    assert response.status_code == 200
    assert response.json()["items"] == []
    assert response.json()["count"] > 0
