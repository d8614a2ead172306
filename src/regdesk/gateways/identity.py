"""The identity check port (公安身份核验): name, resident ID number and photo against the public-security records.

The adapter speaks the service's JSON API (``POST {base}/verifications`` with ``{"name", "id_number", "photo"}``,
the photo base64-encoded, and an ``Idempotency-Key`` header; the same API as ``regdesk.simulators.identity``).
Each check is billed by the service and counted against the provider's quota, so repeats after a time-out carry
the same key and are answered from the first check. A service error is not an outcome: it is raised as
``TransientGatewayError`` (time-outs, 5xx; try again later) or ``PermanentGatewayError`` (the request was refused),
so that no caller can mistake it for a verdict about the person.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol

from django.utils.translation import gettext_lazy as _

from regdesk.gateways import config
from regdesk.gateways.errors import PermanentGatewayError
from regdesk.gateways.json_http import JsonHttpClient, ServiceMessages

MESSAGES = ServiceMessages(
    unavailable=_("The identity check service is unavailable (HTTP %(status)s)."),
    refused=_("The identity check service refused the request (HTTP %(status)s)."),
    timeout=_("The identity check service did not answer in time."),
    unreachable=_("The identity check service cannot be reached."),
    bad_answer=_("The identity check service's answer could not be read."),
)


class IdentityCheckOutcome(StrEnum):
    """What the public-security records say about a name, a number and a photo."""

    MATCH = "match"
    NAME_MISMATCH = "name_mismatch"
    NUMBER_NOT_FOUND = "number_not_found"
    # 注销: the number was cancelled (the holder died, or a duplicate number was withdrawn).
    NUMBER_CANCELLED = "number_cancelled"
    PHOTO_MISMATCH = "photo_mismatch"


@dataclass(frozen=True)
class IdentityCheckResult:
    """The service's verdict; ``similarity`` (0-100) is set when a photo was compared. ``duplicate`` says the
    service had already answered this idempotency key (and did not check or bill again)."""

    outcome: IdentityCheckOutcome
    similarity: int | None
    verification_id: str
    duplicate: bool

    @property
    def matched(self) -> bool:
        return self.outcome is IdentityCheckOutcome.MATCH


class IdentityCheckGateway(Protocol):
    """Checks one person. Raises ``TransientGatewayError`` or ``PermanentGatewayError`` when there is no verdict."""

    def verify(
        self, *, name: str, id_number: str, photo: bytes | None, idempotency_key: str
    ) -> IdentityCheckResult: ...


def _idempotency_conflict() -> PermanentGatewayError:
    return PermanentGatewayError(
        "idempotency_conflict", _("The identity check service already used this key for another request.")
    )


def _result(answer: dict[str, Any]) -> IdentityCheckResult:
    similarity = answer.get("similarity")
    if similarity is not None and (type(similarity) is not int or not 0 <= similarity <= 100):
        raise ValueError("similarity out of range")
    return IdentityCheckResult(
        outcome=IdentityCheckOutcome(answer["result"]),
        similarity=similarity,
        verification_id=str(answer["id"]),
        duplicate=bool(answer.get("duplicate", False)),
    )


class HttpIdentityCheckGateway:
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
            refusals={"idempotency_conflict": _idempotency_conflict},
        )

    def verify(self, *, name: str, id_number: str, photo: bytes | None, idempotency_key: str) -> IdentityCheckResult:
        """Check the person, repeating transient failures under the same key."""
        document = {
            "name": name,
            "id_number": id_number,
            "photo": base64.b64encode(photo).decode("ascii") if photo is not None else None,
        }
        return self.client.request(
            "POST", "/verifications", read=_result, document=document, idempotency_key=idempotency_key
        )


def get_identity_check_gateway() -> IdentityCheckGateway:
    """The configured identity check service (the simulator on loopback in development and tests)."""
    return HttpIdentityCheckGateway(
        base_url=config.identity_gateway_url(),
        timeout_seconds=config.timeout_seconds(),
        attempts=config.attempts(),
    )
