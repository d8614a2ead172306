"""The registration page and its actions: card readings, identity capture, documents, checks, refusal,
completion, abandonment. Each action calls one service; a refusal is shown at the field it names and changes
nothing."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from regdesk.accounts.models import User
from regdesk.subscribers.counter.common import (
    SLOTS,
    counter_page,
    current_user,
    forget_slot_readings,
    reading_document,
    remember_slot_reading,
    show_refusal,
    slot_readings,
    wants_json,
)
from regdesk.subscribers.counter.forms import DocumentForm, IdentityForm, LivePhotoForm, ReadingForm, RefuseForm
from regdesk.subscribers.counter.page import registration_page
from regdesk.subscribers.models import ActingParty, CardReading, Registration
from regdesk.subscribers.permissions import access_registration_by_id
from regdesk.subscribers.selectors import reading_for_counter, reading_view
from regdesk.subscribers.services import (
    DocumentInput,
    IdentityCapture,
    RegistrationRefused,
    reading_verify,
    registration_abandon,
    registration_check,
    registration_complete,
    registration_document_attach,
    registration_identity_capture,
    registration_refuse,
)
from regdesk.subscribers.services.checks import MAX_LIVE_PHOTO_BYTES

# Refusals that mean the reading kept for a slot can no longer serve: it is forgotten, the card is read again.
SPENT_READING = frozenset({"reading_used", "reading_expired", "reading_wrong_outlet"})


def _detail(registration: Registration) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("subscribers_counter:registration", args=[registration.pk]))


def _registration(request: HttpRequest, registration_id: int) -> tuple[User, Registration]:
    user = current_user(request)
    return user, access_registration_by_id(user, registration_id)


@counter_page
@require_GET
def registration_detail(request: HttpRequest, registration_id: int) -> HttpResponse:
    """The registration: its line, the documents captured (masked), the checks, and the next step's form."""
    user, registration = _registration(request, registration_id)
    return registration_page(request, user, registration)


def _json_refusal(refused: RegistrationRefused) -> JsonResponse:
    fields = {refused.field: [refused.message]} if refused.field else {}
    return JsonResponse(
        {"error": {"code": refused.code, "message": refused.message, "fields": fields}},
        status=refused.status or 422,
    )


@counter_page
@require_POST
def reading_add(request: HttpRequest, registration_id: int, slot: str) -> HttpResponse:
    """Verify a signed reading of a resident ID card for the subscriber or the agent/handler (``reading_verify``),
    and keep it for the identity form. Takes the pasted text, an uploaded file, or the JSON body of the desktop
    reader agent (which gets JSON back)."""
    user, registration = _registration(request, registration_id)
    if slot not in SLOTS:
        raise Http404
    form = ReadingForm(request.POST, request.FILES, prefix=slot)
    form.is_valid()
    text = str(form.cleaned_data.get("reading") or "")
    document, problem = reading_document(request, text, form.cleaned_data.get("reading_file"))
    refused: RegistrationRefused | None = None
    if document is None:
        refused = RegistrationRefused("reading_malformed", problem, field="reading")
    elif registration.case is None or registration.case.state != "started":
        refused = RegistrationRefused(
            "wrong_state", _("The identity of this registration is recorded already."), status=409
        )
    else:
        try:
            reading = reading_verify(actor=user, outlet=registration.outlet, document=document)
        except RegistrationRefused as error:
            refused = error
    if refused is not None:
        if wants_json(request):
            return _json_refusal(refused)
        form.add_error("reading", refused.message)
        return registration_page(
            request, user, registration, status=refused.status or 422, bound={f"reading-{slot}": form}
        )
    remember_slot_reading(request, registration.pk, slot, reading.pk)
    if wants_json(request):
        masked = reading_view(reading)
        return JsonResponse(
            {
                "reading": {
                    "id": masked.id,
                    "name": masked.name,
                    "id_number": masked.id_number,
                    "address": masked.address,
                    "device_id": masked.device_id,
                },
                "slot": slot,
                "page": reverse("subscribers_counter:registration", args=[registration.pk]),
            },
            status=201,
        )
    messages.success(request, _("The card reading was verified."))
    return _detail(registration)


@counter_page
@require_POST
def reading_discard(request: HttpRequest, registration_id: int, slot: str) -> HttpResponse:
    """Forget the reading kept for a slot (the wrong card was read)."""
    _user, registration = _registration(request, registration_id)
    if slot not in SLOTS:
        raise Http404
    forget_slot_readings(request, registration.pk, slot)
    return _detail(registration)


def _identity_fields(form: IdentityForm) -> dict[str, str]:
    """Where an identity refusal is shown: a document's own field, else the party's choice of document."""
    fields = {f"{party}.reading": f"{party}_source" for party in SLOTS}
    for party in SLOTS:
        typed = form.cleaned_data.get(f"{party}_source") == "typed"
        fields[party] = f"{party}_document_type" if typed else f"{party}_source"
    return fields


def _document(form: IdentityForm, user: User, party: str, readings: dict[str, int]) -> DocumentInput | None:
    if form.cleaned_data[f"{party}_source"] == "typed":
        typed = form.typed(party)
        return DocumentInput(
            document_type=typed["document_type"], number=typed["number"], name=typed["name"], address=typed["address"]
        )
    reading: CardReading | None = None
    if party in readings:
        reading = reading_for_counter(user, readings[party])
    if reading is None:
        form.add_error(f"{party}_source", _("Read the card on the card reader first: paste its reading above."))
        return None
    return DocumentInput(reading=reading)


@counter_page
@require_POST
def identity_capture(request: HttpRequest, registration_id: int) -> HttpResponse:
    """Record who the subscriber is and who acts for them (``registration_identity_capture``)."""
    user, registration = _registration(request, registration_id)
    form = IdentityForm(request.POST)
    if not form.is_valid():
        return registration_page(request, user, registration, status=422, bound={"identity": form})
    readings = slot_readings(request, registration.pk)
    acting_party = form.cleaned_data["acting_party"]
    subscriber = _document(form, user, "subscriber", readings)
    representative = None
    if acting_party != ActingParty.SUBSCRIBER:
        representative = _document(form, user, "representative", readings)
    if subscriber is None or (acting_party != ActingParty.SUBSCRIBER and representative is None):
        return registration_page(request, user, registration, status=422, bound={"identity": form})
    identity = IdentityCapture(
        subscriber=subscriber,
        subscriber_kind=form.cleaned_data["subscriber_kind"],
        acting_party=acting_party,
        representative=representative,
    )
    try:
        registration_identity_capture(actor=user, registration=registration, identity=identity)
    except RegistrationRefused as refused:
        show_refusal(form, refused, _identity_fields(form))
        if refused.code in SPENT_READING:
            forget_slot_readings(request, registration.pk)
        return registration_page(request, user, registration, status=refused.status or 422, bound={"identity": form})
    forget_slot_readings(request, registration.pk)
    messages.success(request, _("The identity documents are recorded. Run the checks next."))
    return _detail(registration)


@counter_page
@require_POST
def document_add(request: HttpRequest, registration_id: int) -> HttpResponse:
    """Attach the letter of authorisation, a copy of the organisation's certificate or an agent's authorisation."""
    user, registration = _registration(request, registration_id)
    form = DocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        return registration_page(request, user, registration, status=422, bound={"document": form})
    upload = form.cleaned_data["file"]
    try:
        registration_document_attach(
            actor=user,
            registration=registration,
            kind=form.cleaned_data["kind"],
            filename=upload.name or "",
            content=upload,
        )
    except RegistrationRefused as refused:
        show_refusal(form, refused)
        return registration_page(request, user, registration, status=refused.status or 422, bound={"document": form})
    messages.success(request, _("The document is attached."))
    return _detail(registration)


@counter_page
@require_POST
def checks_run(request: HttpRequest, registration_id: int) -> HttpResponse:
    """Run the identity check and the face match with the photo taken at the counter (``registration_check``)."""
    user, registration = _registration(request, registration_id)
    form = LivePhotoForm(request.POST, request.FILES)
    if not form.is_valid():
        return registration_page(request, user, registration, status=422, bound={"check": form})
    upload = form.cleaned_data.get("live_photo")
    photo = upload.read(MAX_LIVE_PHOTO_BYTES + 1) if upload is not None else None
    try:
        result = registration_check(actor=user, registration=registration, live_photo=photo)
    except RegistrationRefused as refused:
        show_refusal(form, refused)
        return registration_page(request, user, registration, status=refused.status or 422, bound={"check": form})
    state = result.case.state if result.case is not None else ""
    if state == "checks_passed":
        messages.success(request, _("The checks passed: complete the registration."))
    elif state == "awaiting_supervisor":
        messages.warning(request, _("The registration waits for a supervisor's decision."))
    return _detail(registration)


@counter_page
@require_POST
def refuse(request: HttpRequest, registration_id: int) -> HttpResponse:
    """Refuse the registration for the reason the clerk judged (``registration_refuse``)."""
    user, registration = _registration(request, registration_id)
    form = RefuseForm(request.POST)
    if not form.is_valid():
        return registration_page(request, user, registration, status=422, bound={"refuse": form})
    try:
        registration_refuse(actor=user, registration=registration, reason=form.cleaned_data["reason"])
    except RegistrationRefused as refused:
        show_refusal(form, refused)
        return registration_page(request, user, registration, status=refused.status or 422, bound={"refuse": form})
    forget_slot_readings(request, registration.pk)
    return _detail(registration)


@counter_page
@require_POST
def complete(request: HttpRequest, registration_id: int) -> HttpResponse:
    """Complete the registration (``registration_complete``): the line, or the per-ID limit's refusal."""
    user, registration = _registration(request, registration_id)
    try:
        result = registration_complete(actor=user, registration=registration)
    except RegistrationRefused as refused:
        messages.error(request, refused.message)
        return _detail(registration)
    if result.case is not None and result.case.state == "registered":
        messages.success(request, _("The line is registered."))
    return _detail(registration)


@counter_page
@require_POST
def abandon(request: HttpRequest, registration_id: int) -> HttpResponse:
    """Close a registration the customer will not finish (``registration_abandon``)."""
    user, registration = _registration(request, registration_id)
    try:
        registration_abandon(actor=user, registration=registration)
    except RegistrationRefused as refused:
        messages.error(request, refused.message)
        return _detail(registration)
    forget_slot_readings(request, registration.pk)
    messages.info(request, _("The registration was abandoned."))
    return HttpResponseRedirect(reverse("subscribers_counter:outlet", args=[registration.outlet.code]))
