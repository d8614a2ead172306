"""The SMS gateway port (短信网关): a typed interface and the HTTP adapter.

The adapter speaks the gateway's JSON API (``POST {base}/sms`` with ``{"to", "text"}`` and an ``Idempotency-Key``
header, the same API as ``regdesk.simulators.sms``). It waits at most ``REGDESK_GATEWAY_TIMEOUT_SECONDS`` per
request and tries up to ``REGDESK_GATEWAY_ATTEMPTS`` times (default 3) on transient failures, with a short
backoff; the idempotency key makes those repeats, and any later repeat by the outbox, send one message only.

The standard library's urllib is enough for one JSON POST and keeps the dependency list short.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Protocol

from django.utils.translation import gettext_lazy as _

from regdesk.gateways import config
from regdesk.gateways.errors import GatewayError, PermanentGatewayError, TransientGatewayError

IDEMPOTENCY_HEADER = "Idempotency-Key"
# Statuses after which the same request may succeed later: overload, rate limits, time-outs of the gateway.
TRANSIENT_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})


@dataclass(frozen=True)
class SmsReceipt:
    """The gateway's answer: its message id, and whether it had already accepted this key (``duplicate``)."""

    message_id: str
    duplicate: bool


class SmsGateway(Protocol):
    """Sends one text message. Raises ``TransientGatewayError`` or ``PermanentGatewayError``."""

    def send(self, *, to: str, text: str, idempotency_key: str) -> SmsReceipt: ...


class HttpSmsGateway:
    """The real adapter over HTTP."""

    def __init__(
        self, *, base_url: str, timeout_seconds: float, attempts: int = 3, backoff_seconds: float = 0.2
    ) -> None:
        if not base_url.startswith(("http://", "https://")):
            raise ValueError("the SMS gateway URL must be http:// or https://")
        self.base_url = base_url.rstrip("/")
        self.timeout_seconds = timeout_seconds
        self.attempts = max(1, attempts)
        self.backoff_seconds = backoff_seconds

    def send(self, *, to: str, text: str, idempotency_key: str) -> SmsReceipt:
        """Send, repeating transient failures; the last transient error is raised when every attempt failed."""
        last_error: GatewayError | None = None
        for attempt in range(self.attempts):
            if attempt:
                time.sleep(self.backoff_seconds * 2 ** (attempt - 1))
            try:
                return self._send_once(to=to, text=text, idempotency_key=idempotency_key)
            except TransientGatewayError as error:
                last_error = error
        assert last_error is not None  # noqa: S101 - the loop ran at least once
        raise last_error

    def _send_once(self, *, to: str, text: str, idempotency_key: str) -> SmsReceipt:
        body = json.dumps({"to": to, "text": text}, ensure_ascii=False).encode("utf-8")
        request = urllib.request.Request(  # noqa: S310 - the scheme is checked in __init__
            f"{self.base_url}/sms",
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "Accept": "application/json",
                IDEMPOTENCY_HEADER: idempotency_key,
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout_seconds) as response:  # noqa: S310
                payload = response.read()
        except urllib.error.HTTPError as error:
            error.close()
            if error.code in TRANSIENT_STATUSES:
                raise TransientGatewayError(
                    f"http_{error.code}",
                    _("The SMS gateway is unavailable (HTTP %(status)s).") % {"status": error.code},
                ) from None
            raise PermanentGatewayError(
                f"http_{error.code}",
                _("The SMS gateway refused the message (HTTP %(status)s).") % {"status": error.code},
            ) from None
        except TimeoutError:
            raise TransientGatewayError("timeout", _("The SMS gateway did not answer in time.")) from None
        except (urllib.error.URLError, OSError):
            raise TransientGatewayError("unreachable", _("The SMS gateway cannot be reached.")) from None
        try:
            document = json.loads(payload.decode("utf-8"))
            return SmsReceipt(message_id=str(document["id"]), duplicate=bool(document.get("duplicate", False)))
        except (UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError):
            # The gateway accepted the message but its answer is unreadable; a repeat with the same key is safe.
            raise TransientGatewayError("bad_answer", _("The SMS gateway's answer could not be read.")) from None


def get_sms_gateway() -> SmsGateway:
    """The configured SMS gateway (the simulator on loopback in development and tests)."""
    return HttpSmsGateway(
        base_url=config.sms_gateway_url(),
        timeout_seconds=config.timeout_seconds(),
        attempts=config.attempts(),
    )
