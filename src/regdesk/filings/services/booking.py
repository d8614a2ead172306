"""Appointments for the on-site verification (当面核验预约): the owner (or a specialist for the owner) books a time
slot of an office that serves the filing, before the deadline, on a working day.

Capacity holds under concurrency: the filing's row is locked first (one appointment per round), then the slot's
row (DESIGN rule 14: the domain row, then the counter), and the appointments of the slot's day are counted under
that lock. The confirmation goes to the person in charge by e-mail and SMS through the notice outbox.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from regdesk.audit.services import audit_record
from regdesk.cases.deadlines import LOCAL_ZONE
from regdesk.filings import onsite_schedule
from regdesk.filings.errors import FilingRefused
from regdesk.filings.models import BookingState, Filing, FilingState, OnsiteBooking, OnsiteOffice, OnsiteSlot
from regdesk.filings.notices import notify_owner
from regdesk.filings.permissions import is_filing_owner, is_specialist_for

if TYPE_CHECKING:
    from regdesk.accounts.models import User


def _require_owner_or_specialist(actor: User, filing: Filing) -> None:
    if not (is_filing_owner(actor, filing) or is_specialist_for(actor, filing)):
        raise FilingRefused("role", _("Only the website owner or a specialist of the filing's unit may do this."))


def _slot_refusal_message(code: str) -> str:
    messages = {
        "not_offered": _("This time slot is not offered on that day."),
        "not_a_working_day": _("The office does not receive on that day: it is not a working day."),
        "past": _("This time slot has already begun."),
        "after_deadline": _("This time slot ends after the deadline of the on-site verification."),
    }
    return messages[code]


def _notice_context(booking: OnsiteBooking, filing: Filing) -> dict[str, object]:
    with translation.override(settings.LANGUAGE_CODE):
        deadline_at = onsite_schedule.onsite_deadline_at(filing)
        return {
            "office": onsite_schedule.office_context(booking.office),
            "day": onsite_schedule.date_label(booking.day),
            "time": onsite_schedule.time_range_label(booking.starts_at, booking.ends_at),
            "deadline": onsite_schedule.date_label(deadline_at.astimezone(LOCAL_ZONE).date()) if deadline_at else "",
            "bring": onsite_schedule.what_to_bring(filing),
        }


def onsite_booking_make(*, actor: User, filing: Filing, slot_id: int, day: date) -> OnsiteBooking:
    """Book the slot ``slot_id`` on ``day`` for the filing's current on-site round, replacing an earlier booking of
    the round. Refused with a specific reason when the filing does not await the verification, the slot is not one
    of the offices serving the filing, is not offered that day (weekday, working day, already begun, after the
    deadline), or is full. Audited; the confirmation is queued by e-mail and SMS."""
    _require_owner_or_specialist(actor, filing)
    slot = OnsiteSlot.objects.filter(pk=slot_id).select_related("office").first()
    if slot is None or slot.office not in onsite_schedule.offices_for(filing):
        raise FilingRefused("unknown_slot", _("This time slot is not offered for this filing: choose one of the list."))
    with transaction.atomic():
        locked = Filing.objects.select_for_update(of=("self",)).select_related("owner", "case").get(pk=filing.pk)
        if locked.state != FilingState.AWAITING_ONSITE:
            raise FilingRefused(
                "wrong_state", _("An appointment is made while the filing awaits the on-site verification.")
            )
        deadline_at = onsite_schedule.onsite_deadline_at(locked)
        if deadline_at is None:
            raise FilingRefused(
                "wrong_state", _("An appointment is made while the filing awaits the on-site verification.")
            )
        # The slot's row is the capacity's lock: appointments of one slot and day are counted under it.
        slot = OnsiteSlot.objects.select_for_update(of=("self",)).select_related("office").get(pk=slot.pk)
        refusal = onsite_schedule.slot_refusal(slot, day, deadline_at=deadline_at, now=timezone.now())
        if refusal is not None:
            raise FilingRefused(f"slot_{refusal}", _slot_refusal_message(refusal))
        taken = (
            OnsiteBooking.objects.filter(slot=slot, day=day, state=BookingState.BOOKED).exclude(filing=locked).count()
        )
        if taken >= slot.capacity:
            raise FilingRefused("slot_full", _("This time slot is fully booked: choose another one."))
        earlier = OnsiteBooking.objects.filter(filing=locked, round=locked.onsite_rounds, state=BookingState.BOOKED)
        replaced = [booking.pk for booking in earlier]
        earlier.update(state=BookingState.CANCELLED, cancelled_at=timezone.now())
        starts_at, ends_at = onsite_schedule.slot_times(slot, day)
        booking = OnsiteBooking.objects.create(
            filing=locked,
            round=locked.onsite_rounds,
            slot=slot,
            office=slot.office,
            day=day,
            starts_at=starts_at,
            ends_at=ends_at,
            created_by=actor,
        )
        audit_record(
            actor=actor,
            action="filing_onsite.booking",
            object_type="filings.filing",
            object_id=locked.pk,
            changes={
                "round": locked.onsite_rounds,
                "booking": booking.pk,
                "office": slot.office_id,
                "slot": slot.pk,
                "day": day.isoformat(),
                "replaced": replaced,
            },
            unit=locked.owner.unit,
        )
        notify_owner(
            locked,
            template="onsite_booking",
            key=f"booking:{booking.pk}",
            context=_notice_context(booking, locked),
            sms=True,
        )
    return booking


def onsite_booking_cancel(*, actor: User, filing: Filing) -> OnsiteBooking | None:
    """Cancel the booked appointment of the filing's current round (its place is offered again); ``None`` when
    there is none. Audited."""
    _require_owner_or_specialist(actor, filing)
    with transaction.atomic():
        locked = Filing.objects.select_for_update(of=("self",)).select_related("owner").get(pk=filing.pk)
        booking = (
            OnsiteBooking.objects.select_for_update()
            .filter(filing=locked, round=locked.onsite_rounds, state=BookingState.BOOKED)
            .first()
        )
        if booking is None:
            return None
        booking.state = BookingState.CANCELLED
        booking.cancelled_at = timezone.now()
        booking.save(update_fields=["state", "cancelled_at"])
        audit_record(
            actor=actor,
            action="filing_onsite.booking_cancel",
            object_type="filings.filing",
            object_id=locked.pk,
            changes={"round": locked.onsite_rounds, "booking": booking.pk},
            unit=locked.owner.unit,
        )
    return booking


def onsite_office_save(*, actor: User, office: OnsiteOffice, changed: list[str] | None = None) -> OnsiteOffice:
    """Create or change an office where the on-site verification takes place (configuration, ``/admin/``)."""
    with transaction.atomic():
        created = office.pk is None
        office.save()
        audit_record(
            actor=actor,
            action="filing_onsite.office_create" if created else "filing_onsite.office_change",
            object_type="filings.onsiteoffice",
            object_id=office.pk,
            changes={"fields": sorted(changed or [])},
            unit=office.unit,
        )
    return office


def onsite_slot_save(*, actor: User, slot: OnsiteSlot, changed: list[str] | None = None) -> OnsiteSlot:
    """Create or change a weekly time slot of an office (configuration, ``/admin/``). Appointments already booked
    keep their times; a slot no longer offered is made inactive, never deleted."""
    with transaction.atomic():
        created = slot.pk is None
        slot.save()
        audit_record(
            actor=actor,
            action="filing_onsite.slot_create" if created else "filing_onsite.slot_change",
            object_type="filings.onsiteslot",
            object_id=slot.pk,
            changes={
                "office": slot.office_id,
                "weekday": slot.weekday,
                "from": slot.starts_at.isoformat(timespec="minutes"),
                "until": slot.ends_at.isoformat(timespec="minutes"),
                "capacity": slot.capacity,
                "active": slot.active,
                "fields": sorted(changed or []),
            },
            unit=slot.office.unit,
        )
    return slot
