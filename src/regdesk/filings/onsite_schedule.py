"""Reads of the on-site verification notice (当面核验通知): where to go, what to bring, by when, and the time slots the
owner may book.

* The **office** serving a filing is the nearest one up the organisation tree from the owner's unit (the unit
  itself, then its parents); a unit with no office above it is served by the offices below it.
* The **deadline** is the due time of the running ``onsite`` clock: the end of the last working day, shown as a
  date in Beijing time (``2026年10月13日（星期二）``). Only a filing that awaits the verification has one: a lapsed,
  withdrawn or verified filing shows none.
* A **slot** is offered on a working day (``rules.workdays`` through the imported calendar) from today to the
  deadline's day, when it has not started yet, ends before the deadline, and has places left.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from regdesk.accounts.models import OrgUnit
from regdesk.cases.deadlines import LOCAL_ZONE
from regdesk.cases.models import Clock, ClockState
from regdesk.filings.models import BookingState, Filing, FilingState, OnsiteBooking, OnsiteOffice, OnsiteSlot

# How far up or down the unit tree an office is looked for (the tree is shallow: provider, branch, outlet).
_TREE_DEPTH = 8


def date_label(day: date) -> str:
    """A day as people write it, with its weekday, in the active language: 2026年10月13日（星期二）."""
    return formats.date_format(day, pgettext("date with weekday", "l, j F Y"))


def time_range_label(starts_at: datetime, ends_at: datetime) -> str:
    """``09:00–10:00`` in Beijing time."""
    return f"{starts_at.astimezone(LOCAL_ZONE):%H:%M}–{ends_at.astimezone(LOCAL_ZONE):%H:%M}"


def offices_for(filing: Filing) -> list[OnsiteOffice]:
    """The active offices where the filing's person in charge may come (see the module docstring)."""
    unit: OrgUnit | None = filing.owner.unit
    for _level in range(_TREE_DEPTH):
        if unit is None:
            break
        offices = list(OnsiteOffice.objects.filter(unit=unit, active=True).order_by("name", "pk"))
        if offices:
            return offices
        unit = unit.parent
    unit_ids = {filing.owner.unit_id}
    below: set[int] = set(unit_ids)
    for _level in range(_TREE_DEPTH):
        below = set(OrgUnit.objects.filter(parent_id__in=below, active=True).values_list("pk", flat=True))
        if not below:
            break
        unit_ids |= below
    return list(OnsiteOffice.objects.filter(unit_id__in=unit_ids, active=True).order_by("name", "pk"))


def onsite_clock(filing: Filing) -> Clock | None:
    """The running on-site clock of a filing that awaits the verification; ``None`` for any other filing."""
    if filing.state != FilingState.AWAITING_ONSITE or filing.case is None:
        return None
    return (
        filing.case.clocks.filter(name="onsite", state__in=[ClockState.RUNNING, ClockState.PAUSED])
        .order_by("-started_at", "-pk")
        .first()
    )


def onsite_deadline_at(filing: Filing) -> datetime | None:
    """When the on-site verification is due (the end of the last working day), or ``None`` (see ``onsite_clock``)."""
    clock = onsite_clock(filing)
    return clock.due_at if clock is not None else None


def what_to_bring(filing: Filing) -> list[str]:
    """What the person in charge brings, by the owner's kind (seed 001 step 3; DOMAIN.md §1.4 steps 3-6)."""
    owner = filing.owner
    if owner.is_individual:
        items = [_("Your resident ID card, the original: you come in person, as the person in charge")]
    else:
        items = [
            _(
                "The original of the organisation's certificate (business licence, or the certificate of a public "
                "institution or social organisation), or a copy bearing the organisation's seal"
            ),
            _("The original ID card of the person in charge, who comes in person"),
            _(
                "A letter of authorisation with the organisation's seal, if the person in charge is not the legal "
                "representative"
            ),
        ]
    items.append(_("The original ID cards of the websites' persons in charge, if they are other people"))
    items.append(_("The domain certificates of the websites"))
    if filing.websites.filter(pre_approvals__isnull=False).exists():
        items.append(_("The originals of the pre-approvals (news, publishing, medical and other services)"))
    items.append(_("Nothing else: the photo of the person in charge is taken at the office, against its backdrop"))
    return [str(item) for item in items]


@dataclass(frozen=True)
class SlotOption:
    """A slot on one day that the filing may book."""

    slot_id: int
    office_id: int
    office_name: str
    day: date
    starts_at: datetime
    ends_at: datetime
    remaining: int

    @property
    def key(self) -> str:
        """The value a form posts: ``<slot id>:<ISO day>``."""
        return f"{self.slot_id}:{self.day.isoformat()}"

    @property
    def day_label(self) -> str:
        return date_label(self.day)

    @property
    def time_label(self) -> str:
        return time_range_label(self.starts_at, self.ends_at)


def slot_times(slot: OnsiteSlot, day: date) -> tuple[datetime, datetime]:
    """The slot's start and end on ``day``, aware (Beijing time)."""
    return (
        datetime.combine(day, slot.starts_at, tzinfo=LOCAL_ZONE),
        datetime.combine(day, slot.ends_at, tzinfo=LOCAL_ZONE),
    )


def booked_counts(
    slot_ids: list[int], first: date, last: date, *, exclude_filing: int | None = None
) -> dict[tuple[int, date], int]:
    """``{(slot id, day): booked appointments}`` between two days."""
    rows = OnsiteBooking.objects.filter(slot_id__in=slot_ids, day__range=(first, last), state=BookingState.BOOKED)
    if exclude_filing is not None:
        rows = rows.exclude(filing_id=exclude_filing)
    return {
        (row["slot_id"], row["day"]): row["count"]
        for row in rows.values("slot_id", "day").annotate(count=Count("pk")).order_by()
    }


def slot_refusal(slot: OnsiteSlot, day: date, *, deadline_at: datetime, now: datetime) -> str | None:
    """Why ``slot`` cannot be booked on ``day`` (places aside), or ``None``."""
    from regdesk.calendars.selectors import working_calendar

    starts_at, ends_at = slot_times(slot, day)
    if not slot.active or not slot.office.active or day.weekday() != slot.weekday:
        return "not_offered"
    if not working_calendar().is_working_day(day):
        return "not_a_working_day"
    if starts_at <= now:
        return "past"
    if ends_at > deadline_at:
        return "after_deadline"
    return None


def available_slots(filing: Filing, *, now: datetime | None = None) -> list[SlotOption]:
    """The slots the filing may book, earliest first (none unless it awaits the verification)."""
    deadline_at = onsite_deadline_at(filing)
    if deadline_at is None:
        return []
    now = now or timezone.now()
    offices = offices_for(filing)
    slots = list(
        OnsiteSlot.objects.filter(office__in=offices, active=True).select_related("office").order_by("starts_at")
    )
    if not slots:
        return []
    first, last = now.astimezone(LOCAL_ZONE).date(), deadline_at.astimezone(LOCAL_ZONE).date()
    taken = booked_counts([slot.pk for slot in slots], first, last, exclude_filing=filing.pk)
    options: list[SlotOption] = []
    day = first
    while day <= last:
        for slot in slots:
            if slot.weekday != day.weekday() or slot_refusal(slot, day, deadline_at=deadline_at, now=now):
                continue
            remaining = slot.capacity - taken.get((slot.pk, day), 0)
            if remaining > 0:
                starts_at, ends_at = slot_times(slot, day)
                options.append(
                    SlotOption(slot.pk, slot.office_id, slot.office.name, day, starts_at, ends_at, remaining)
                )
        day += timedelta(days=1)
    return sorted(options, key=lambda option: (option.starts_at, option.office_id, option.slot_id))


def current_booking(filing: Filing) -> OnsiteBooking | None:
    """The booked appointment of the filing's current on-site round."""
    if filing.state != FilingState.AWAITING_ONSITE:
        return None
    return (
        OnsiteBooking.objects.filter(filing=filing, round=filing.onsite_rounds, state=BookingState.BOOKED)
        .select_related("office", "slot")
        .first()
    )


def bookings_of_day(unit_ids: set[int] | list[int], day: date) -> list[OnsiteBooking]:
    """The booked appointments of a day at the offices of the given units, in time order."""
    return list(
        OnsiteBooking.objects.filter(Q(office__unit_id__in=list(unit_ids)), day=day, state=BookingState.BOOKED)
        .select_related("office", "filing", "filing__case", "filing__owner")
        .order_by("starts_at", "office__name", "pk")
    )


@dataclass(frozen=True)
class OnsiteNotice:
    """Everything the on-site notice says: offices, what to bring, the deadline, the booked appointment."""

    offices: list[OnsiteOffice]
    bring: list[str]
    deadline_at: datetime
    deadline_label: str
    booking: OnsiteBooking | None


def onsite_notice(filing: Filing) -> OnsiteNotice | None:
    """The notice of a filing that awaits the on-site verification, or ``None`` (no deadline to show)."""
    deadline_at = onsite_deadline_at(filing)
    if deadline_at is None:
        return None
    return OnsiteNotice(
        offices=offices_for(filing),
        bring=what_to_bring(filing),
        deadline_at=deadline_at,
        deadline_label=date_label(deadline_at.astimezone(LOCAL_ZONE).date()),
        booking=current_booking(filing),
    )


def office_context(office: OnsiteOffice) -> dict[str, str]:
    """An office as the notices show it (nothing personal)."""
    return {
        "name": office.name,
        "address": office.address,
        "opening_hours": office.opening_hours,
        "phone": office.phone,
        "directions": office.directions,
    }
