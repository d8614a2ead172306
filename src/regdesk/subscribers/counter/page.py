"""The registration page: what it shows in each state and the forms it offers, built for one user."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from regdesk.accounts.models import User
from regdesk.cases.definitions import get_process
from regdesk.subscribers import config
from regdesk.subscribers.counter.common import (
    CHECK_LABELS,
    DOCUMENT_LABELS,
    KIND_LABELS,
    LINE_KIND_LABELS,
    PARTY_LABELS,
    PAYMENT_LABELS,
    SLOTS,
    STATE_LABELS,
    SUBSCRIBER_KIND_LABELS,
    active_readers,
    counter_reader,
    label,
    slot_readings,
)
from regdesk.subscribers.counter.forms import (
    CHECK_REFUSALS,
    DecisionForm,
    DocumentForm,
    IdentityForm,
    LivePhotoForm,
    ReadingForm,
    RefuseForm,
)
from regdesk.subscribers.counter.photos import Photo, id_photo, live_photo_uri
from regdesk.subscribers.counter.selectors import SlotReading, usable_reading
from regdesk.subscribers.models import Registration
from regdesk.subscribers.permissions import can_register_at
from regdesk.subscribers.process import OPEN_STATES, REGISTRATION_PROCESS
from regdesk.subscribers.selectors import RegistrationView, registration_view

READ_BY_READER = _("read by the card reader")
TYPED = _("typed from the document")
SLOT_TITLES = {"subscriber": _("Subscriber's ID card"), "representative": _("ID card of the agent or handler")}
DOCUMENT_KIND_LABELS: dict[str, str | Promise] = {
    kind.key: kind.label for kind in get_process(REGISTRATION_PROCESS).document_kinds
}


@dataclass
class Display:
    """The registration's codes as the page shows them (translated labels)."""

    state: str
    kind: str
    line_kind: str
    payment: str
    document_type: str
    representative_document_type: str
    acting_party: str
    subscriber_kind: str
    subscriber_check: str
    representative_check: str
    address: str
    source: str
    representative_source: str
    face_low: bool
    documents: list[dict[str, Any]] = field(default_factory=list)


def display_of(registration: Registration, view: RegistrationView) -> Display:
    face_low = view.face_score is not None and view.face_threshold is not None and view.face_score < view.face_threshold
    documents = []
    if registration.case is not None:
        for document in registration.case.documents.all():
            documents.append(
                {
                    "kind": document.kind,
                    "label": label(DOCUMENT_KIND_LABELS, document.kind),
                    "uploaded_at": document.uploaded_at,
                    "size": document.size,
                }
            )
    return Display(
        state=label(STATE_LABELS, view.state),
        kind=label(KIND_LABELS, view.kind),
        line_kind=label(LINE_KIND_LABELS, view.line_kind),
        payment=label(PAYMENT_LABELS, view.payment),
        document_type=label(DOCUMENT_LABELS, view.document_type) if view.document_type else "",
        representative_document_type=(
            label(DOCUMENT_LABELS, view.representative_document_type) if view.representative_document_type else ""
        ),
        acting_party=label(PARTY_LABELS, view.acting_party) if view.acting_party else "",
        subscriber_kind=label(SUBSCRIBER_KIND_LABELS, view.subscriber_kind) if view.subscriber_kind else "",
        subscriber_check=label(CHECK_LABELS, view.subscriber_check),
        representative_check=label(CHECK_LABELS, view.representative_check),
        address=str(registration.address) if registration.address is not None else "",
        source=str(READ_BY_READER if view.read_by_reader else TYPED),
        representative_source=str(READ_BY_READER if registration.representative_reading_id is not None else TYPED),
        face_low=face_low,
        documents=documents,
    )


def _slot_photo(user: User, reading: SlotReading | None) -> Photo:
    return id_photo(user, reading.reading if reading is not None else None)


def registration_photos(
    user: User, registration: Registration, view: RegistrationView, *, live: bool
) -> dict[str, Photo]:
    """The ID photos of the subscriber and of the person acting (when their cards were read), and the counter photo."""
    photos = {
        "subscriber": id_photo(user, registration.subscriber_reading),
        "representative": id_photo(user, registration.representative_reading),
        "live": Photo(),
    }
    if live and any(document["kind"] == "live_photo" for document in display_of(registration, view).documents):
        uri = live_photo_uri(user, registration)
        photos["live"] = Photo(uri=uri, hidden=not uri)
    return photos


def registration_page(
    request: HttpRequest,
    user: User,
    registration: Registration,
    *,
    status: int = 200,
    bound: dict[str, forms.Form] | None = None,
) -> HttpResponse:
    """Render the registration page; ``bound`` replaces the named forms (a refused submission, with its errors)."""
    registration = Registration.objects.select_related(
        "case", "outlet", "target_line", "subscriber_reading", "representative_reading", "line"
    ).get(pk=registration.pk)
    view = registration_view(registration, user)
    bound = bound or {}
    readings: dict[str, SlotReading | None] = {}
    if view.state == "started":
        stored = slot_readings(request, registration.pk)
        readings = {slot: usable_reading(user, stored.get(slot), slot) for slot in SLOTS}
    agent: dict[str, Any] = {}
    if view.state == "started":
        # The reader agent's readings appear by themselves: the first slot without one waits for the next card.
        waiting = next((slot for slot in SLOTS if readings.get(slot) is None), None)
        reader = counter_reader(request, registration.outlet)
        agent = {
            "reader": reader,
            # The reader's label is data, alike in every language.
            "reader_name": format_html('<span translate="no">{}</span>', reader.label or reader.device_id)
            if reader is not None
            else "",
            "readers": active_readers(registration.outlet),
            "slot": waiting,
            "slot_title": SLOT_TITLES[waiting] if waiting else "",
            "since": int(timezone.now().timestamp()),
        }
    identity_form = bound.get("identity") or IdentityForm()
    display = display_of(registration, view)
    context: dict[str, Any] = {
        "registration": registration,
        "view": view,
        "display": display,
        "readings": readings,
        "slots": [
            (
                slot,
                SLOT_TITLES[slot],
                readings.get(slot),
                bound.get(f"reading-{slot}") or ReadingForm(prefix=slot),
                _slot_photo(user, readings.get(slot)),
            )
            for slot in SLOTS
        ],
        "photos": registration_photos(user, registration, view, live=view.state != "started"),
        "can_attach": view.state in OPEN_STATES and can_register_at(user, registration.outlet),
        "identity_form": identity_form,
        "photo_form": bound.get("check") or LivePhotoForm(),
        "document_form": bound.get("document") or DocumentForm(),
        "refuse_form": bound.get("refuse") or RefuseForm(),
        "check_refusals": [str(reason) for reason in CHECK_REFUSALS],
        "decision_form": bound.get("decision") or DecisionForm(),
        "can_decide": "approve" in view.actions or "decline" in view.actions,
        "agent": agent,
        "signed": any(document["kind"] == "customer_signature" for document in display.documents),
        "threshold": config.face_match_threshold(),
        "lines_per_id": config.lines_per_id(),
    }
    return render(request, "subscribers/counter/registration.html", context, status=status)
