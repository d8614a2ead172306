"""JSON API of ICP filing, mounted under /api/v1/filings/ (sessions or API tokens).

* ``GET /filings?state=`` — the caller's filings (owners: their own; staff: their units').
* ``POST /filings`` ``{"data": {...}, "unit": "code"?}`` — a new draft (``FilingData`` JSON).
* ``GET /filings/{id}`` — state, actions the caller may take now, clocks, documents, returns per field, masked data,
  contact checks, on-site progress, regulator status, footer snippets and certificates.
* ``PUT /filings/{id}`` ``{"data": {...}}`` — replace a draft's data; ``POST /filings/{id}/corrections``
  ``{"values": {path: value}}`` — correct single fields (while returned: only the returned ones).
* ``POST /filings/{id}/documents`` (multipart ``file``, ``kind=pre_approval``) — a document of the application.
* ``POST /filings/{id}/actions/{action}`` with a JSON payload — the process's actions.
* ``POST /filings/{id}/contact/email|sms|sms/confirm|call`` — contact verification.
* ``GET /filings/certificates/{serial}`` — public: what the verification page shows (no login).

A filing the caller may not see answers 404, as one that does not exist, for reads and writes alike: the API sees
what the owner portal and the filings desk see, through their gates (``permissions.get_filing_for_user_or_404``).
Refusals: 422 ``invalid_filing`` with ``fields`` (path → messages in the caller's language), 409
``wrong_state``/``guard``/``operation_in_flight``, 403 ``role`` (the caller sees the filing but may not do this),
404 ``unknown_action``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any, TypeVar

from django.http import Http404, HttpRequest
from ninja import Body, File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from regdesk.accounts.api_auth import SessionOrToken
from regdesk.accounts.models import OrgUnit, User
from regdesk.accounts.permissions import has_role
from regdesk.accounts.roles import Role
from regdesk.cases.api import ClockOut, _clock_out
from regdesk.cases.services import CaseRefused, TransitionRefused
from regdesk.config.errors import ApiError
from regdesk.filings.errors import FilingValidationError
from regdesk.filings.models import Filing
from regdesk.filings.permissions import get_filing_for_user_or_404, routing_summary
from regdesk.filings.selectors import (
    certificate_public_view,
    filing_detail,
    filing_summaries,
)
from regdesk.filings.services import (
    contact_email_link_send,
    contact_phone_call_record,
    contact_sms_code_confirm,
    contact_sms_code_send,
    filing_action,
    filing_document_upload,
    filing_draft_create,
    filing_draft_update,
    filing_fields_correct,
)

router = Router(tags=["filings"])
T = TypeVar("T")

_STATUS = {
    "unknown_action": 404,
    "role": 403,
    "wrong_state": 409,
    "guard": 409,
    "operation_in_flight": 409,
    "invalid_filing": 422,
    "reason": 422,
    "unit": 422,
}


def _user(request: HttpRequest) -> User:
    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, User)  # noqa: S101 - both authenticators return our user
    return user


def _call(function: Callable[[], T]) -> T:
    """Run a service; its refusals become the API's errors."""
    try:
        return function()
    except FilingValidationError as error:
        raise ApiError(error.code, error.message, status=422, fields=error.fields()) from None
    except TransitionRefused as refused:
        raise ApiError(refused.code, refused.message, status=_STATUS.get(refused.code, 409)) from None
    except CaseRefused as refused:
        raise ApiError(refused.code, refused.message, status=_STATUS.get(refused.code, 409)) from None


class ErrorBody(Schema):
    code: str
    message: str
    fields: dict[str, list[str]]


class ErrorOut(Schema):
    error: ErrorBody


class WebsiteLine(Schema):
    name: str
    record_number: str
    access: str


class FilingItem(Schema):
    id: int
    reference: str
    state: str
    state_label: str
    owner: str
    owner_record_number: str
    websites: list[WebsiteLine]
    updated_at: datetime


class ActionOut(Schema):
    name: str
    label: str
    target: str


class DocumentOut(Schema):
    id: int
    kind: str
    content_type: str
    size: int
    uploaded_at: datetime


class AttachmentOut(Schema):
    id: int
    kind: str
    website_id: int | None
    document_id: int
    purpose: str
    marked_on: date


class ReturnedFieldOut(Schema):
    path: str
    label: str
    reason: str


class FilingOut(Schema):
    id: int
    reference: str
    state: str
    state_label: str
    is_open: bool
    owner: str
    owner_record_number: str
    allowed_actions: list[ActionOut]
    clocks: list[ClockOut]
    documents: list[DocumentOut]
    attachments: list[AttachmentOut]
    returned_fields: list[ReturnedFieldOut]
    data: dict[str, Any]
    warnings: list[dict[str, Any]]
    contacts: dict[str, Any]
    onsite: dict[str, Any] | None
    regulator: dict[str, Any]
    rejection_reason: str
    footers: dict[str, str]
    certificates: dict[str, list[str]]
    routing: dict[str, Any]


def filing_out(filing: Filing, user: User) -> FilingOut:
    detail = filing_detail(filing, user)
    summary = detail.summary
    return FilingOut(
        id=summary.id,
        reference=summary.reference,
        state=summary.state,
        state_label=summary.state_label,
        is_open=detail.is_open,
        owner=summary.owner,
        owner_record_number=summary.owner_record_number,
        allowed_actions=[ActionOut(**action) for action in detail.actions],
        clocks=[_clock_out(clock) for clock in detail.clocks],
        documents=[
            DocumentOut(
                id=document.pk,
                kind=document.kind,
                content_type=document.content_type,
                size=document.size,
                uploaded_at=document.uploaded_at,
            )
            for document in detail.documents
        ],
        attachments=[
            AttachmentOut(
                id=item.pk,
                kind=item.kind,
                website_id=item.website_id,
                document_id=item.document_id,
                purpose=item.purpose,
                marked_on=item.marked_on,
            )
            for item in detail.attachments
        ],
        returned_fields=[
            ReturnedFieldOut(path=item.path, label=item.label, reason=item.reason) for item in detail.returned
        ],
        data=detail.data,
        warnings=detail.warnings,
        contacts={"verified": detail.contacts.verified, "checks": detail.contacts.checks},
        onsite=detail.onsite.__dict__ if detail.onsite is not None else None,
        regulator=detail.regulator.__dict__,
        rejection_reason=detail.rejection_reason,
        footers={str(key): value for key, value in detail.footers.items()},
        certificates={str(key): value for key, value in detail.certificates.items()},
        routing=routing_summary(filing),
    )


class FilingIn(Schema):
    data: dict[str, Any]
    unit: str | None = None


class DataIn(Schema):
    data: dict[str, Any]


class CorrectionsIn(Schema):
    values: dict[str, Any]


class CodeIn(Schema):
    code: str


class CallIn(Schema):
    outcome: str
    note: str = ""


class CheckOut(Schema):
    id: int
    channel: str
    status: str


class DocumentCreated(Schema):
    id: int
    kind: str
    size: int


class PublicCertificateOut(Schema):
    serial: str
    record_number: str
    website_name: str
    domains: list[str]
    status: str
    status_label: str
    issued_at: datetime
    provider: str


@router.get("", response=list[FilingItem], auth=SessionOrToken)
def filing_list(request: HttpRequest, state: str | None = None) -> list[FilingItem]:
    """The filings the caller may see, newest first; ``state`` filters."""
    return [FilingItem(**summary.__dict__) for summary in filing_summaries(_user(request), state=state)]


@router.post(
    "", response={201: FilingOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}, auth=SessionOrToken
)
def filing_create(request: HttpRequest, body: FilingIn) -> Status[FilingOut]:
    """A new draft (an owner's own application, or a specialist entering one for ``unit``)."""
    user = _user(request)
    unit = None
    if body.unit:
        # A unit the caller is no specialist of answers as one that does not exist.
        unit = OrgUnit.objects.filter(code=body.unit, active=True).first()
        if unit is None or not has_role(user, Role.SPECIALIST, unit=unit):
            raise Http404
    filing = _call(lambda: filing_draft_create(actor=user, data=body.data, unit=unit))
    return Status(201, filing_out(filing, user))


@router.get("/certificates/{serial}", response={200: PublicCertificateOut, 404: ErrorOut}, auth=None)
def certificate_public(request: HttpRequest, serial: str) -> PublicCertificateOut:
    """Public: the record number, website, domains and current status a certificate's serial stands for."""
    view = certificate_public_view(serial)
    if view is None:
        raise Http404
    return PublicCertificateOut(**view.__dict__)


@router.get("/{int:filing_id}", response={200: FilingOut, 404: ErrorOut}, auth=SessionOrToken)
def filing_get(request: HttpRequest, filing_id: int) -> FilingOut:
    user = _user(request)
    return filing_out(get_filing_for_user_or_404(user, filing_id), user)


@router.put(
    "/{int:filing_id}",
    response={200: FilingOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    auth=SessionOrToken,
)
def filing_update(request: HttpRequest, filing_id: int, body: DataIn) -> FilingOut:
    """Replace the data of a draft (or of a filing returned for changes: only the returned fields may differ)."""
    user = _user(request)
    filing = get_filing_for_user_or_404(user, filing_id)
    filing = _call(lambda: filing_draft_update(actor=user, filing=filing, data=body.data))
    return filing_out(filing, user)


@router.post(
    "/{int:filing_id}/corrections",
    response={200: FilingOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    auth=SessionOrToken,
)
def filing_correct(request: HttpRequest, filing_id: int, body: CorrectionsIn) -> FilingOut:
    """Correct single fields by path (``{"values": {"websites[0].name": "…"}}``)."""
    user = _user(request)
    filing = get_filing_for_user_or_404(user, filing_id)
    filing = _call(lambda: filing_fields_correct(actor=user, filing=filing, values=body.values))
    return filing_out(filing, user)


@router.post(
    "/{int:filing_id}/documents",
    response={201: DocumentCreated, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    auth=SessionOrToken,
)
def filing_document(
    request: HttpRequest, filing_id: int, file: File[UploadedFile], kind: Form[str] = "pre_approval"
) -> Status[DocumentCreated]:
    """Upload a document of the application (the scan of a pre-approval); put its id in the data."""
    user = _user(request)
    filing = get_filing_for_user_or_404(user, filing_id)
    document = _call(
        lambda: filing_document_upload(actor=user, filing=filing, kind=kind, filename=file.name or "", content=file)
    )
    return Status(201, DocumentCreated(id=document.pk, kind=document.kind, size=document.size))


@router.post(
    "/{int:filing_id}/actions/{action}",
    response={200: FilingOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    auth=SessionOrToken,
)
def filing_take_action(request: HttpRequest, filing_id: int, action: str, payload: Body[dict[str, Any]]) -> FilingOut:
    """Take a process action: ``submit``, ``withdraw``, ``return_for_changes`` (``{"reasons": {path: reason}}``),
    ``send_onsite_notice``, ``reject`` (``{"reason": "…"}``), ``record_onsite_verification``,
    ``submit_to_regulator``, and the compliance officer's ``reassign`` (``{"unit": "<unit code>", "reason": "…"}``)."""
    user = _user(request)
    filing = get_filing_for_user_or_404(user, filing_id)
    filing = _call(lambda: filing_action(actor=user, filing=filing, action=action, payload=payload))
    return filing_out(filing, user)


def _check_out(check: Any) -> CheckOut:
    return CheckOut(id=check.pk, channel=check.channel, status=check.status)


@router.post(
    "/{int:filing_id}/contact/email",
    response={200: CheckOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    auth=SessionOrToken,
)
def contact_email(request: HttpRequest, filing_id: int) -> CheckOut:
    """E-mail the person in charge a confirmation link (specialist)."""
    user = _user(request)
    filing = get_filing_for_user_or_404(user, filing_id)
    return _check_out(_call(lambda: contact_email_link_send(actor=user, filing=filing)))


@router.post(
    "/{int:filing_id}/contact/sms",
    response={200: CheckOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    auth=SessionOrToken,
)
def contact_sms(request: HttpRequest, filing_id: int) -> CheckOut:
    """Send the person in charge a six-digit code by SMS (specialist)."""
    user = _user(request)
    filing = get_filing_for_user_or_404(user, filing_id)
    return _check_out(_call(lambda: contact_sms_code_send(actor=user, filing=filing)))


@router.post(
    "/{int:filing_id}/contact/sms/confirm",
    response={200: CheckOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    auth=SessionOrToken,
)
def contact_sms_confirm(request: HttpRequest, filing_id: int, body: CodeIn) -> CheckOut:
    """Confirm the SMS code (the owner in the portal, or the specialist who hears it on the phone)."""
    user = _user(request)
    filing = get_filing_for_user_or_404(user, filing_id)
    return _check_out(_call(lambda: contact_sms_code_confirm(actor=user, filing=filing, code=body.code)))


@router.post(
    "/{int:filing_id}/contact/call",
    response={200: CheckOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    auth=SessionOrToken,
)
def contact_call(request: HttpRequest, filing_id: int, body: CallIn) -> CheckOut:
    """Record a phone call to the person in charge and its outcome (specialist)."""
    user = _user(request)
    filing = get_filing_for_user_or_404(user, filing_id)
    return _check_out(
        _call(lambda: contact_phone_call_record(actor=user, filing=filing, outcome=body.outcome, note=body.note))
    )
