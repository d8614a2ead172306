"""The network provisioning port: turns a website's access and a line's service on and off.

Access follows the filing ("register first, access later", 先备案后接入): a website gets access once it has a
record number and loses it when the record is cancelled. A line's service follows real-name registration:
suspended one way (no outgoing calls, SMS or data), then two ways (only emergency numbers), then cancelled, and
restored at once when the owner registers (DOMAIN.md §2).

The adapter speaks the provisioning system's JSON API (``PUT {base}/websites/{ref}/access`` and
``PUT {base}/lines/{ref}/service`` with an ``Idempotency-Key`` header; the same API as
``regdesk.simulators.provisioning``). Each request states the desired state, and the key makes a repeat after a
lost answer return the first receipt instead of acting twice. ``website_ref`` and ``line_ref`` are opaque
references of ours (never a domain owner's name or a phone number).
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol, get_args
from urllib.parse import quote

from django.utils.translation import gettext_lazy as _

from regdesk.gateways import config
from regdesk.gateways.errors import PermanentGatewayError
from regdesk.gateways.json_http import JsonHttpClient, ServiceMessages

LineMode = Literal["normal", "one_way_suspended", "two_way_suspended", "cancelled"]
LINE_MODES: tuple[LineMode, ...] = get_args(LineMode)
# References travel in URLs: letters, digits and . _ : - only, so that they cannot carry free text.
REFERENCE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$")

MESSAGES = ServiceMessages(
    unavailable=_("The provisioning system is unavailable (HTTP %(status)s)."),
    refused=_("The provisioning system refused the request (HTTP %(status)s)."),
    timeout=_("The provisioning system did not answer in time."),
    unreachable=_("The provisioning system cannot be reached."),
    bad_answer=_("The provisioning system's answer could not be read."),
)


class LineCancelledError(PermanentGatewayError):
    """The line is cancelled: its number went back to the pool and its service cannot be turned on again."""

    def __init__(self) -> None:
        super().__init__("line_cancelled", _("The line is cancelled; its service cannot be changed."))


def _idempotency_conflict() -> PermanentGatewayError:
    return PermanentGatewayError(
        "idempotency_conflict", _("The provisioning system already used this key for another request.")
    )


@dataclass(frozen=True)
class ProvisioningReceipt:
    """The provisioning system's receipt. ``changed`` is False when the state already was the one asked for;
    ``duplicate`` says the key had been seen before and nothing was done this time."""

    receipt_id: str
    reference: str
    applied_at: dt.datetime
    changed: bool
    duplicate: bool


class ProvisioningGateway(Protocol):
    """Sets the desired state of a website's access or a line's service. Raises ``TransientGatewayError`` or
    ``PermanentGatewayError`` (``LineCancelledError`` for a cancelled line)."""

    def website_access(
        self,
        *,
        website_ref: str,
        domains: Sequence[str],
        ip_ranges: Sequence[tuple[str, str]],
        enabled: bool,
        idempotency_key: str,
    ) -> ProvisioningReceipt: ...

    def line_service(self, *, line_ref: str, mode: LineMode, idempotency_key: str) -> ProvisioningReceipt: ...


def _reference(value: str) -> str:
    if not REFERENCE.match(value):
        raise ValueError("a provisioning reference is 1-100 of A-Z a-z 0-9 . _ : - starting with a letter or digit")
    return quote(value, safe="")


def _range(first: str, last: str) -> dict[str, str]:
    start, end = ipaddress.ip_address(first), ipaddress.ip_address(last)
    if start.version != end.version or int(start) > int(end):
        raise ValueError("an IP range runs from a lower to a higher address of the same version")
    return {"start": str(start), "end": str(end)}


def _receipt(answer: dict[str, Any]) -> ProvisioningReceipt:
    applied_at = dt.datetime.fromisoformat(answer["applied_at"])
    if applied_at.tzinfo is None:
        raise ValueError("applied_at without a time zone")
    return ProvisioningReceipt(
        receipt_id=str(answer["receipt_id"]),
        reference=str(answer["reference"]),
        applied_at=applied_at.astimezone(dt.UTC),
        changed=bool(answer["changed"]),
        duplicate=bool(answer.get("duplicate", False)),
    )


class HttpProvisioningGateway:
    """The real adapter over HTTP."""

    def __init__(
        self, *, base_url: str, timeout_seconds: float, attempts: int = 3, backoff_seconds: float = 0.2
    ) -> None:
        self.client = JsonHttpClient(
            base_url=base_url,
            timeout_seconds=timeout_seconds,
            attempts=attempts,
            backoff_seconds=backoff_seconds,
            messages=MESSAGES,
            refusals={"line_cancelled": LineCancelledError, "idempotency_conflict": _idempotency_conflict},
        )

    def website_access(
        self,
        *,
        website_ref: str,
        domains: Sequence[str],
        ip_ranges: Sequence[tuple[str, str]],
        enabled: bool,
        idempotency_key: str,
    ) -> ProvisioningReceipt:
        """Give (``enabled``) or take away the website's access for these domains and address ranges."""
        path = f"/websites/{_reference(website_ref)}/access"
        document = {
            "domains": list(domains),
            "ip_ranges": [_range(first, last) for first, last in ip_ranges],
            "enabled": enabled,
        }
        return self.client.request("PUT", path, read=_receipt, document=document, idempotency_key=idempotency_key)

    def line_service(self, *, line_ref: str, mode: LineMode, idempotency_key: str) -> ProvisioningReceipt:
        """Put the line into ``mode``: normal, one way suspended, two ways suspended or cancelled."""
        if mode not in LINE_MODES:
            raise ValueError(f"mode must be one of {', '.join(LINE_MODES)}")
        path = f"/lines/{_reference(line_ref)}/service"
        return self.client.request("PUT", path, read=_receipt, document={"mode": mode}, idempotency_key=idempotency_key)


def get_provisioning_gateway() -> ProvisioningGateway:
    """The configured provisioning system (the simulator on loopback in development and tests)."""
    return HttpProvisioningGateway(
        base_url=config.provisioning_gateway_url(),
        timeout_seconds=config.timeout_seconds(),
        attempts=config.attempts(),
    )
