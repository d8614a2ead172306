"""The on-site appointments of a day (当面核验预约): who comes to the offices of the specialist's units, when, for
which filing — the desk's on-site screen of the day, each line opening the filing's verification screen."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import F, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from regdesk.cases.deadlines import LOCAL_ZONE
from regdesk.filings.desk.access import desk_unit_ids, is_desk_user
from regdesk.filings.desk.views.common import LOGIN_URL, current_user
from regdesk.filings.models import BookingState, OnsiteBooking
from regdesk.filings.onsite_schedule import date_label, time_range_label
from regdesk.filings.selectors import owner_display_name


def _day(value: str | None, today: date) -> date:
    """The day asked for (``YYYY-MM-DD``), today for anything else."""
    try:
        return date.fromisoformat(value) if value else today
    except ValueError:
        return today


@login_required(login_url=LOGIN_URL)
@require_GET
def appointments(request: HttpRequest) -> HttpResponse:
    """The booked appointments of a day at the offices of the user's units, and of the filings the user sees."""
    user = current_user(request)
    if not is_desk_user(user):
        raise PermissionDenied
    today = timezone.now().astimezone(LOCAL_ZONE).date()
    day = _day(request.GET.get("day"), today)
    unit_ids = list(desk_unit_ids(user))
    bookings = (
        OnsiteBooking.objects.filter(
            Q(office__unit_id__in=unit_ids) | Q(filing__owner__unit_id__in=unit_ids),
            day=day,
            state=BookingState.BOOKED,
            round=F("filing__onsite_rounds"),
        )
        .select_related("office", "filing", "filing__case", "filing__owner")
        .order_by("starts_at", "office__name", "pk")
    )
    lines = [
        {
            "booking": booking,
            "time": time_range_label(booking.starts_at, booking.ends_at),
            "owner": owner_display_name(booking.filing.owner),
        }
        for booking in bookings
    ]
    return render(
        request,
        "filings/desk/appointments.html",
        {
            "day": day,
            "day_label": date_label(day),
            "lines": lines,
            "previous": (day - timedelta(days=1)).isoformat(),
            "next": (day + timedelta(days=1)).isoformat(),
            "today": today.isoformat(),
        },
    )
