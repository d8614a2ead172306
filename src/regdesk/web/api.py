"""JSON API of the web app, mounted under /api/v1/: the health check (see ``regdesk.web.health``)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema, Status

from regdesk.web.health import Check, system_health

router = Router(tags=["web"])


class CheckOut(Schema):
    status: str
    age_seconds: float | None = None
    max_age_seconds: int | None = None


class HealthOut(Schema):
    status: str
    database: str
    queue: CheckOut
    regulator_poll: CheckOut


def _check_out(check: Check) -> CheckOut:
    return CheckOut(status=check.status, age_seconds=check.age_seconds, max_age_seconds=check.max_age_seconds)


@router.get("/health", response={200: HealthOut, 503: HealthOut}, auth=None)
def health(request: HttpRequest) -> Status[HealthOut]:
    """The database, the age of the oldest waiting task and of the last regulator poll, for load balancers and
    monitoring (no authentication, nothing personal): 200 when all are well, 503 otherwise."""
    result = system_health()
    body = HealthOut(
        status="ok" if result.healthy else "error",
        database=result.database.status,
        queue=_check_out(result.queue),
        regulator_poll=_check_out(result.regulator_poll),
    )
    return Status(200 if result.healthy else 503, body)
