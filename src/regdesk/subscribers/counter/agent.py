"""The desktop reader agent's side of the counter (``regdesk reader-agent``, see
``regdesk.subscribers.counter.reader_agent``): the address the agent posts each signed reading to, and the
registration page's wait for it.

The agent runs on the counter's computer beside an enrolled reader and posts every card it reads, unchanged, to
``reader-agent/readings``: the device's signature authenticates it (``reading_deliver``), no user logs in. The
clerk's registration page polls ``.../readings/<slot>/wait`` with htmx every 1.5 s; the first poll after a delivery
takes the reading for the clerk (``reading_claim``) and reloads the page, which then shows it masked. Nothing is
typed or pasted; the JSON never reaches the screen.
"""

from __future__ import annotations

import datetime as dt
import json

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from regdesk.subscribers.counter.common import (
    MAX_READING_BYTES,
    SLOTS,
    choose_counter_reader,
    counter_page,
    counter_reader,
    current_user,
    remember_slot_reading,
    slot_readings,
)
from regdesk.subscribers.permissions import access_outlet_by_code, access_registration_by_id
from regdesk.subscribers.services import RegistrationRefused, reading_claim, reading_deliver

# How long a page waits for the reader before it stops polling (htmx stops on status 286); reloading starts again.
WAIT_SECONDS = 10 * 60
STOP_POLLING = 286


def _error(code: str, message: str, status: int, field: str = "") -> JsonResponse:
    fields = {field: [message]} if field else {}
    return JsonResponse({"error": {"code": code, "message": message, "fields": fields}}, status=status)


@csrf_exempt  # no session: the device's Ed25519 signature over the reading is the authentication
@never_cache
@require_POST
def agent_readings(request: HttpRequest) -> HttpResponse:
    """``POST`` a signed reading (``application/json``) from the reader agent: 201 ``{"reading": {"id", "outlet"}}``
    when it is kept for the reader's counter, 4xx with the house's error document when it is refused."""
    if request.content_type != "application/json":
        return _error("content_type", _("Send the signed reading as application/json."), 415)
    raw = request.body
    if len(raw) > MAX_READING_BYTES:
        return _error("reading_too_large", _("The reading is larger than a card reading can be."), 413)
    try:
        document = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return _error("reading_malformed", _("The reading is not a JSON document."), 400, "reading")
    try:
        reading = reading_deliver(document=document)
    except RegistrationRefused as refused:
        return _error(refused.code, refused.message, refused.status or 422, refused.field)
    return JsonResponse({"reading": {"id": reading.pk, "outlet": reading.outlet.code}}, status=201)


def wait_started(value: str) -> dt.datetime | None:
    """The moment the page began to wait (``since``, seconds since the epoch), or ``None`` when it is not one."""
    try:
        return dt.datetime.fromtimestamp(int(value), tz=dt.UTC)
    except (ValueError, OverflowError, OSError):
        return None


@counter_page
@require_POST
def reading_wait(request: HttpRequest, registration_id: int, slot: str) -> HttpResponse:
    """The registration page's poll: takes the reading the agent delivered for this counter's reader and reloads the
    page (``HX-Refresh``); 204 while there is none; 286 (htmx stops polling) once the page has waited long enough
    or the registration no longer takes a reading."""
    user = current_user(request)
    registration = access_registration_by_id(user, registration_id)
    if slot not in SLOTS:
        raise Http404
    started = wait_started(request.GET.get("since", ""))
    now = timezone.now()
    if (
        started is None
        or now - started > dt.timedelta(seconds=WAIT_SECONDS)
        or registration.case is None
        or registration.case.state != "started"
        or slot in slot_readings(request, registration.pk)
    ):
        return HttpResponse(status=STOP_POLLING)
    reader = counter_reader(request, registration.outlet)
    if reader is None:
        return HttpResponse(status=STOP_POLLING)
    try:
        reading = reading_claim(
            actor=user, outlet=registration.outlet, device_id=reader.device_id, not_before=registration.created_at
        )
    except RegistrationRefused:
        return HttpResponse(status=STOP_POLLING)
    if reading is None:
        return HttpResponse(status=204)
    remember_slot_reading(request, registration.pk, slot, reading.pk)
    response = HttpResponse(status=200)
    response["HX-Refresh"] = "true"
    return response


@counter_page
@require_POST
def reader_choose(request: HttpRequest, outlet_code: str) -> HttpResponse:
    """Say which of the outlet's readers stands at this counter (kept in the session); back to ``next``."""
    user = current_user(request)
    outlet = access_outlet_by_code(user, outlet_code)
    choose_counter_reader(request, outlet, request.POST.get("device_id", ""))
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}) or not target.startswith("/"):
        target = reverse("subscribers_counter:outlet", args=[outlet.code])
    return HttpResponseRedirect(target)
