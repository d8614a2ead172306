"""PostgreSQL: owners booking the last place of a time slot at the same moment. The slot's row lock keeps its
capacity: exactly one gets the place, the other is told the slot is full."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection

from regdesk.filings.errors import FilingRefused
from regdesk.filings.models import BookingState, OnsiteBooking, OnsiteOffice, OnsiteSlot
from regdesk.filings.services import onsite_booking_make
from regdesk.filings.services.booking import onsite_office_save, onsite_slot_save
from tests.filings.builders import World, awaiting_onsite
from tests.filings.test_concurrency import _race
from tests.fixtures.simulators import SmsSimulatorHandle, SmtpSimulatorHandle

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_two_owners_booking_the_last_place_at_once_one_gets_it(
    world: World, use_smtp_simulator: SmtpSimulatorHandle, use_sms_simulator: SmsSimulatorHandle
) -> None:
    assert connection.vendor == "postgresql"
    office = onsite_office_save(
        actor=world.specialist,
        office=OnsiteOffice(
            unit=world.branch,
            name="核验室",
            address="北京市朝阳区建国路88号",
            opening_hours="周一至周五",
            phone="010-65880000",
        ),
    )
    day = date(2026, 10, 8)
    slots = [
        onsite_slot_save(
            actor=world.specialist,
            slot=OnsiteSlot(
                office=office, weekday=day.weekday(), starts_at=time(hour, 0), ends_at=time(hour, 30), capacity=1
            ),
        )
        for hour in (9, 10, 11)
    ]
    with time_machine.travel(datetime(2026, 9, 30, 15, 0, tzinfo=SHANGHAI), tick=False):
        first, second = awaiting_onsite(world, 0), awaiting_onsite(world, 1)
        for slot in slots:
            results, failures = _race(
                [
                    lambda filing=filing, slot=slot: onsite_booking_make(  # type: ignore[misc]
                        actor=world.owner, filing=filing, slot_id=slot.pk, day=day
                    )
                    for filing in (first, second)
                ]
            )
            assert len(results) == 1, failures
            [failure] = failures
            assert isinstance(failure, FilingRefused)
            assert failure.code == "slot_full"
            assert OnsiteBooking.objects.filter(slot=slot, day=day, state=BookingState.BOOKED).count() == 1
