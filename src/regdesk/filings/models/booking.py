"""Where the on-site verification (当面核验) takes place, and the owner's appointments there.

An ``OnsiteOffice`` is a registration office of a unit (a branch's or an outlet's counter): its name, address,
opening hours and phone are what the on-site notice tells the owner. Its ``OnsiteSlot`` rows are the weekly time
slots the owner may book, each with a capacity. An ``OnsiteBooking`` is one appointment of one filing's on-site
round, on one day, in one slot. Offices and slots are configured in ``/admin/``; bookings change only through
``regdesk.filings.services.booking``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class OnsiteOffice(models.Model):
    """A registration office where the person in charge comes for the on-site verification."""

    unit = models.ForeignKey(
        "accounts.OrgUnit", on_delete=models.PROTECT, related_name="icp_onsite_offices", verbose_name=_("unit")
    )
    name = models.CharField(_("office name"), max_length=200)
    address = models.CharField(_("address"), max_length=300)
    opening_hours = models.CharField(
        _("opening hours"),
        max_length=200,
        help_text=_("As the owner reads it, e.g. 周一至周五 9:00–12:00，13:30–17:00（法定节假日除外）"),
    )
    phone = models.CharField(_("phone"), max_length=40)
    directions = models.TextField(_("how to get there"), blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("on-site verification office")
        verbose_name_plural = _("on-site verification offices")
        ordering = ["unit_id", "name", "id"]

    def __str__(self) -> str:
        return self.name


class Weekday(models.IntegerChoices):
    """Python's ``date.weekday()`` numbering."""

    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class OnsiteSlot(models.Model):
    """A weekly time slot of an office (Beijing time) with how many appointments it takes. A slot is offered only
    on working days (a weekday that is a public holiday is not; a weekend make-up working day takes the slots of
    its own weekday)."""

    office = models.ForeignKey(OnsiteOffice, on_delete=models.CASCADE, related_name="slots", verbose_name=_("office"))
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    starts_at = models.TimeField(_("from"))
    ends_at = models.TimeField(_("until"))
    capacity = models.PositiveSmallIntegerField(_("appointments"), default=2)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("time slot")
        verbose_name_plural = _("time slots")
        ordering = ["office_id", "weekday", "starts_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["office", "weekday", "starts_at"], name="filings_onsite_slot_unique"),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="filings_onsite_slot_ends_after"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="filings_onsite_slot_capacity"),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.starts_at:%H:%M}–{self.ends_at:%H:%M}"


class BookingState(models.TextChoices):
    BOOKED = "booked", _("booked")
    CANCELLED = "cancelled", _("cancelled")


class OnsiteBooking(models.Model):
    """One appointment for the on-site verification of a filing's current round. A round has at most one booked
    appointment (booking another slot replaces it)."""

    filing = models.ForeignKey("filings.Filing", on_delete=models.PROTECT, related_name="onsite_bookings")
    round = models.PositiveIntegerField(_("on-site verification"))
    slot = models.ForeignKey(OnsiteSlot, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("slot"))
    office = models.ForeignKey(
        OnsiteOffice, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("office")
    )
    day = models.DateField(_("day"))
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    state = models.CharField(_("state"), max_length=20, choices=BookingState.choices, default=BookingState.BOOKED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("on-site appointment")
        verbose_name_plural = _("on-site appointments")
        ordering = ["starts_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["filing", "round"], condition=Q(state="booked"), name="filings_one_booking_per_round"
            )
        ]
        indexes = [models.Index(fields=["slot", "day", "state"], name="filings_booking_slot_day")]

    def __str__(self) -> str:
        return f"{self.filing_id}: {self.day} {self.slot_id}"
