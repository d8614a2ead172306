"""On PostgreSQL the database itself refuses to change or delete audit events and checkpoints (migration 0003)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from regdesk.audit.models import AuditChainHead, AuditCheckpoint, AuditEvent
from regdesk.audit.services import audit_record
from regdesk.audit.verification import verify_chain

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

REFUSED_STATEMENTS = [
    "UPDATE audit_auditevent SET object_id = 'forged' WHERE sequence = 1",
    "UPDATE audit_auditevent SET object_id = object_id",
    "DELETE FROM audit_auditevent WHERE sequence = 2",
    "DELETE FROM audit_auditevent",
    "UPDATE audit_auditcheckpoint SET event_count = 1",
    "DELETE FROM audit_auditcheckpoint",
    "DELETE FROM audit_auditchainhead",
]


@pytest.fixture
def trail() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    for number in range(2):
        with transaction.atomic():
            audit_record(actor=None, action="thing.touch", object_type="thing", object_id=number)
    call_command("audit", "verify", stdout=io.StringIO())


@pytest.mark.usefixtures("trail")
@pytest.mark.parametrize("statement", REFUSED_STATEMENTS)
def test_raw_sql_change_is_refused(statement: str) -> None:
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)
    assert AuditEvent.objects.count() == 2
    assert AuditCheckpoint.objects.count() == 1
    assert AuditChainHead.objects.get(id=1).last_sequence == 2
    assert verify_chain().intact


@pytest.mark.usefixtures("trail")
def test_writers_still_append_and_move_the_head() -> None:
    with transaction.atomic():
        audit_record(actor=None, action="thing.touch", object_type="thing", object_id=3)
    call_command("audit", "verify", stdout=io.StringIO())
    assert AuditChainHead.objects.get(id=1).last_sequence == 3
    assert list(AuditCheckpoint.objects.values_list("number", "event_count")) == [(1, 2), (2, 3)]
