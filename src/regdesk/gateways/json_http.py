"""One JSON request to an outside system over HTTP, with the time-out, retry and error rules every port shares.

The identity check, enterprise registry and provisioning adapters use it (the SMS adapter predates it). Each
attempt waits at most ``timeout_seconds``; transient failures (time-outs, refused connections, 408/425/429/5xx,
an unreadable answer) are tried again up to ``attempts`` times with a doubling backoff, and the last one is
raised; every other 4xx is a permanent refusal, raised at once. The idempotency key travels in a header, so a
repeat after a lost answer is recognised by the other side.

Error messages name the system and the HTTP status only, never the request (it may carry personal data).
"""

from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.utils.functional import Promise

from regdesk.gateways.errors import GatewayError, PermanentGatewayError, TransientGatewayError

Answer = TypeVar("Answer")
IDEMPOTENCY_HEADER = "Idempotency-Key"
# Statuses after which the same request may succeed later: overload, rate limits, time-outs of the service.
TRANSIENT_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})
_SERVICE_CODE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
# Keys travel in an HTTP header: visible ASCII only, and never personal data (callers use case and task ids).
_IDEMPOTENCY_KEY = re.compile(r"^[\x21-\x7e]{1,200}$")


@dataclass(frozen=True)
class ServiceMessages:
    """The user-facing sentences of one outside system's failures (``unavailable`` and ``refused`` take
    ``%(status)s``)."""

    unavailable: str | Promise
    refused: str | Promise
    timeout: str | Promise
    unreachable: str | Promise
    bad_answer: str | Promise


@dataclass(frozen=True)
class JsonHttpClient:
    """Sends JSON requests to ``base_url``. ``refusals`` turns a service's error code (``{"error": {"code"}}``
    of a 4xx answer) into a specific permanent error; other refusals are ``PermanentGatewayError("http_<status>")``.
    """

    base_url: str
    timeout_seconds: float
    messages: ServiceMessages
    attempts: int = 3
    backoff_seconds: float = 0.2
    refusals: Mapping[str, Callable[[], PermanentGatewayError]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.base_url.startswith(("http://", "https://")):
            raise ValueError("an outside system's URL must be http:// or https://")
        object.__setattr__(self, "base_url", self.base_url.rstrip("/"))
        object.__setattr__(self, "attempts", max(1, self.attempts))

    def request(
        self,
        method: str,
        path: str,
        *,
        read: Callable[[dict[str, Any]], Answer],
        document: Any = None,
        idempotency_key: str | None = None,
    ) -> Answer:
        """The answer's JSON object as ``read`` understands it, repeating transient failures (an answer ``read``
        cannot understand, raising KeyError, TypeError or ValueError, is one); the last transient error is raised.
        """
        if idempotency_key is not None and not _IDEMPOTENCY_KEY.match(idempotency_key):
            raise ValueError("an idempotency key is 1-200 visible ASCII characters")
        last_error: GatewayError | None = None
        for attempt in range(self.attempts):
            if attempt:
                time.sleep(self.backoff_seconds * 2 ** (attempt - 1))
            try:
                answer = self._request_once(method, path, document, idempotency_key)
            except TransientGatewayError as error:
                last_error = error
                continue
            try:
                return read(answer)
            except (KeyError, TypeError, ValueError):
                # The service answered but not in a way we understand; a repeat with the same key is safe.
                last_error = self._bad_answer()
        assert last_error is not None  # noqa: S101 - the loop ran at least once
        raise last_error

    def _bad_answer(self) -> TransientGatewayError:
        """The error for an answer that arrived but cannot be understood (a repeat may get a readable one)."""
        return TransientGatewayError("bad_answer", self.messages.bad_answer)

    def _request_once(self, method: str, path: str, document: Any, idempotency_key: str | None) -> dict[str, Any]:
        headers = {"Accept": "application/json"}
        body = None
        if document is not None:
            body = json.dumps(document, ensure_ascii=False).encode("utf-8")
            headers["Content-Type"] = "application/json; charset=utf-8"
        if idempotency_key is not None:
            headers[IDEMPOTENCY_HEADER] = idempotency_key
        request = urllib.request.Request(  # noqa: S310 - the scheme is checked in __post_init__
            f"{self.base_url}{path}", data=body, method=method, headers=headers
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout_seconds) as response:  # noqa: S310
                payload = response.read()
        except urllib.error.HTTPError as error:
            raise self._refusal(error) from None
        except TimeoutError:
            raise TransientGatewayError("timeout", self.messages.timeout) from None
        except urllib.error.URLError as error:
            # urllib wraps a time-out while connecting in URLError; its reason tells it from a refused connection.
            if isinstance(error.reason, TimeoutError):
                raise TransientGatewayError("timeout", self.messages.timeout) from None
            raise TransientGatewayError("unreachable", self.messages.unreachable) from None
        except OSError:
            raise TransientGatewayError("unreachable", self.messages.unreachable) from None
        try:
            answer = json.loads(payload.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise self._bad_answer() from None
        if not isinstance(answer, dict):
            raise self._bad_answer()
        return answer

    def _refusal(self, error: urllib.error.HTTPError) -> GatewayError:
        status = error.code
        try:
            service_code = json.loads(error.read().decode("utf-8"))["error"]["code"]
        except (OSError, UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError):
            service_code = None
        finally:
            error.close()
        if status in TRANSIENT_STATUSES:
            return TransientGatewayError(f"http_{status}", self.messages.unavailable % {"status": status})
        if isinstance(service_code, str) and _SERVICE_CODE.match(service_code) and service_code in self.refusals:
            return self.refusals[service_code]()
        return PermanentGatewayError(f"http_{status}", self.messages.refused % {"status": status})
