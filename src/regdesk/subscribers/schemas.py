"""Request and response bodies of the real-name registration API (``regdesk.subscribers.api``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Schema


class ErrorBody(Schema):
    code: str
    message: str
    fields: dict[str, list[str]]


class ErrorOut(Schema):
    error: ErrorBody


ERRORS: dict[int, Any] = {403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut, 429: ErrorOut, 503: ErrorOut}


class ReadingIn(Schema):
    outlet: str
    reading: dict[str, Any]


class ReadingOut(Schema):
    id: int
    device_id: str
    outlet: str
    name: str
    id_number: str
    address: str
    read_at: datetime
    verified_at: datetime
    used: bool


class DocumentIn(Schema):
    """A verified card reading (``reading_id``), or a typed document (never a resident ID card)."""

    reading_id: int | None = None
    document_type: str = ""
    number: str = ""
    name: str = ""
    address: str = ""


class IdentityIn(Schema):
    subscriber_kind: str = "individual"
    acting_party: str = "subscriber"
    subscriber: DocumentIn
    representative: DocumentIn | None = None


class LineIn(Schema):
    line_kind: str = ""
    payment: str = ""
    number: str = ""
    installation_address: str = ""
    target_number: str = ""


class RegistrationIn(Schema):
    outlet: str
    kind: str
    line: LineIn
    subscriber_kind: str = "individual"
    acting_party: str = "subscriber"
    subscriber: DocumentIn | None = None
    representative: DocumentIn | None = None


class RegistrationOut(Schema):
    id: int
    reference: str
    state: str
    kind: str
    outlet: str
    line_kind: str
    payment: str
    number: str
    subscriber_kind: str
    document_type: str
    document_number: str
    name: str
    read_by_reader: bool
    acting_party: str
    representative_document_type: str
    representative_document_number: str
    representative_name: str
    subscriber_check: str
    representative_check: str
    face_score: int | None
    face_threshold: int | None
    decision: str
    refusal_reason: str
    refusal_message: str
    line_id: int | None
    completed_at: datetime | None
    actions: list[str]


class DocumentCreated(Schema):
    id: int
    kind: str
    size: int


class LookupIn(Schema):
    reading_id: int


class LineOut(Schema):
    id: int
    number: str
    kind: str
    payment: str
    status: str
    outlet: str
    channel: str
    opened_at: datetime
    registered_at: datetime | None


class LookupOut(Schema):
    lines: list[LineOut]


class DisputeIn(Schema):
    reading_id: int
    line_id: int
    statement: str


class DisputeOut(Schema):
    id: int
    reference: str
    state: str


class ReaderIn(Schema):
    outlet: str
    public_key: str
    device_id: str = ""
    label: str = ""


class ReaderOut(Schema):
    device_id: str
    outlet: str
    active: bool
    enrolled_at: datetime
