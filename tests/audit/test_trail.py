"""The hash chain: appending, immutability through the ORM, verification after tampering with raw SQL."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.utils import translation

from regdesk.audit.hashing import GENESIS_HASH, event_hash
from regdesk.audit.models import AuditChainHead, AuditEvent, AuditImmutableError
from regdesk.audit.services import AuditOutsideTransactionError, audit_record
from regdesk.audit.verification import Breach, verify_chain
from tests.audit.people import person, unit
from tests.audit.tamper import as_database_superuser

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _tamper_past_the_triggers() -> None:
    as_database_superuser()


def record(number: int, **changes: object) -> AuditEvent:
    with transaction.atomic():
        return audit_record(
            actor=None, action="thing.touch", object_type="thing", object_id=number, changes=changes or {"n": number}
        )


def run_verify(language: str = "en") -> str:
    out = io.StringIO()
    with translation.override(language):
        call_command("audit", "verify", stdout=out)
    return out.getvalue()


def test_events_form_a_chain() -> None:
    first, second = record(1), record(2)
    assert (first.sequence, second.sequence) == (1, 2)
    assert first.previous_hash == GENESIS_HASH
    assert second.previous_hash == first.hash
    head = AuditChainHead.objects.get(id=1)
    assert (head.last_sequence, head.last_hash) == (2, second.hash)
    stored = AuditEvent.objects.get(sequence=2)
    assert event_hash(stored.chained_fields()) == stored.hash


def test_actor_role_unit_and_purpose_are_recorded() -> None:
    clerk = person("clerk", "counter_clerk")
    with transaction.atomic():
        event = audit_record(
            actor=clerk,
            action="line.register",
            object_type="line",
            object_id=7,
            role="counter_clerk",
            unit=unit(),
            purpose="counter registration",
        )
    stored = AuditEvent.objects.get(pk=event.pk)
    assert (stored.actor_id, stored.actor_name, stored.role, stored.unit_code) == (
        clerk.pk,
        "clerk",
        "counter_clerk",
        "hq",
    )
    assert stored.purpose == "counter registration"


def test_values_that_change_in_the_json_round_trip_still_verify() -> None:
    record(1, amount=Decimal("1.50"), ratio=1e20, text="a\x00b", nested={1: [1.5, "x"]})
    assert verify_chain().intact


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_is_refused() -> None:
    with pytest.raises(AuditOutsideTransactionError):
        audit_record(actor=None, action="thing.touch", object_type="thing", object_id=1)
    assert not AuditEvent.objects.exists()


def test_rolled_back_change_leaves_no_event() -> None:
    record(1)

    def failing_change() -> None:
        with transaction.atomic():
            audit_record(actor=None, action="thing.touch", object_type="thing", object_id=2)
            raise RuntimeError

    with pytest.raises(RuntimeError):
        failing_change()
    record(3)
    assert list(AuditEvent.objects.values_list("sequence", flat=True)) == [1, 2]
    assert verify_chain().intact


def test_orm_cannot_update_or_delete_events() -> None:
    event = record(1)
    event.action = "thing.forged"
    with pytest.raises(AuditImmutableError):
        event.save()
    with pytest.raises(AuditImmutableError):
        event.delete()
    with pytest.raises(AuditImmutableError):
        AuditEvent.objects.filter(pk=event.pk).update(action="thing.forged")
    with pytest.raises(AuditImmutableError):
        AuditEvent.objects.all().delete()
    with pytest.raises(AuditImmutableError):
        AuditEvent.objects.bulk_update([event], ["action"])
    with pytest.raises(AuditImmutableError):
        AuditEvent._base_manager.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).action == "thing.touch"
    assert verify_chain().intact


def test_verify_intact_prints_the_count() -> None:
    for number in range(5):
        record(number)
    assert "5" in run_verify()


def test_verify_empty_trail_is_intact() -> None:
    assert verify_chain().count == 0
    assert "0" in run_verify()


def test_raw_sql_edit_is_found_at_that_sequence() -> None:
    for number in range(5):
        record(number)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET object_id = %s WHERE sequence = %s", ["999", 3])
    result = verify_chain()
    assert (result.breach, result.sequence, result.count) == (Breach.EDITED, 3, 2)
    with pytest.raises(CommandError) as raised:
        run_verify()
    assert raised.value.returncode == 1
    assert "3" in str(raised.value)
    assert "edited" in str(raised.value)


def test_raw_sql_edit_with_recomputed_hash_is_found_at_the_next_event() -> None:
    for number in range(5):
        record(number)
    forged = AuditEvent.objects.get(sequence=3)
    forged.object_id = "999"
    new_hash = event_hash(forged.chained_fields())
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET object_id = %s, hash = %s WHERE sequence = %s", ["999", new_hash, 3]
        )
    result = verify_chain()
    assert (result.breach, result.sequence) == (Breach.PREVIOUS_HASH, 4)


def test_raw_sql_delete_is_found_as_a_gap() -> None:
    for number in range(6):
        record(number)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE sequence IN (3, 4)")
    result = verify_chain()
    assert (result.breach, result.expected_sequence, result.sequence) == (Breach.GAP, 3, 5)
    with pytest.raises(CommandError) as raised:
        run_verify()
    assert raised.value.returncode == 1
    message = str(raised.value)
    assert "expected event 3, found 5" in message
    assert "deleted" in message
    with pytest.raises(CommandError) as raised:
        run_verify("zh-hans")
    assert "已被删除" in str(raised.value)


def test_raw_sql_delete_and_renumber_is_found_by_the_previous_hash() -> None:
    for number in range(4):
        record(number)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE sequence = 2")
        cursor.execute("UPDATE audit_auditevent SET sequence = sequence - 1 WHERE sequence > 2")
    result = verify_chain()
    # Renumbering changes the hashed fields too, but the broken link to the event before is found first.
    assert (result.breach, result.sequence) == (Breach.PREVIOUS_HASH, 2)


def test_raw_sql_delete_of_the_last_events_is_found_through_the_head() -> None:
    for number in range(4):
        record(number)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE sequence = 4")
    result = verify_chain()
    assert (result.breach, result.sequence) == (Breach.TRUNCATED, 4)
    with translation.override("en"):
        assert "deleted" in result.explanation()


def test_raw_sql_insert_at_the_end_is_found_through_the_head() -> None:
    last = record(1)
    forged = AuditEvent(
        sequence=2,
        occurred_at=last.occurred_at,
        actor_name="system",
        action="thing.forged",
        object_type="thing",
        object_id="1",
        changes={},
        previous_hash=last.hash,
    )
    forged.hash = event_hash(forged.chained_fields())
    forged.save()  # an insert past audit_record: the head row is not moved
    result = verify_chain()
    assert (result.breach, result.sequence) == (Breach.HEAD, 2)


def test_verify_usage_error_exits_2() -> None:
    with pytest.raises(CommandError) as raised:
        call_command("audit")
    assert raised.value.returncode == 2
