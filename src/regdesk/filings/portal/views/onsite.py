"""The owner books (or cancels) a time slot for the on-site verification from the filing's status page."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from regdesk.cases.services import CaseRefused
from regdesk.filings import onsite_schedule
from regdesk.filings.models import Filing
from regdesk.filings.portal.permissions import get_own_filing_or_404
from regdesk.filings.portal.views.common import current_user
from regdesk.filings.services import onsite_booking_cancel, onsite_booking_make
from regdesk.web.views import owner_page


def _back(filing: Filing) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("filings_portal:detail", kwargs={"filing_id": filing.pk}) + "#onsite")


def parse_slot_key(value: str) -> tuple[int, date] | None:
    """``<slot id>:<ISO day>`` as the form posts it, or ``None`` for anything else."""
    slot, _sep, day = value.partition(":")
    if not slot.isascii() or not slot.isdigit() or len(slot) > 12:
        return None
    try:
        return int(slot), date.fromisoformat(day)
    except ValueError:
        return None


@owner_page
@require_POST
def onsite_book(request: HttpRequest, filing_id: int) -> HttpResponse:
    """Book the chosen time slot; the confirmation also goes out by e-mail and SMS."""
    filing = get_own_filing_or_404(request.user, filing_id)
    chosen = parse_slot_key(request.POST.get("slot", ""))
    if chosen is None:
        messages.error(request, _("Choose a time slot from the list."))
        return _back(filing)
    slot_id, day = chosen
    try:
        booking = onsite_booking_make(actor=current_user(request), filing=filing, slot_id=slot_id, day=day)
    except CaseRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(
            request,
            _("Your appointment is booked: %(day)s, %(time)s. The confirmation was sent by e-mail and SMS.")
            % {
                "day": onsite_schedule.date_label(booking.day),
                "time": onsite_schedule.time_range_label(booking.starts_at, booking.ends_at),
            },
        )
    return _back(filing)


@owner_page
@require_POST
def onsite_cancel(request: HttpRequest, filing_id: int) -> HttpResponse:
    """Cancel the booked appointment (the deadline stays the same)."""
    filing = get_own_filing_or_404(request.user, filing_id)
    try:
        cancelled = onsite_booking_cancel(actor=current_user(request), filing=filing)
    except CaseRefused as refused:
        messages.error(request, refused.message)
    else:
        if cancelled is not None:
            messages.success(request, _("Your appointment is cancelled. Book another time slot before the deadline."))
    return _back(filing)
