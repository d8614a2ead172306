"""The counter's home pages: choosing the outlet, the outlet's registrations, starting one, and the supervisor's
queue of registrations held for review."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from regdesk.accounts.models import OrgUnit, User
from regdesk.subscribers.counter.common import CHANNEL_LABELS, counter_page, current_user, label, show_refusal
from regdesk.subscribers.counter.forms import SERVICES, StartForm
from regdesk.subscribers.counter.selectors import (
    AWAITING,
    CLOSED,
    IN_PROGRESS,
    RECENT_LIMIT,
    is_supervisor,
    outlet_registrations,
    review_queue,
)
from regdesk.subscribers.models import Line
from regdesk.subscribers.permissions import access_outlet_by_code, outlets_for_counter
from regdesk.subscribers.selectors import line_for_counter
from regdesk.subscribers.services import LineRequest, RegistrationRefused, registration_start

START_FIELDS = {
    "line.number": "number",
    "line.target_line": "number",
    "line.line_kind": "service",
    "line.payment": "payment",
    "line.installation_address": "installation_address",
    "kind": "service",
}


@counter_page
@require_GET
def counter_index(request: HttpRequest) -> HttpResponse:
    """The outlets where the user registers lines (straight to the only one), and the supervisor's queue."""
    user = current_user(request)
    outlets = list(outlets_for_counter(user).select_related("outlet_profile"))
    supervisor = is_supervisor(user)
    if not outlets and not supervisor:
        raise PermissionDenied
    if len(outlets) == 1 and not supervisor:
        return HttpResponseRedirect(reverse("subscribers_counter:outlet", args=[outlets[0].code]))
    rows = [(outlet, label(CHANNEL_LABELS, outlet.outlet_profile.channel)) for outlet in outlets]
    queue = review_queue(user) if supervisor else []
    return render(
        request, "subscribers/counter/index.html", {"outlets": rows, "supervisor": supervisor, "queue": queue}
    )


def _outlet_page(
    request: HttpRequest, user: User, outlet: OrgUnit, form: StartForm | None = None, status: int = 200
) -> HttpResponse:
    context: dict[str, Any] = {
        "outlet": outlet,
        "form": form or StartForm(),
        "in_progress": outlet_registrations(outlet, user, IN_PROGRESS),
        "awaiting": outlet_registrations(outlet, user, AWAITING),
        "closed": outlet_registrations(outlet, user, CLOSED, limit=RECENT_LIMIT),
    }
    return render(request, "subscribers/counter/outlet.html", context, status=status)


@counter_page
@require_GET
def outlet_home(request: HttpRequest, outlet_code: str) -> HttpResponse:
    """One outlet's counter: start a registration; the registrations in progress, awaiting a supervisor, closed."""
    user = current_user(request)
    outlet = access_outlet_by_code(user, outlet_code)
    return _outlet_page(request, user, outlet)


@counter_page
@require_POST
def registration_new(request: HttpRequest, outlet_code: str) -> HttpResponse:
    """Start a registration of the service the customer asked for (``registration_start``)."""
    user = current_user(request)
    outlet = access_outlet_by_code(user, outlet_code)
    form = StartForm(request.POST)
    if not form.is_valid():
        return _outlet_page(request, user, outlet, form, status=422)
    kind, line_kind = SERVICES[form.cleaned_data["service"]]
    number = form.cleaned_data["number"]
    target: Line | None = None
    if not line_kind:
        target = line_for_counter(actor=user, number=number)
        if target is None:
            form.add_error("number", _("No line holds this number."))
            return _outlet_page(request, user, outlet, form, status=422)
    line = LineRequest(
        line_kind=line_kind if kind == "open" else "",
        payment=form.cleaned_data["payment"] or "",
        number=number if target is None else "",
        installation_address=form.cleaned_data["installation_address"] or "",
        target_line=target,
    )
    try:
        registration = registration_start(actor=user, outlet=outlet, kind=kind, line=line)
    except RegistrationRefused as refused:
        show_refusal(form, refused, START_FIELDS)
        return _outlet_page(request, user, outlet, form, status=422)
    return HttpResponseRedirect(reverse("subscribers_counter:registration", args=[registration.pk]))


@counter_page
@require_GET
def review_list(request: HttpRequest) -> HttpResponse:
    """The registrations held for review (low face score, photo mismatch, military ID) the user may decide."""
    user = current_user(request)
    if not is_supervisor(user):
        raise PermissionDenied
    return render(request, "subscribers/counter/review.html", {"queue": review_queue(user)})
