"""The enterprise registry port (企业登记信息, the market-regulation register): an enterprise by its unified social
credit code, and a check of the name and legal representative an applicant gives.

The adapter speaks the registry's JSON API (``GET {base}/enterprises/{uscc}`` and ``POST {base}/enterprises/verify``,
the same API as ``regdesk.simulators.registry``). Both are reads, so repeating them after a time-out is harmless and
needs no idempotency key. Service errors are raised as ``TransientGatewayError`` or ``PermanentGatewayError``,
never returned as an outcome.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol
from urllib.parse import quote

from django.utils.translation import gettext_lazy as _

from regdesk.gateways import config
from regdesk.gateways.json_http import JsonHttpClient, ServiceMessages

_USCC_SHAPE = re.compile(r"^[0-9A-Z]{18}$")

MESSAGES = ServiceMessages(
    unavailable=_("The enterprise registry is unavailable (HTTP %(status)s)."),
    refused=_("The enterprise registry refused the request (HTTP %(status)s)."),
    timeout=_("The enterprise registry did not answer in time."),
    unreachable=_("The enterprise registry cannot be reached."),
    bad_answer=_("The enterprise registry's answer could not be read."),
)


class EnterpriseStatus(StrEnum):
    """Registration status (登记状态)."""

    # 存续 / 在营: in business.
    ACTIVE = "active"
    # 注销: dissolved and struck off the register.
    DEREGISTERED = "deregistered"
    # 吊销: the business licence was revoked; the legal person exists until it is deregistered.
    REVOKED = "revoked"


class RegistryCheckOutcome(StrEnum):
    MATCH = "match"
    NAME_MISMATCH = "name_mismatch"
    REPRESENTATIVE_MISMATCH = "representative_mismatch"
    NOT_FOUND = "not_found"
    # Deregistered (注销) or revoked (吊销): ``RegistryCheckResult.status`` says which.
    DEREGISTERED = "deregistered"


@dataclass(frozen=True)
class RegistryRecord:
    """An enterprise as the register shows it."""

    uscc: str
    name: str
    legal_representative: str
    enterprise_type: str
    address: str
    established_on: dt.date
    registration_authority: str
    status: EnterpriseStatus
    status_changed_on: dt.date | None

    @property
    def in_business(self) -> bool:
        return self.status is EnterpriseStatus.ACTIVE


@dataclass(frozen=True)
class RegistryCheckResult:
    """The register's verdict on a name, a code and a legal representative; ``status`` is None when not found."""

    outcome: RegistryCheckOutcome
    status: EnterpriseStatus | None

    @property
    def matched(self) -> bool:
        return self.outcome is RegistryCheckOutcome.MATCH


class EnterpriseRegistryGateway(Protocol):
    """Reads the register. Raises ``TransientGatewayError`` or ``PermanentGatewayError`` when it cannot answer."""

    def lookup(self, *, uscc: str) -> RegistryRecord | None: ...

    def verify(self, *, name: str, uscc: str, legal_representative: str) -> RegistryCheckResult: ...


def _normalised_code(uscc: str) -> str:
    # Callers validate codes with regdesk.rules.identity first; anything else here is a programming error.
    code = uscc.strip().upper()
    if not _USCC_SHAPE.match(code):
        raise ValueError("a unified social credit code is 18 characters of 0-9 and A-Z")
    return code


def _record(document: dict[str, Any]) -> RegistryRecord:
    changed = document.get("status_changed_on")
    return RegistryRecord(
        uscc=str(document["uscc"]),
        name=str(document["name"]),
        legal_representative=str(document["legal_representative"]),
        enterprise_type=str(document["enterprise_type"]),
        address=str(document["address"]),
        established_on=dt.date.fromisoformat(document["established_on"]),
        registration_authority=str(document["registration_authority"]),
        status=EnterpriseStatus(document["status"]),
        status_changed_on=dt.date.fromisoformat(changed) if changed else None,
    )


def _lookup(answer: dict[str, Any]) -> RegistryRecord | None:
    if answer["found"] is False:
        return None
    return _record(answer["enterprise"])


def _check(answer: dict[str, Any]) -> RegistryCheckResult:
    status = answer.get("status")
    return RegistryCheckResult(
        outcome=RegistryCheckOutcome(answer["result"]),
        status=EnterpriseStatus(status) if status is not None else None,
    )


class HttpEnterpriseRegistryGateway:
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
        )

    def lookup(self, *, uscc: str) -> RegistryRecord | None:
        """The enterprise with this code, or None when the register has none (ValueError: not a code's shape)."""
        return self.client.request("GET", f"/enterprises/{quote(_normalised_code(uscc), safe='')}", read=_lookup)

    def verify(self, *, name: str, uscc: str, legal_representative: str) -> RegistryCheckResult:
        """Check the three against the register."""
        document = {"uscc": _normalised_code(uscc), "name": name, "legal_representative": legal_representative}
        return self.client.request("POST", "/enterprises/verify", read=_check, document=document)


def get_enterprise_registry_gateway() -> EnterpriseRegistryGateway:
    """The configured enterprise registry (the simulator on loopback in development and tests)."""
    return HttpEnterpriseRegistryGateway(
        base_url=config.registry_gateway_url(),
        timeout_seconds=config.timeout_seconds(),
        attempts=config.attempts(),
    )
