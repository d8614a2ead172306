"""The on-site verification notice says where to go (office, address, opening hours, phone), what to bring and the
deadline as a date; the owner books a time slot (working days before the deadline, capacity kept) and gets the
booking by e-mail and SMS; the specialist sees the appointments of the day; a lapsed filing shows no deadline
ahead."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from pytest_django import DjangoCaptureOnCommitCallbacks

from regdesk.audit.models import AuditEvent
from regdesk.cases.services import case_transition
from regdesk.filings.errors import FilingRefused
from regdesk.filings.models import BookingState, Filing, FilingState, OnsiteBooking, OnsiteOffice, OnsiteSlot
from regdesk.filings.onsite_schedule import available_slots, offices_for, what_to_bring
from regdesk.filings.services import onsite_booking_cancel, onsite_booking_make
from regdesk.filings.services.booking import onsite_office_save, onsite_slot_save
from tests.filings.builders import World, awaiting_onsite, case_of, filing_json
from tests.filings.desk_support import desk_client
from tests.filings.portal_support import client_for, url
from tests.fixtures.simulators import SmsSimulatorHandle, SmtpSimulatorHandle

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
# The notice goes out on Wednesday 30 September 2026 at 15:00; the National Day holidays follow (1-7 October), then
# the working days 8, 9, 10 (a Saturday made a working day), 12 and 13 October: the deadline is Tuesday 13 October.
NOTICE_TIME = datetime(2026, 9, 30, 15, 0, tzinfo=SHANGHAI)
DEADLINE_LABEL = "2026年10月13日（星期二）"
OFFICE = {
    "name": "华信云北京备案核验室",
    "address": "北京市朝阳区建国路88号华信大厦3层302室",
    "opening_hours": "周一至周五 9:00–12:00，13:30–17:00（法定节假日除外）",
    "phone": "010-6588 0000",
}
PERSON = filing_json()["owner"]["person_in_charge"]


def make_office(world: World, *, capacity: int = 2, every_day: bool = True) -> OnsiteOffice:
    """An office of the branch with a morning and an afternoon slot on every day of the week (so that the calendar,
    not the slots, decides which days are offered)."""
    office = onsite_office_save(actor=world.specialist, office=OnsiteOffice(unit=world.branch, **OFFICE))
    for weekday in range(7 if every_day else 5):
        for starts, ends in ((time(9, 0), time(10, 0)), (time(16, 0), time(17, 0))):
            onsite_slot_save(
                actor=world.specialist,
                slot=OnsiteSlot(office=office, weekday=weekday, starts_at=starts, ends_at=ends, capacity=capacity),
            )
    return office


def slot_of(office: OnsiteOffice, day: date, starts: time) -> OnsiteSlot:
    return OnsiteSlot.objects.get(office=office, weekday=day.weekday(), starts_at=starts)


# --------------------------------------------------------------------------------------------------------------
# The notice


def test_the_notice_says_where_to_go_when_and_what_to_bring_by_mail_and_sms(
    world: World,
    use_smtp_simulator: SmtpSimulatorHandle,
    use_sms_simulator: SmsSimulatorHandle,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    make_office(world)
    with time_machine.travel(NOTICE_TIME, tick=False), django_capture_on_commit_callbacks(execute=True):
        filing = awaiting_onsite(world)
    [mail] = [message for message in use_smtp_simulator.messages() if "当面核验" in message["subject"]]
    assert mail["to"] == PERSON["email"]
    for value in OFFICE.values():
        assert value in mail["text"], value
    assert DEADLINE_LABEL in mail["text"]
    assert "营业执照" in mail["text"], "an organisation brings its licence"
    assert "公章" in mail["text"], "or a copy with its seal"
    assert "身份证原件" in mail["text"]
    assert "现场会在幕布前为负责人拍照" in mail["text"], "the photo is taken at the office"
    assert f"/portal/filings/{filing.pk}/" in mail["text"], "the owner is told where to book"
    [sms] = [message for message in use_sms_simulator.messages() if str(filing) in message["text"]]
    assert sms["to"] == PERSON["mobile"]
    for value in (OFFICE["name"], OFFICE["address"], OFFICE["phone"], DEADLINE_LABEL):
        assert value in sms["text"], value


def test_what_to_bring_depends_on_the_owner_kind(world: World) -> None:
    with time_machine.travel(NOTICE_TIME, tick=False):
        organisation = awaiting_onsite(world)
    items = " ".join(what_to_bring(organisation))
    assert "营业执照" in items
    assert "授权委托书" in items
    organisation.owner.kind = "individual"
    individual = " ".join(what_to_bring(organisation))
    assert "营业执照" not in individual
    assert "授权委托书" not in individual
    assert "本人居民身份证原件" in individual


def test_the_portal_shows_the_office_the_date_and_only_working_days_before_the_deadline(world: World) -> None:
    make_office(world)
    with time_machine.travel(NOTICE_TIME, tick=False):
        filing = awaiting_onsite(world)
        body = client_for(world.owner).get(url("detail", filing)).content.decode()
        options = available_slots(filing)
    assert 'data-testid="onsite-notice"' in body
    for value in OFFICE.values():
        assert value in body, value
    assert DEADLINE_LABEL in body
    assert 'data-testid="onsite-book-form"' in body
    offered = {(option.day, option.starts_at.astimezone(SHANGHAI).time()) for option in options}
    days = sorted({day for day, _starts in offered})
    assert days == [date(2026, 9, 30), date(2026, 10, 8), date(2026, 10, 9), date(2026, 10, 10), date(2026, 10, 12),
                    date(2026, 10, 13)]  # fmt: skip
    assert (date(2026, 9, 30), time(9, 0)) not in offered, "a slot that has begun is not offered"
    assert (date(2026, 9, 30), time(16, 0)) in offered
    assert all(option.ends_at <= datetime(2026, 10, 13, 23, 59, 59, tzinfo=SHANGHAI) for option in options)
    assert "2026年10月10日（星期六）" in body, "the make-up working day is offered"
    assert "2026年10月5日" not in body, "no slot in the holidays"


# --------------------------------------------------------------------------------------------------------------
# Booking


def test_the_owner_books_a_slot_and_gets_it_by_mail_and_sms(
    world: World,
    use_smtp_simulator: SmtpSimulatorHandle,
    use_sms_simulator: SmsSimulatorHandle,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    office = make_office(world)
    day = date(2026, 10, 9)
    with time_machine.travel(NOTICE_TIME, tick=False):
        filing = awaiting_onsite(world)
        use_smtp_simulator.reset()
        use_sms_simulator.reset()
        client = client_for(world.owner)
        slot = slot_of(office, day, time(9, 0))
        with django_capture_on_commit_callbacks(execute=True):
            answer = client.post(url("onsite_book", filing), {"slot": f"{slot.pk}:{day.isoformat()}"})
        assert answer.status_code == 302
        body = client.get(url("detail", filing)).content.decode()
    booking = OnsiteBooking.objects.get(filing=filing, state=BookingState.BOOKED)
    assert (booking.day, booking.office_id, booking.round) == (day, office.pk, filing.onsite_rounds)
    assert booking.starts_at == datetime(2026, 10, 9, 9, 0, tzinfo=SHANGHAI)
    assert 'data-testid="onsite-booking"' in body
    assert "2026年10月9日（星期五） 09:00–10:00" in body
    [mail] = use_smtp_simulator.messages()
    assert mail["to"] == PERSON["email"]
    assert str(filing) in mail["subject"]
    for value in ("2026年10月9日（星期五）", "09:00–10:00", *OFFICE.values(), DEADLINE_LABEL):
        assert value in mail["text"], value
    [sms] = use_sms_simulator.messages()
    assert sms["to"] == PERSON["mobile"]
    for value in ("2026年10月9日（星期五）", "09:00–10:00", OFFICE["name"], OFFICE["address"], OFFICE["phone"]):
        assert value in sms["text"], value
    event = AuditEvent.objects.get(action="filing_onsite.booking", object_id=str(filing.pk))
    assert event.changes["day"] == "2026-10-09"
    assert PERSON["mobile"] not in str(event.changes), "no personal data in the trail's record"


def test_booking_again_replaces_the_appointment_and_cancelling_frees_the_place(world: World) -> None:
    office = make_office(world, capacity=1)
    first, second = date(2026, 10, 8), date(2026, 10, 12)
    with time_machine.travel(NOTICE_TIME, tick=False):
        filing = awaiting_onsite(world)
        onsite_booking_make(actor=world.owner, filing=filing, slot_id=slot_of(office, first, time(9, 0)).pk, day=first)
        onsite_booking_make(
            actor=world.owner, filing=filing, slot_id=slot_of(office, second, time(9, 0)).pk, day=second
        )
        assert list(OnsiteBooking.objects.filter(filing=filing).values_list("day", "state").order_by("pk")) == [
            (first, BookingState.CANCELLED),
            (second, BookingState.BOOKED),
        ]
        assert any(option.day == first and option.starts_at.hour == 9 for option in available_slots(filing))
        onsite_booking_cancel(actor=world.owner, filing=filing)
    assert not OnsiteBooking.objects.filter(filing=filing, state=BookingState.BOOKED).exists()


def test_a_full_slot_is_neither_offered_nor_booked(world: World) -> None:
    office = make_office(world, capacity=1)
    day = date(2026, 10, 8)
    with time_machine.travel(NOTICE_TIME, tick=False):
        first = awaiting_onsite(world, 0)
        second = awaiting_onsite(world, 1)
        slot = slot_of(office, day, time(9, 0))
        onsite_booking_make(actor=world.owner, filing=first, slot_id=slot.pk, day=day)
        assert all(option.key != f"{slot.pk}:{day.isoformat()}" for option in available_slots(second))
        with pytest.raises(FilingRefused) as refused:
            onsite_booking_make(actor=world.owner, filing=second, slot_id=slot.pk, day=day)
    assert refused.value.code == "slot_full"
    assert OnsiteBooking.objects.filter(slot=slot, day=day, state=BookingState.BOOKED).count() == 1


@pytest.mark.parametrize(
    ("day", "starts", "code"),
    [
        (date(2026, 10, 5), time(9, 0), "slot_not_a_working_day"),  # a Monday of the National Day holidays
        (date(2026, 10, 11), time(9, 0), "slot_not_a_working_day"),  # an ordinary Sunday
        (date(2026, 10, 14), time(9, 0), "slot_after_deadline"),
        (date(2026, 9, 30), time(9, 0), "slot_past"),
    ],
)
def test_a_slot_outside_the_working_days_before_the_deadline_is_refused(
    world: World, day: date, starts: time, code: str
) -> None:
    office = make_office(world)
    with time_machine.travel(NOTICE_TIME, tick=False):
        filing = awaiting_onsite(world)
        with pytest.raises(FilingRefused) as refused:
            onsite_booking_make(actor=world.owner, filing=filing, slot_id=slot_of(office, day, starts).pk, day=day)
    assert refused.value.code == code
    assert not OnsiteBooking.objects.exists()


def test_a_slot_of_another_weekday_or_office_and_foreign_users_are_refused(world: World) -> None:
    office = make_office(world)
    closed = onsite_office_save(
        actor=world.specialist, office=OnsiteOffice(unit=world.branch, active=False, **{**OFFICE, "name": "旧址"})
    )
    other = onsite_slot_save(
        actor=world.specialist,
        slot=OnsiteSlot(office=closed, weekday=3, starts_at=time(9, 0), ends_at=time(10, 0), capacity=5),
    )
    day = date(2026, 10, 8)  # a Thursday
    with time_machine.travel(NOTICE_TIME, tick=False):
        filing = awaiting_onsite(world)
        friday_slot = slot_of(office, date(2026, 10, 9), time(9, 0))
        cases = [
            (world.owner, friday_slot.pk, "slot_not_offered"),
            (world.owner, other.pk, "unknown_slot"),
            (world.other_owner, slot_of(office, day, time(9, 0)).pk, "role"),
            (world.other_specialist, slot_of(office, day, time(9, 0)).pk, "role"),
        ]
        for actor, slot_id, code in cases:
            with pytest.raises(FilingRefused) as refused:
                onsite_booking_make(actor=actor, filing=filing, slot_id=slot_id, day=day)
            assert refused.value.code == code, (actor, code)
        # Nonsense from the form changes nothing either.
        answer = client_for(world.owner).post(url("onsite_book", filing), {"slot": "abc:2026-13-40"})
        assert answer.status_code == 302
    assert office in offices_for(filing)
    assert closed not in offices_for(filing)
    assert not OnsiteBooking.objects.exists()
    assert not AuditEvent.objects.filter(action="filing_onsite.booking").exists()


def test_a_specialist_sees_the_appointments_of_the_day(world: World) -> None:
    office = make_office(world)
    day = date(2026, 10, 8)
    with time_machine.travel(NOTICE_TIME, tick=False):
        filing = awaiting_onsite(world)
        onsite_booking_make(actor=world.owner, filing=filing, slot_id=slot_of(office, day, time(16, 0)).pk, day=day)
    with time_machine.travel(datetime(2026, 10, 8, 8, 0, tzinfo=SHANGHAI), tick=False):
        page = desk_client(world.specialist).get("/desk/filings/appointments/").content.decode()
        elsewhere = desk_client(world.other_specialist).get("/desk/filings/appointments/").content.decode()
        onsite_screen = desk_client(world.specialist).get(f"/desk/filings/{filing.pk}/onsite/").content.decode()
    assert f'data-reference="{filing}"' in page
    assert "16:00–17:00" in page
    assert OFFICE["name"] in page
    assert "2026年10月8日（星期四）" in page
    assert f'data-reference="{filing}"' not in elsewhere
    assert 'data-testid="onsite-appointment"' in onsite_screen


# --------------------------------------------------------------------------------------------------------------
# A lapsed filing


def test_a_lapsed_filing_shows_no_deadline_ahead_and_offers_no_slot(world: World) -> None:
    make_office(world)
    with time_machine.travel(NOTICE_TIME, tick=False):
        filing = awaiting_onsite(world)
    # The filing lapses before its due day (as the demo data does it): the on-site clock stops with its due time
    # still ahead.
    with time_machine.travel(datetime(2026, 10, 9, 10, 0, tzinfo=SHANGHAI), tick=False):
        case_transition(actor=None, case=case_of(filing), action="lapse", payload={"clock": "onsite", "rung": "breach"})
        filing = Filing.objects.get(pk=filing.pk)
        assert filing.state == FilingState.LAPSED
        portal = client_for(world.owner).get(url("detail", filing)).content.decode()
        desk = desk_client(world.specialist).get(f"/desk/filings/{filing.pk}/").content.decode()
        assert available_slots(filing) == []
        with pytest.raises(FilingRefused):
            onsite_booking_make(
                actor=world.owner,
                filing=filing,
                slot_id=OnsiteSlot.objects.filter(weekday=0, starts_at=time(9, 0)).get().pk,
                day=date(2026, 10, 12),
            )
    for page in (portal, desk):
        assert "2026-10-13" not in page, "the due day after the lapse is no deadline"
        assert DEADLINE_LABEL not in page
    assert 'data-testid="onsite-notice"' not in portal
    assert 'data-testid="onsite-book-form"' not in portal
