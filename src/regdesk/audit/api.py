"""JSON API of the audit app, mounted under /api/v1/: the auditor's read-only view of the trail."""

# No "from __future__ import annotations": django-ninja reads the annotations at run time.
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from regdesk.audit.models import AuditEvent
from regdesk.audit.permissions import can_read_audit_trail
from regdesk.audit.selectors import AuditEventFilter, audit_event_by_sequence, audit_events
from regdesk.config.api_types import IsoDate, QueryInteger
from regdesk.config.errors import ApiError

if TYPE_CHECKING:
    from regdesk.accounts.models import User

router = Router(tags=["audit"])

# Far beyond any trail (a billion events at the smallest page size), and small enough that the query's OFFSET
# stays a 64-bit number: a larger page would make the database refuse the query.
MAX_PAGE = 1_000_000_000


class AuditPagination(PageNumberPagination):
    """Page numbers with an upper bound, so that a wild ``page`` is refused as input (422), not by the database."""

    class Input(Schema):
        page: QueryInteger = Field(1, ge=1, le=MAX_PAGE)
        page_size: QueryInteger | None = Field(None, ge=1)


class AuditEventOut(Schema):
    sequence: int
    occurred_at: datetime
    actor_id: int | None
    actor_name: str
    role: str
    unit_code: str
    action: str
    object_type: str
    object_id: str
    changes: dict[str, Any]
    request_address: str
    purpose: str
    previous_hash: str
    hash: str


class AuditEventQuery(Schema):
    actor: str = Field("", max_length=150, description="Part of the actor's user name.")
    action: str = Field("", max_length=100, description="An action, or a prefix of dotted actions.")
    object_type: str = Field("", max_length=100)
    object_id: str = Field("", max_length=100)
    date_from: IsoDate | None = Field(None, description="First local (Asia/Shanghai) day, inclusive.")
    date_to: IsoDate | None = Field(None, description="Last local (Asia/Shanghai) day, inclusive.")


def _caller(request: HttpRequest) -> "User | None":
    """The authenticated user: the session's, or the one an authentication class put in ``request.auth``.

    The router is mounted with the desk's authentication (session or API token) by ``config/api.py``; the trail
    knows the user model only through Django, so that accounts/, which writes the trail, stays above it.
    """
    user_model = get_user_model()
    if isinstance(request.user, user_model) and request.user.is_authenticated:
        return request.user
    auth = getattr(request, "auth", None)
    return auth if isinstance(auth, user_model) else None


def _require_reader(request: HttpRequest) -> None:
    if not can_read_audit_trail(_caller(request)):
        raise ApiError("forbidden", _("Only auditors and compliance officers read the audit trail."), status=403)


@router.get("/events", response=list[AuditEventOut], url_name="audit_events")
@paginate(AuditPagination, page_size=50, max_page_size=500)
def list_events(request: HttpRequest, filters: Query[AuditEventQuery]) -> QuerySet[AuditEvent]:
    """Events, newest first, filtered by actor, action, object and local date range; ``page`` and ``page_size``."""
    _require_reader(request)
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        raise ApiError(
            "invalid_input",
            _("The end date is before the start date."),
            status=422,
            fields={"date_to": [_("The end date is before the start date.")]},
        )
    return audit_events(AuditEventFilter(**filters.dict()))


@router.get("/events/{sequence}", response=AuditEventOut, url_name="audit_event")
def get_event(request: HttpRequest, sequence: int) -> AuditEvent:
    """One event by its sequence number; "not found" alike for a missing event and a caller who may not read it."""
    if not can_read_audit_trail(_caller(request)):
        raise Http404
    return audit_event_by_sequence(sequence)
