"""Bodies over REGDESK_REQUEST_MAX_BYTES are refused from their declared length, before anything reads them: 413 in
the API's error shape under /api/, a page in both languages elsewhere."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.core.handlers.wsgi import WSGIHandler
from pytest_django import Settings

from tests.api.errors import assert_error_shape

pytestmark = pytest.mark.django_db
LIMIT = 4096


class UnreadableBody(io.RawIOBase):
    """A request body that fails the test if anybody reads from it."""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        raise AssertionError("the body was read")


def send(
    path: str, *, length: str, content_type: str = "application/json", language: str = "en"
) -> tuple[int, dict[str, str], bytes]:
    """POST through the whole WSGI application with a declared length and a body nobody may read."""
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "HTTP_HOST": "testserver",
        "HTTP_ACCEPT_LANGUAGE": language,
        "CONTENT_TYPE": content_type,
        "CONTENT_LENGTH": length,
        "wsgi.input": UnreadableBody(),
        "wsgi.url_scheme": "http",
        "wsgi.errors": io.StringIO(),
    }
    started: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Callable[[bytes], object]:
        started["status"], started["headers"] = int(status.split()[0]), dict(headers)
        return lambda data: None

    body = b"".join(WSGIHandler()(environ, start_response))
    return started["status"], started["headers"], body


@pytest.fixture(autouse=True)
def _small_limit(settings: Settings) -> None:
    settings.REGDESK_REQUEST_MAX_BYTES = LIMIT


def test_an_api_body_over_the_limit_is_refused_unread_in_the_error_shape() -> None:
    status, headers, body = send("/api/v1/filings", length=str(LIMIT + 1))
    assert status == 413
    assert headers["Content-Type"].startswith("application/json")
    error = json.loads(body)
    assert_error_shape(error, status=413)
    assert error["error"]["code"] == "too_large"
    assert "4,096" in error["error"]["message"]


def test_the_refusal_speaks_the_callers_language() -> None:
    _status, _headers, body = send("/api/v1/filings", length=str(LIMIT + 1), language="zh-hans")
    message = json.loads(body)["error"]["message"]
    assert "4,096" in message
    assert "request" not in message.lower()


def test_a_page_body_over_the_limit_gets_a_page_in_both_languages() -> None:
    status, headers, body = send(
        "/portal/filings/new/", length=str(10 * LIMIT), content_type="multipart/form-data; boundary=x"
    )
    assert status == 413
    assert headers["Content-Type"].startswith("text/html")
    page = body.decode()
    assert 'lang="zh-hans"' in page
    assert 'lang="en"' in page
    assert "The request is larger than the server accepts" in page


def test_a_length_that_is_no_number_is_a_bad_request() -> None:
    status, _headers, body = send("/api/v1/filings", length="12abc")
    assert status == 400
    assert json.loads(body)["error"]["code"] == "invalid_body"


def test_a_body_within_the_limit_reaches_the_view() -> None:
    status, _headers, body = send("/api/v1/no-such-endpoint", length="0")
    assert status == 404
    assert json.loads(body)["error"]["code"] == "not_found"
