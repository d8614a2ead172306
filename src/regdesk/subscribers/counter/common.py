"""Helpers shared by the counter pages: the login decorator, the labels of codes, refusals shown at their fields,
and the verified readings a registration or a lookup is waiting to use (kept in the session by id only)."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from functools import wraps
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.cache import never_cache

from regdesk.accounts.models import OrgUnit, User
from regdesk.gateways.identity import IdentityCheckOutcome
from regdesk.subscribers.models import (
    ActingParty,
    CardReader,
    Channel,
    LineKind,
    LineStatus,
    Payment,
    RegistrationKind,
)
from regdesk.subscribers.models.lines import DOCUMENT_TYPE_CHOICES, SubscriberKind
from regdesk.subscribers.rules import RefusalReason
from regdesk.subscribers.services import RegistrationRefused

STATE_LABELS: dict[str, str | Promise] = {
    "started": _("waiting for the identity documents"),
    "identity_captured": _("identity captured, checks to run"),
    "checks_passed": _("checks passed, ready to complete"),
    "awaiting_supervisor": _("awaiting a supervisor"),
    "registered": pgettext_lazy("counter", "registered"),
    "refused": pgettext_lazy("counter", "refused"),
    "abandoned": pgettext_lazy("counter", "abandoned"),
}
CHECK_LABELS: dict[str, str | Promise] = {
    IdentityCheckOutcome.MATCH: _("confirmed by the national identity service"),
    IdentityCheckOutcome.NAME_MISMATCH: _("the name does not match the number"),
    IdentityCheckOutcome.NUMBER_NOT_FOUND: _("the number is unknown"),
    IdentityCheckOutcome.NUMBER_CANCELLED: _("the number was cancelled"),
    IdentityCheckOutcome.PHOTO_MISMATCH: _("the photo does not match the records"),
    "not_applicable": _("not checked online (this document is checked by its rules)"),
    "manual_review": _("no public format: a supervisor looks at it"),
    "": _("not run yet"),
}
REFUSAL_LABELS: dict[str, str | Promise] = {
    RefusalReason.NO_ID_SHOWN: _("no ID shown"),
    RefusalReason.DATA_WITHHELD: _("data withheld"),
    RefusalReason.SOMEONE_ELSES_ID: _("someone else's ID"),
    RefusalReason.FORGED_OR_ALTERED_ID: _("forged or altered ID"),
    RefusalReason.IDENTITY_CHECK_FAILED: _("identity check failed"),
    RefusalReason.PER_ID_LIMIT_REACHED: _("per-ID limit reached"),
}
DOCUMENT_LABELS: dict[str, str | Promise] = dict(DOCUMENT_TYPE_CHOICES)
KIND_LABELS: dict[str, str | Promise] = dict(RegistrationKind.choices)
LINE_KIND_LABELS: dict[str, str | Promise] = dict(LineKind.choices)
PAYMENT_LABELS: dict[str, str | Promise] = dict(Payment.choices)
LINE_STATUS_LABELS: dict[str, str | Promise] = dict(LineStatus.choices)
PARTY_LABELS: dict[str, str | Promise] = dict(ActingParty.choices)
SUBSCRIBER_KIND_LABELS: dict[str, str | Promise] = dict(SubscriberKind.choices)
CHANNEL_LABELS: dict[str, str | Promise] = dict(Channel.choices)

SLOTS = ("subscriber", "representative")
_READINGS_KEY = "subscribers_counter_readings"
_LOOKUP_KEY = "subscribers_counter_lookup"
_READER_KEY = "subscribers_counter_reader"
# A signed reading with its photo is some hundreds of kilobytes at most (the photo itself: 256 KB).
MAX_READING_BYTES = 1024 * 1024


def label(labels: Mapping[str, str | Promise], code: str) -> str:
    """The translated label of a code, or the code itself when it has none."""
    value = labels.get(code)
    return str(value) if value is not None else code


def current_user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - counter_page ran login_required first
    return user


def counter_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Desk pages of the counter: anonymous visitors go to the staff login. Which outlet or registration a user
    reaches is decided by the gates (404 alike for missing and forbidden), which actions by the services. The pages
    show personal data (masked, and the photos of ID cards): browsers and proxies must not keep them."""

    @never_cache
    @login_required(login_url="accounts:login")
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return view(request, *args, **kwargs)

    return wrapper


def show_refusal(form: forms.Form, refused: RegistrationRefused, fields: Mapping[str, str] | None = None) -> None:
    """Put the service's message on the form field it names (``line.number`` → ``number`` through ``fields``, or
    dots as underscores), or above the form when the field is not on it."""
    name = (fields or {}).get(refused.field) or refused.field.replace(".", "_")
    form.add_error(name if name in form.fields else None, refused.message)


def wants_json(request: HttpRequest) -> bool:
    """A request from the desktop reader agent (or any client) that sends the signed reading as JSON."""
    return request.content_type == "application/json"


def reading_document(request: HttpRequest, text: str, upload: Any) -> tuple[Any, str]:
    """The signed reading sent with the request: the JSON body (reader agent), an uploaded file, or the pasted
    text. Returns ``(document, "")`` or ``(None, error message)``."""
    if wants_json(request):
        raw = request.body
    elif upload is not None:
        raw = upload.read(MAX_READING_BYTES + 1)
    else:
        raw = text.encode("utf-8")
    if not raw.strip():
        return None, str(_("Paste the reading printed by the card reader, or upload its file."))
    if len(raw) > MAX_READING_BYTES:
        return None, str(_("The reading is larger than a card reading can be."))
    try:
        return json.loads(raw.decode("utf-8")), ""
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None, str(_("The reading is not a JSON document: paste it exactly as the card reader printed it."))


def slot_readings(request: HttpRequest, registration_id: int) -> dict[str, int]:
    """The verified readings waiting to be used by the registration, by slot (subscriber, representative)."""
    stored = request.session.get(_READINGS_KEY, {}).get(str(registration_id), {})
    return {slot: int(reading_id) for slot, reading_id in stored.items() if slot in SLOTS}


def remember_slot_reading(request: HttpRequest, registration_id: int, slot: str, reading_id: int) -> None:
    readings = dict(request.session.get(_READINGS_KEY, {}))
    entry = dict(readings.get(str(registration_id), {}))
    entry[slot] = reading_id
    readings[str(registration_id)] = entry
    request.session[_READINGS_KEY] = readings


def forget_slot_readings(request: HttpRequest, registration_id: int, slot: str | None = None) -> None:
    readings = dict(request.session.get(_READINGS_KEY, {}))
    entry = dict(readings.pop(str(registration_id), {}))
    if slot is not None:
        entry.pop(slot, None)
        if entry:
            readings[str(registration_id)] = entry
    request.session[_READINGS_KEY] = readings


def lookup_reading(request: HttpRequest, outlet_code: str) -> int | None:
    """The reading the one-ID lookup at this outlet is based on, if one was verified."""
    value = request.session.get(_LOOKUP_KEY, {}).get(outlet_code)
    return int(value) if value is not None else None


def remember_lookup_reading(request: HttpRequest, outlet_code: str, reading_id: int | None) -> None:
    lookups = dict(request.session.get(_LOOKUP_KEY, {}))
    if reading_id is None:
        lookups.pop(outlet_code, None)
    else:
        lookups[outlet_code] = reading_id
    request.session[_LOOKUP_KEY] = lookups


def active_readers(outlet: OrgUnit) -> list[CardReader]:
    """The outlet's readers in service."""
    return list(CardReader.objects.filter(outlet=outlet, active=True).order_by("label", "device_id"))


def counter_reader(request: HttpRequest, outlet: OrgUnit) -> CardReader | None:
    """The reader at this clerk's counter: the one chosen in this session, else the outlet's only active reader."""
    readers = active_readers(outlet)
    chosen = request.session.get(_READER_KEY, {}).get(outlet.code)
    for reader in readers:
        if reader.device_id == chosen:
            return reader
    return readers[0] if len(readers) == 1 else None


def choose_counter_reader(request: HttpRequest, outlet: OrgUnit, device_id: str) -> bool:
    """Remember which active reader of the outlet stands at this counter; ``False`` (nothing kept) for another id."""
    if not any(reader.device_id == device_id for reader in active_readers(outlet)):
        return False
    chosen = dict(request.session.get(_READER_KEY, {}))
    chosen[outlet.code] = device_id
    request.session[_READER_KEY] = chosen
    return True
