"""JSON API of real-name registration, mounted under /api/v1/subscribers/ (sessions or API tokens).

* ``POST /readings`` ``{"outlet": code, "reading": {signed reading}}`` — verify a resident ID card read at the
  outlet's reader; answers the reading's id and its masked data.
* ``POST /registrations`` ``{"outlet", "kind", "line": {...}, "subscriber": {...}?, ...}`` — start a registration;
  with ``subscriber`` (a ``reading_id``, or a typed non-resident document) the identity is captured at once.
* ``GET /registrations/{id}`` — its state, masked data, check results, refusal and the actions the caller may take.
* ``POST /registrations/{id}/actions/{action}`` — ``capture_identity``, ``check`` (``live_photo`` base64),
  ``approve``/``decline`` (``note``, ``reason``, ``evidence`` base64), ``complete``, ``refuse`` (``reason``),
  ``abandon``.
* ``POST /registrations/{id}/documents`` (multipart ``file``, ``kind``) — the letter of authorisation and the like.
* ``POST /lookups`` ``{"reading_id"}`` — every line registered under the read card (一证通查), masked.
* ``POST /disputes`` ``{"reading_id", "line_id", "statement"}`` — the customer does not know a line of theirs.
* ``POST /readers`` ``{"outlet", "public_key", "device_id"?, "label"?}`` — enrol a card reader (compliance).

Counter actions need a counter clerk or an agent's staff over the outlet. A registration, outlet or reading the
caller may not see answers 404 like one that does not exist. Refusals: 422 with ``fields`` for bad input, 409 for
the wrong state or a rule, 403 when the caller sees the registration but may not take the action, 503 when an
outside system did not answer (try again).
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from dataclasses import asdict
from typing import Any, TypeVar

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Body, File, Form, Router, Status
from ninja.files import UploadedFile
from pydantic import ValidationError as PydanticValidationError

from regdesk.accounts.api_auth import SessionOrToken
from regdesk.accounts.models import User
from regdesk.config.errors import ApiError
from regdesk.subscribers.models import CardReading, Line, Registration
from regdesk.subscribers.permissions import (
    READER_ADMIN_ROLES,
    access_outlet_by_code,
    access_registration_by_id,
)
from regdesk.subscribers.schemas import (
    ERRORS,
    DisputeIn,
    DisputeOut,
    DocumentCreated,
    DocumentIn,
    ErrorOut,
    IdentityIn,
    LineOut,
    LookupIn,
    LookupOut,
    ReaderIn,
    ReaderOut,
    ReadingIn,
    ReadingOut,
    RegistrationIn,
    RegistrationOut,
)
from regdesk.subscribers.selectors import (
    line_for_counter,
    lines_for_identity,
    reading_for_counter,
    reading_view,
    registration_view,
)
from regdesk.subscribers.services import (
    DocumentInput,
    IdentityCapture,
    LineRequest,
    RegistrationRefused,
    line_dispute,
    proof_from_reading,
    reader_enrol,
    reading_verify,
    registration_abandon,
    registration_check,
    registration_complete,
    registration_decide,
    registration_document_attach,
    registration_identity_capture,
    registration_refuse,
    registration_start,
)

router = Router(tags=["subscribers"])
T = TypeVar("T")


def _user(request: HttpRequest) -> User:
    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, User)  # noqa: S101 - both authenticators return our user
    return user


def _call(function: Callable[[], T]) -> T:
    """Run a service; its refusals become the API's errors (422 naming the field, else 409, or their own)."""
    try:
        return function()
    except RegistrationRefused as refused:
        status = refused.status or (422 if refused.field else 409)
        fields = {refused.field: [refused.message]} if refused.field else {}
        raise ApiError(refused.code, refused.message, status=status, fields=fields) from None


def _decode(value: str | None, field: str) -> bytes | None:
    if value is None:
        return None
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        message = _("This is not valid base64.")
        raise ApiError("invalid_input", message, status=422, fields={field: [message]}) from None


def _out(registration: Registration, user: User) -> RegistrationOut:
    fresh = Registration.objects.select_related("case", "outlet", "target_line").get(pk=registration.pk)
    return RegistrationOut(**asdict(registration_view(fresh, user)))


def _reading(user: User, reading_id: int | None, field: str) -> CardReading | None:
    if reading_id is None:
        return None
    reading = reading_for_counter(user, reading_id)
    if reading is None:
        message = _("There is no such card reading at your outlets.")
        raise ApiError("reading_not_found", message, status=422, fields={f"{field}.reading_id": [message]})
    return reading


def _document(user: User, document: DocumentIn, field: str) -> DocumentInput:
    return DocumentInput(
        document_type=document.document_type,
        number=document.number,
        name=document.name,
        address=document.address,
        reading=_reading(user, document.reading_id, field),
    )


def _identity(user: User, body: IdentityIn) -> IdentityCapture:
    return IdentityCapture(
        subscriber=_document(user, body.subscriber, "subscriber"),
        subscriber_kind=body.subscriber_kind,
        acting_party=body.acting_party,
        representative=_document(user, body.representative, "representative") if body.representative else None,
    )


@router.post("/readings", response={201: ReadingOut, **ERRORS}, auth=SessionOrToken)
def reading_create(request: HttpRequest, body: ReadingIn) -> Status[ReadingOut]:
    """Verify a signed reading of a resident ID card at the outlet (signature, freshness, nonce, reader)."""
    user = _user(request)
    outlet = access_outlet_by_code(user, body.outlet)
    reading = _call(lambda: reading_verify(actor=user, outlet=outlet, document=body.reading))
    return Status(201, ReadingOut(**asdict(reading_view(reading))))


@router.post("/registrations", response={201: RegistrationOut, **ERRORS}, auth=SessionOrToken)
def registration_create(request: HttpRequest, body: RegistrationIn) -> Status[RegistrationOut]:
    """Start a registration at the outlet; with ``subscriber``, capture the documents at once."""
    user = _user(request)
    outlet = access_outlet_by_code(user, body.outlet)
    target: Line | None = None
    if body.line.target_number:
        target = line_for_counter(actor=user, number=body.line.target_number)
        if target is None:
            message = _("No line holds this number.")
            raise ApiError("line_not_found", message, status=422, fields={"line.target_number": [message]})
    line = LineRequest(
        line_kind=body.line.line_kind,
        payment=body.line.payment,
        number=body.line.number,
        installation_address=body.line.installation_address,
        target_line=target,
    )
    identity = None
    if body.subscriber is not None:
        identity = _identity(
            user,
            IdentityIn(
                subscriber_kind=body.subscriber_kind,
                acting_party=body.acting_party,
                subscriber=body.subscriber,
                representative=body.representative,
            ),
        )
    registration = _call(
        lambda: registration_start(actor=user, outlet=outlet, kind=body.kind, line=line, identity=identity)
    )
    return Status(201, _out(registration, user))


@router.get("/registrations/{int:registration_id}", response={200: RegistrationOut, 404: ErrorOut}, auth=SessionOrToken)
def registration_detail(request: HttpRequest, registration_id: int) -> RegistrationOut:
    """The registration (masked) and the actions the caller may take now."""
    user = _user(request)
    return _out(access_registration_by_id(user, registration_id), user)


def _action(user: User, registration: Registration, action: str, payload: dict[str, Any]) -> Registration:
    if action == "capture_identity":
        try:
            body = IdentityIn(**payload)
        except PydanticValidationError as error:
            fields: dict[str, list[str]] = {}
            for problem in error.errors():
                fields.setdefault(".".join(str(part) for part in problem["loc"]) or "__all__", []).append(
                    problem["msg"]
                )
            message = _("Some fields are invalid: see each field.")
            raise ApiError("invalid_input", message, status=422, fields=fields) from None
        identity = _identity(user, body)
        return registration_identity_capture(actor=user, registration=registration, identity=identity)
    if action == "check":
        photo = _decode(payload.get("live_photo"), "live_photo")
        return registration_check(actor=user, registration=registration, live_photo=photo)
    if action in ("approve", "decline"):
        return registration_decide(
            actor=user,
            registration=registration,
            decision=action,
            note=str(payload.get("note", "")),
            reason=str(payload.get("reason") or "someone_elses_id"),
            evidence=_decode(payload.get("evidence"), "evidence"),
        )
    if action == "complete":
        return registration_complete(actor=user, registration=registration)
    if action == "refuse":
        return registration_refuse(actor=user, registration=registration, reason=str(payload.get("reason", "")))
    if action == "abandon":
        return registration_abandon(actor=user, registration=registration)
    raise ApiError("unknown_action", _("There is no such action."), status=404)


@router.post(
    "/registrations/{int:registration_id}/actions/{action}",
    response={200: RegistrationOut, **ERRORS},
    auth=SessionOrToken,
)
def registration_action(
    request: HttpRequest, registration_id: int, action: str, payload: Body[dict[str, Any]]
) -> RegistrationOut:
    """Take ``action`` with its JSON payload (see the module's description)."""
    user = _user(request)
    registration = access_registration_by_id(user, registration_id)
    result = _call(lambda: _action(user, registration, action, payload))
    return _out(result, user)


@router.post(
    "/registrations/{int:registration_id}/documents", response={201: DocumentCreated, **ERRORS}, auth=SessionOrToken
)
def registration_document(
    request: HttpRequest, registration_id: int, file: File[UploadedFile], kind: Form[str] = "authorisation_letter"
) -> Status[DocumentCreated]:
    """Attach the letter of authorisation, a copy of the organisation's certificate or an agent's authorisation."""
    user = _user(request)
    registration = access_registration_by_id(user, registration_id)
    document = _call(
        lambda: registration_document_attach(
            actor=user, registration=registration, kind=kind, filename=file.name or "", content=file
        )
    )
    return Status(201, DocumentCreated(id=document.pk, kind=document.kind, size=document.size))


def _proof_reading(user: User, reading_id: int) -> CardReading:
    reading = reading_for_counter(user, reading_id)
    if reading is None:
        raise Http404
    return reading


@router.post("/lookups", response={200: LookupOut, **ERRORS}, auth=SessionOrToken)
def lookup(request: HttpRequest, body: LookupIn) -> LookupOut:
    """Every line registered under the card just read (一证通查), numbers masked."""
    user = _user(request)
    reading = _proof_reading(user, body.reading_id)
    proof = _call(lambda: proof_from_reading(actor=user, reading=reading))
    lines = lines_for_identity(actor=user, proof=proof)
    return LookupOut(lines=[LineOut(**asdict(line)) for line in lines])


@router.post("/disputes", response={201: DisputeOut, **ERRORS}, auth=SessionOrToken)
def dispute_create(request: HttpRequest, body: DisputeIn) -> Status[DisputeOut]:
    """The customer whose card was read does not know one of the lines registered under it."""
    user = _user(request)
    reading = _proof_reading(user, body.reading_id)
    proof = _call(lambda: proof_from_reading(actor=user, reading=reading))
    line = Line.objects.filter(pk=body.line_id).first()
    if line is None:
        raise Http404
    dispute = _call(lambda: line_dispute(actor=user, proof=proof, line=line, statement=body.statement))
    return Status(201, DisputeOut(id=dispute.pk, reference=dispute.case.reference, state=dispute.case.state))


@router.post("/readers", response={201: ReaderOut, **ERRORS}, auth=SessionOrToken)
def reader_create(request: HttpRequest, body: ReaderIn) -> Status[ReaderOut]:
    """Enrol a card reader at an outlet (compliance officers and administrators over it)."""
    user = _user(request)
    outlet = access_outlet_by_code(user, body.outlet, roles=READER_ADMIN_ROLES)
    reader = _call(
        lambda: reader_enrol(
            actor=user, outlet=outlet, public_key=body.public_key, device_id=body.device_id, label=body.label
        )
    )
    return Status(
        201,
        ReaderOut(device_id=reader.device_id, outlet=outlet.code, active=reader.active, enrolled_at=reader.enrolled_at),
    )
