"""The face-match port (人像比对): how closely the face in a photo taken at the counter matches the ID card's photo.

Since 2019 a person registering a line at a physical counter must match the photo on their ID card (DOMAIN.md §2).
The port answers a score from 0 to 100; what counts as a match is the caller's threshold
(``REGDESK_FACE_MATCH_THRESHOLD``), not the service's.

The adapter speaks the service's JSON API (``POST {base}/comparisons`` with ``{"live_photo", "id_photo"}``, both
base64-encoded JPEG or PNG, and an ``Idempotency-Key`` header; the same API as ``regdesk.simulators.face_match``).
A repeat with the same key is answered from the first comparison; an unreadable answer is repeated like other
transient failures. A service error is never a score: it is raised as ``TransientGatewayError`` (time-outs, 5xx)
or ``PermanentGatewayError`` (the request was refused: ``no_face``, ``idempotency_conflict``, other 4xx). A real
model can replace the simulator behind this port without touching its callers.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any, Protocol

from django.utils.translation import gettext_lazy as _

from regdesk.gateways import config
from regdesk.gateways.errors import PermanentGatewayError
from regdesk.gateways.json_http import JsonHttpClient, ServiceMessages

MESSAGES = ServiceMessages(
    unavailable=_("The face-match service is unavailable (HTTP %(status)s)."),
    refused=_("The face-match service refused the request (HTTP %(status)s)."),
    timeout=_("The face-match service did not answer in time."),
    unreachable=_("The face-match service cannot be reached."),
    bad_answer=_("The face-match service's answer could not be read."),
)


@dataclass(frozen=True)
class FaceMatchResult:
    """The similarity of the two faces (0-100), the service's id of the comparison, and whether the service had
    already answered this idempotency key (``duplicate``)."""

    score: int
    comparison_id: str
    duplicate: bool


class FaceMatchPort(Protocol):
    """Compares two photos. Raises ``TransientGatewayError`` or ``PermanentGatewayError`` when there is no score."""

    def compare(self, *, live_photo: bytes, id_photo: bytes, idempotency_key: str) -> FaceMatchResult: ...


def _idempotency_conflict() -> PermanentGatewayError:
    return PermanentGatewayError(
        "idempotency_conflict", _("The face-match service already used this key for another comparison.")
    )


def _no_face() -> PermanentGatewayError:
    return PermanentGatewayError("no_face", _("The face-match service found no face in a photo."))


def _result(answer: dict[str, Any]) -> FaceMatchResult:
    """The comparison in the service's answer; KeyError, TypeError or ValueError when it cannot be read."""
    score = answer["score"]
    if isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= 100:
        raise ValueError("score out of range")
    return FaceMatchResult(score=score, comparison_id=str(answer["id"]), duplicate=bool(answer.get("duplicate", False)))


class HttpFaceMatchGateway:
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
            refusals={"idempotency_conflict": _idempotency_conflict, "no_face": _no_face},
        )

    def compare(self, *, live_photo: bytes, id_photo: bytes, idempotency_key: str) -> FaceMatchResult:
        """Compare the photos, repeating transient failures under the same key."""
        document = {
            "live_photo": base64.b64encode(live_photo).decode("ascii"),
            "id_photo": base64.b64encode(id_photo).decode("ascii"),
        }
        return self.client.request(
            "POST", "/comparisons", read=_result, document=document, idempotency_key=idempotency_key
        )


def get_face_match_gateway() -> FaceMatchPort:
    """The configured face-match service (the simulator on loopback in development and tests)."""
    return HttpFaceMatchGateway(
        base_url=config.face_match_gateway_url(),
        timeout_seconds=config.timeout_seconds(),
        attempts=config.attempts(),
    )
