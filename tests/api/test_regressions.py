"""Bad input the generated requests found, each pinned down as an example: a specific 4xx, never a 500."""

from __future__ import annotations

from urllib.parse import urlencode

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


@pytest.mark.parametrize("path", ["/api/v1/cases/a%0Ab", "/api/v1/%0A", "/api/v1/cases/1/actions/x%0D%0Ay/z"])
def test_an_api_path_with_a_line_break_is_not_found_in_the_error_shape(client: Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert_error_shape(response.json(), status=404)


NOT_DATES = ["0", "-9.348672168339621e-213", "1699920000", "2026-01-01T00:00:00", "２０２６-01-01", "2026-1-1"]


@pytest.mark.django_db
@pytest.mark.parametrize("text", NOT_DATES)
def test_working_day_dates_are_written_yyyy_mm_dd(client: Client, text: str) -> None:
    for url, query in [
        ("/api/v1/calendar/workdays/add", {"start": text, "n": "1"}),
        ("/api/v1/calendar/workdays/between", {"start": "2026-01-01", "end": text}),
    ]:
        response = client.get(url, query, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 422, (url, response.content)
        assert_error_shape(response.json(), status=422)
        field = "start" if "add" in url else "end"
        assert response.json()["error"]["fields"] == {field: ["Give a date as YYYY-MM-DD."]}


@pytest.mark.parametrize("text", NOT_DATES)
def test_audit_filter_dates_are_written_yyyy_mm_dd(reader: Client, text: str) -> None:
    response = reader.get("/api/v1/audit/events", {"date_from": text})
    assert response.status_code == 422
    assert_error_shape(response.json(), status=422)
    assert response.json()["error"]["fields"] == {"date_from": ["日期须写成 YYYY-MM-DD 格式。"]}


@pytest.mark.django_db
def test_the_document_still_declares_the_dates_as_dates(client: Client) -> None:
    document = client.get("/api/v1/openapi.json").json()
    parameters = document["paths"]["/api/v1/calendar/workdays/add"]["get"]["parameters"]
    start = next(parameter for parameter in parameters if parameter["name"] == "start")
    assert start["schema"] == {"format": "date", "title": "Start", "type": "string"}


def _nul_requests(world: World) -> list[tuple[str, str, dict[str, str], str, list[str]]]:
    """(method, path, query, JSON body, fields named in the refusal) with NUL characters in each place."""
    waiting = f"/api/v1/cases/{world.waiting_case.pk}/actions"
    return [
        ("get", "/api/v1/audit/events", {"actor": "a\x00b"}, "", ["actor"]),
        ("get", "/api/v1/audit/events", {"object_id": "\x00", "action": "x\x00"}, "", ["action", "object_id"]),
        ("post", f"{waiting}/approve", {"role": "compliance_officer"}, '{"note": "ok\\u0000"}', ["note"]),
        ("post", f"{waiting}/approve", {"role": "compliance_officer"}, '{"note": "ok", "x\\u0000": 1}', ["x\\x00"]),
        ("post", f"{waiting}/approve", {}, '{"notes": [{"text": "\\u0000"}]}', ["notes.0.text"]),
        ("post", f"{waiting}/approve", {"role": "compliance\x00officer"}, '{"note": "ok"}', ["role"]),
        ("post", f"{waiting}/with%00draw", {}, "{}", ["action"]),
    ]


def _assert_nul_refused(world: World) -> None:
    client = Client()
    login_fully(client, world.staff)
    for method, path, query, body, fields in _nul_requests(world):
        before = database_snapshot()
        if method == "get":
            response = client.get(path, query, HTTP_ACCEPT_LANGUAGE="en")
        else:
            url = f"{path}?{urlencode(query)}" if query else path
            response = client.post(url, data=body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 422, (path, query, body, response.content)
        assert_error_shape(response.json(), status=422)
        assert response.json()["error"]["fields"] == {name: ["Null characters are not allowed."] for name in fields}
        assert changed_tables(before, database_snapshot()) == []


def test_nul_characters_are_refused_before_any_view_runs(world: World) -> None:
    _assert_nul_refused(world)


@pytest.mark.postgres
def test_nul_characters_are_refused_on_postgresql(world: World) -> None:
    """PostgreSQL stores no NUL character in text or JSON: without the refusal these were 500s."""
    _assert_nul_refused(world)


def test_a_json_body_with_an_escaped_backslash_before_u0000_is_no_nul(world: World) -> None:
    client = Client()
    login_fully(client, world.staff)
    response = client.post(
        f"/api/v1/cases/{world.waiting_case.pk}/actions/approve?role=compliance_officer",
        data='{"note": "C:\\\\u0000 is a path"}',
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["state"] == "done"


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e999", "-1e999", "1" + "0" * 5000])
def test_numbers_json_does_not_have_are_refused_as_a_body_that_is_not_json(world: World, number: str) -> None:
    client = Client()
    login_fully(client, world.staff)
    before = database_snapshot()
    response = client.post(
        f"/api/v1/cases/{world.waiting_case.pk}/actions/approve?role=compliance_officer",
        data=f'{{"note": {number}}}',
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_body"
    assert changed_tables(before, database_snapshot()) == []


@pytest.mark.postgres
def test_numbers_json_does_not_have_are_refused_on_postgresql(world: World) -> None:
    client = Client()
    login_fully(client, world.staff)
    response = client.post(
        f"/api/v1/cases/{world.waiting_case.pk}/actions/approve?role=compliance_officer",
        data='{"note": NaN}',
        content_type="application/json",
    )
    assert response.status_code == 400


def test_large_and_small_finite_numbers_still_pass(world: World) -> None:
    client = Client()
    login_fully(client, world.staff)
    response = client.post(
        f"/api/v1/cases/{world.waiting_case.pk}/actions/approve?role=compliance_officer",
        data='{"note": "fine", "weight": 1.7976931348623157e308, "tiny": 5e-324, "count": 12345678901234567890123}',
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["state"] == "done"
