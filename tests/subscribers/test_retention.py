"""The retention purge with frozen time: registration data goes two years after the service ended (configurable),
the evidence of each run stays (``PurgeRecord`` and an audit event), and nothing is purged a day early."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.storage import default_storage
from pytest_django import Settings

from regdesk.audit.models import AuditEvent
from regdesk.cases.models import Case, Document
from regdesk.subscribers.models import (
    CardReading,
    Line,
    LineBillingEvent,
    LineRecord,
    PurgeRecord,
    Registration,
    RegistrationEvent,
    Subscriber,
    SubscriberIdentity,
)
from regdesk.subscribers.retention.selectors import purge_candidates
from regdesk.subscribers.retention.services import registration_data_purge
from regdesk.subscribers.retention.tasks import purge_all, purge_expired_registrations
from regdesk.subscribers.services import (
    LineRequest,
    line_status_change,
    registration_check,
    registration_complete,
    registration_refuse,
    registration_start,
)
from tests.fixtures.simulators import FaceMatchSimulatorHandle, IdentitySimulatorHandle
from tests.subscribers.conftest import World, live_photo, mobile_number, read_card, start_with_reading, valid_people

pytestmark = pytest.mark.django_db
Checks = tuple[IdentitySimulatorHandle, FaceMatchSimulatorHandle]
SHANGHAI = ZoneInfo("Asia/Shanghai")
START = dt.datetime(2024, 5, 6, 10, 0, tzinfo=SHANGHAI)
CANCELLED = START + dt.timedelta(days=1)


def register(world: World, who: dict[str, Any], serial: int) -> Registration:
    registration = start_with_reading(world, who, number=mobile_number(serial))
    registration = registration_check(actor=world.clerk, registration=registration, live_photo=live_photo(who))
    return registration_complete(actor=world.clerk, registration=registration)


def purge_at(moment: dt.datetime, **options: Any) -> PurgeRecord | None:
    with time_machine.travel(moment, tick=False):
        return registration_data_purge(actor=None, **options).record


class History:
    """Lines A (person 0) and B (person 1) cancelled a day after START; line C (person 0) still in service; a
    registration refused at the counter; a card read and never used."""

    def __init__(self, world: World, checks: Checks) -> None:
        people = valid_people(checks[0], 2)
        with time_machine.travel(START, tick=False):
            self.a = register(world, people[0], 60)
            self.b = register(world, people[1], 61)
            self.c = register(world, people[0], 62)
            refused = registration_start(
                actor=world.clerk,
                outlet=world.outlet,
                kind="open",
                line=LineRequest(line_kind="mobile", payment="prepaid", number=mobile_number(63)),
            )
            self.refused = registration_refuse(actor=world.clerk, registration=refused, reason="no_id_shown")
            self.unused_reading = read_card(world, people[1])
        with time_machine.travel(CANCELLED, tick=False):
            for registration in (self.a, self.b):
                assert registration.line is not None
                line_status_change(actor=None, line=registration.line, status="cancelled", reason="holder left")
        self.line_a, self.line_b, self.line_c = (r.line for r in (self.a, self.b, self.c))
        self.documents = {
            registration.pk: list(Document.objects.filter(case=registration.case))
            for registration in (self.a, self.b, self.c)
        }


@pytest.fixture
def history(world: World, checks: Checks) -> History:
    return History(world, checks)


def test_an_unused_card_reading_goes_after_thirty_days(history: History) -> None:
    assert purge_at(START + dt.timedelta(days=29)) is None
    record = purge_at(START + dt.timedelta(days=31))
    assert record is not None
    assert record.counts == {"unused_card_readings": 1}
    assert not CardReading.objects.filter(pk=history.unused_reading.pk).exists()
    assert Line.objects.count() == 3


def test_nothing_is_purged_before_two_years_after_the_service_ended(history: History) -> None:
    purge_at(START + dt.timedelta(days=31))
    # The refused registration ended a day before the lines' service did: it goes first, alone.
    record = purge_at(CANCELLED + dt.timedelta(days=730) - dt.timedelta(minutes=1))
    assert record is not None
    assert record.counts == {"registrations": 1}
    assert not Registration.objects.filter(pk=history.refused.pk).exists()
    assert Line.objects.count() == 3
    assert Registration.objects.count() == 3
    assert purge_at(START + dt.timedelta(days=730) - dt.timedelta(minutes=1)) is None


def test_two_years_after_cancellation_the_registration_data_is_gone_and_the_evidence_stays(
    history: History, django_capture_on_commit_callbacks: Any
) -> None:
    purge_at(START + dt.timedelta(days=31))
    documents = [document for registration in (history.a, history.b) for document in history.documents[registration.pk]]
    assert documents, "the counter photo is kept as a document of the registration's case"
    assert all(default_storage.exists(document.storage_name) for document in documents)
    subscriber_a, subscriber_b = history.a.subscriber, history.b.subscriber
    assert subscriber_a is not None
    assert subscriber_b is not None
    identity_b = subscriber_b.identity_id

    moment = CANCELLED + dt.timedelta(days=731)
    # The stored files go once the transaction commits.
    with django_capture_on_commit_callbacks(execute=True):
        record = purge_at(moment)

    assert record is not None
    gone = {history.line_a.pk, history.line_b.pk}  # type: ignore[union-attr]
    assert not Line.objects.filter(pk__in=gone).exists()
    assert not Registration.objects.filter(pk__in=[history.a.pk, history.b.pk, history.refused.pk]).exists()
    assert not RegistrationEvent.objects.filter(line_id__in=gone).exists()
    assert not Document.objects.filter(pk__in=[document.pk for document in documents]).exists()
    assert not any(default_storage.exists(document.storage_name) for document in documents)
    # Person 1 held only line B: gone with it, blind index included. Person 0 still holds line C.
    assert not Subscriber.objects.filter(pk=subscriber_b.pk).exists()
    assert not SubscriberIdentity.objects.filter(pk=identity_b).exists()
    assert Subscriber.objects.filter(pk=subscriber_a.pk).exists()
    assert Line.objects.filter(pk=history.line_c.pk).exists()  # type: ignore[union-attr]
    assert Registration.objects.filter(pk=history.c.pk).exists()
    assert Document.objects.filter(case=history.c.case).count() == len(history.documents[history.c.pk])
    # The cases' histories stay (they hold no personal data).
    assert Case.objects.filter(pk__in=[history.a.case_id, history.b.case_id]).count() == 2

    assert record.counts["lines"] == 2
    assert record.counts["registrations"] == 3
    assert record.counts["registration_events"] == 2
    assert record.counts["card_readings"] == 2
    assert record.counts["documents"] == len(documents)
    assert record.counts["subscribers"] == 1
    assert record.counts["identities"] == 1
    assert record.ranges["lines"] == {
        "first_id": min(gone),
        "last_id": max(gone),
        "earliest": CANCELLED.date().isoformat(),
        "latest": CANCELLED.date().isoformat(),
    }
    assert record.retention_days == 730
    assert record.rule_version.startswith("realname.retention/1")
    assert record.cutoff == moment - dt.timedelta(days=730)
    evidence = json.dumps([record.counts, record.ranges], ensure_ascii=False)
    for serial in (60, 61, 63):
        assert mobile_number(serial) not in evidence
    event = AuditEvent.objects.get(action="retention.purge", object_id=str(record.pk))
    assert event.changes["counts"] == record.counts

    assert purge_at(moment + dt.timedelta(hours=1)) is None


def test_the_retention_period_is_configurable(history: History, settings: Settings) -> None:
    settings.REGDESK_RETENTION_LINE_REGISTRATION_DAYS = 10
    assert purge_candidates(CANCELLED + dt.timedelta(days=9)).lines == 0
    assert purge_candidates(CANCELLED + dt.timedelta(days=11)).lines == 2
    record = purge_at(CANCELLED + dt.timedelta(days=11))
    assert record is not None
    assert record.retention_days == 10
    assert record.counts["lines"] == 2


def test_a_line_other_records_refer_to_is_erased_not_deleted(history: History) -> None:
    line = history.line_b
    assert line is not None
    # A refund kept for the accounts, and the record of the line in the earlier system.
    billing = LineBillingEvent.objects.create(
        line=line, kind="refund", amount_fen=1234, idempotency_key="refund-1", occurred_at=CANCELLED
    )
    imported = LineRecord.objects.create(
        line=line, holder_kind="individual", name="张三", address="北京市", group="temporary_account",
        classified_at=START,
    )  # fmt: skip
    record = purge_at(CANCELLED + dt.timedelta(days=731))
    assert record is not None
    assert record.counts["lines"] == 1
    assert record.counts["lines_erased"] == 1
    assert record.counts["erased:subscribers.linerecord"] == 1
    line.refresh_from_db()
    assert line.number.reveal() == ""
    assert line.subscriber_id is None
    assert line.status == "cancelled"
    imported.refresh_from_db()
    assert (imported.name, imported.address, imported.document_number) == (None, None, None)
    billing.refresh_from_db()
    assert billing.amount_fen == 1234
    assert not Registration.objects.filter(pk=history.b.pk).exists()
    # Erased once: the next run leaves it alone.
    assert purge_at(CANCELLED + dt.timedelta(days=732)) is None


def test_a_line_with_a_registration_still_open_waits(world: World, history: History) -> None:
    assert history.line_c is not None
    with time_machine.travel(START + dt.timedelta(days=2), tick=False):
        registration_start(
            actor=world.clerk, outlet=world.outlet, kind="transfer", line=LineRequest(target_line=history.line_c)
        )
        line_status_change(actor=None, line=history.line_c, status="cancelled", reason="holder left")
    record = purge_at(CANCELLED + dt.timedelta(days=735))
    assert record is not None
    assert record.skipped == 1
    assert Line.objects.filter(pk=history.line_c.pk).exists()


def test_the_task_purges_in_batches_until_nothing_is_left(history: History) -> None:
    with time_machine.travel(CANCELLED + dt.timedelta(days=731), tick=False):
        totals = purge_all(limit=1)
    assert totals["lines"] == 2
    assert PurgeRecord.objects.count() >= 2
    assert not Line.objects.filter(status="cancelled").exists()


def test_the_task_runs_through_the_queue(history: History) -> None:
    with time_machine.travel(CANCELLED + dt.timedelta(days=731), tick=False):
        result = purge_expired_registrations.enqueue()
    assert result.return_value is not None
    assert result.return_value["lines"] == 2
