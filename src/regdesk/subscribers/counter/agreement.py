"""The end of a registration at the counter: the printed registration form and service agreement with the
customer's receipt (a PDF), and the customer's signature, drawn on the signature pad (a canvas) or scanned from
the signed paper, kept in the vault (``registration_signature_attach``)."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from regdesk.accounts.models import User
from regdesk.cases.models import Document
from regdesk.cases.services import document_open
from regdesk.subscribers.counter.common import (
    DOCUMENT_LABELS,
    KIND_LABELS,
    LINE_KIND_LABELS,
    PARTY_LABELS,
    counter_page,
    current_user,
    label,
)
from regdesk.subscribers.counter.registration_form import FormRow, RegistrationForm, registration_form_pdf
from regdesk.subscribers.models import Registration, RegistrationEvent
from regdesk.subscribers.permissions import access_registration_by_id
from regdesk.subscribers.selectors import RegistrationView, registration_view
from regdesk.subscribers.services import RegistrationRefused, registration_signature_attach
from regdesk.subscribers.services.agreements import MAX_SIGNATURE_BYTES, SIGNATURE_KIND

DATA_URL_PREFIXES = ("data:image/png;base64,", "data:image/jpeg;base64,")
PRINT_PURPOSE = "printing the registration form the customer signed"


def _both(text: Callable[[], str]) -> tuple[str, str]:
    """A label in Chinese and in English."""
    with translation.override("zh-hans"):
        chinese = str(text())
    with translation.override("en"):
        english = str(text())
    return chinese, english


def _value(labels: dict[str, Any], code: str) -> str:
    chinese, english = _both(lambda: label(labels, code))
    return chinese if chinese == english else f"{chinese} / {english}"


def _latest_signature(registration: Registration) -> Document | None:
    if registration.case is None:
        return None
    return registration.case.documents.filter(kind=SIGNATURE_KIND).order_by("-uploaded_at", "-pk").first()


def _form(registration: Registration, view: RegistrationView, user: User, signature: bytes | None) -> RegistrationForm:
    completed = registration.completed_at or timezone.now()
    when = timezone.localtime(completed).strftime("%Y-%m-%d %H:%M")
    outlet = f"{registration.outlet.name} ({registration.outlet.code})"
    event = RegistrationEvent.objects.filter(registration=registration).select_related("clerk").first()
    clerk = str(event.clerk) if event is not None and event.clerk is not None else str(user)
    rows = [
        FormRow("业务编号", "Reference", view.reference),
        FormRow("业务类型", "Service", _value(KIND_LABELS, view.kind)),
        FormRow("号码", "Number", f"{view.number} · {_value(LINE_KIND_LABELS, view.line_kind)}"),
        FormRow("用户姓名", "Subscriber", view.name),
        FormRow("证件类型", "Identity document", _value(DOCUMENT_LABELS, view.document_type)),
        FormRow("证件号码", "Document number", view.document_number),
    ]
    if view.representative_document_type:
        rows += [
            FormRow(
                "办理人",
                "Acting for the subscriber",
                f"{view.representative_name} · {_value(PARTY_LABELS, view.acting_party)}",
            ),
            FormRow("办理人证件号码", "Their document number", view.representative_document_number),
        ]
    rows += [
        FormRow("营业网点", "Outlet", outlet),
        FormRow("营业员", "Clerk", clerk),
        FormRow("办理时间", "Time (Beijing)", when),
    ]
    receipt = [
        FormRow("业务编号", "Reference", view.reference),
        FormRow("号码", "Number", view.number),
        FormRow("用户姓名", "Subscriber", view.name),
        FormRow("证件号码", "Document number", view.document_number),
        FormRow("营业网点", "Outlet", outlet),
        FormRow("营业员", "Clerk", clerk),
        FormRow("办理时间", "Time (Beijing)", when),
    ]
    return RegistrationForm(
        reference=view.reference, rows=rows, receipt_rows=receipt, completed_at=completed, signature_png=signature
    )


def _registered(request: HttpRequest, registration_id: int) -> tuple[User, Registration]:
    user = current_user(request)
    registration = access_registration_by_id(user, registration_id)
    if registration.case is None or registration.case.state != "registered":
        raise Http404
    return user, registration


@counter_page
@require_GET
def form_pdf(request: HttpRequest, registration_id: int) -> HttpResponse:
    """The registration form and receipt of a registered line (PDF, to print); 404 before it is registered."""
    user, registration = _registered(request, registration_id)
    view = registration_view(registration, user)
    signed = _latest_signature(registration)
    signature = document_open(actor=user, document=signed, purpose=PRINT_PURPOSE) if signed is not None else None
    pdf = registration_form_pdf(_form(registration, view, user, signature))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="registration-{view.reference}.pdf"'
    return response


def _signature_bytes(request: HttpRequest) -> bytes | None:
    """The pad's drawing (a data URL from the canvas) or an uploaded scan; ``None`` when neither is readable."""
    upload = request.FILES.get("signature_file")
    if upload is not None:
        return bytes(upload.read(MAX_SIGNATURE_BYTES + 1))
    drawn = request.POST.get("signature", "")
    prefix = next((item for item in DATA_URL_PREFIXES if drawn.startswith(item)), None)
    if prefix is None or len(drawn) > 2 * MAX_SIGNATURE_BYTES:
        return None
    try:
        return base64.b64decode(drawn[len(prefix) :], validate=True)
    except (binascii.Error, ValueError):
        return None


@counter_page
@require_POST
def signature_add(request: HttpRequest, registration_id: int) -> HttpResponse:
    """Keep the customer's signature on the form (``registration_signature_attach``)."""
    user, registration = _registered(request, registration_id)
    image = _signature_bytes(request)
    try:
        if image is None:
            raise RegistrationRefused(
                "signature_missing",
                _("Let the customer sign on the pad, or upload the signed form."),
                field="signature",
            )
        registration_signature_attach(actor=user, registration=registration, image=image)
    except RegistrationRefused as refused:
        messages.error(request, refused.message)
        return HttpResponseRedirect(reverse("subscribers_counter:registration", args=[registration.pk]))
    messages.success(request, _("The customer's signature is kept with the registration."))
    return HttpResponseRedirect(reverse("subscribers_counter:registration", args=[registration.pk]))
