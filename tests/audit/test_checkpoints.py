"""Signed checkpoints: what someone with write access to the database does to the trail, and how verify names it.

The attacker here holds the database but not the checkpoint key: every tampering goes through raw SQL, as it would
from a database console, and moves the chain head row along so that the chain alone looks whole. On PostgreSQL the
attacker is a superuser, whom the append-only triggers do not stop (``session_replication_role``): the checkpoints
must.
"""

from __future__ import annotations

import base64
import io
import os
import stat
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.test import override_settings
from django.utils import timezone, translation

from regdesk.audit import keys
from regdesk.audit.hashing import GENESIS_HASH, event_hash
from regdesk.audit.models import AuditCheckpoint, AuditEvent, AuditImmutableError
from regdesk.audit.services import audit_record
from regdesk.audit.verification import Breach, VerificationResult, verify_chain
from tests.audit.tamper import as_database_superuser

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _tamper_past_the_triggers() -> None:
    as_database_superuser()


def record(number: int) -> AuditEvent:
    with transaction.atomic():
        return audit_record(actor=None, action="thing.touch", object_type="thing", object_id=number)


def run_verify(language: str = "en") -> str:
    out = io.StringIO()
    with translation.override(language):
        call_command("audit", "verify", stdout=out)
    return out.getvalue()


def refused_verify(language: str = "en") -> str:
    """The message of a verification that finds a break (exit code 1)."""
    with pytest.raises(CommandError) as raised:
        run_verify(language)
    assert raised.value.returncode == 1
    return str(raised.value)


def sql(statement: str, parameters: list[int | str] | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, parameters or [])


def move_head(sequence: int, hash_: str) -> None:
    sql("UPDATE audit_auditchainhead SET last_sequence = %s, last_hash = %s WHERE id = 1", [sequence, hash_])


def recompute_from(sequence: int) -> None:
    """Rehash every event from ``sequence`` on with SHA-256, as an attacker who edited an event would."""
    previous = AuditEvent.objects.get(sequence=sequence - 1).hash if sequence > 1 else GENESIS_HASH
    for event in AuditEvent.objects.filter(sequence__gte=sequence).order_by("sequence"):
        event.previous_hash = previous
        new_hash = event_hash(event.chained_fields())
        sql(
            "UPDATE audit_auditevent SET previous_hash = %s, hash = %s WHERE sequence = %s",
            [previous, new_hash, event.sequence],
        )
        previous = new_hash
    move_head(AuditEvent.objects.order_by("-sequence").values_list("sequence", flat=True)[0], previous)


# --- checkpoints are signed --------------------------------------------------------------------------------------


def test_verify_signs_a_checkpoint_of_what_it_verified() -> None:
    for number in range(3):
        record(number)
    output = run_verify()
    assert "Checkpoint 1 signed: 3 events." in output
    checkpoint = AuditCheckpoint.objects.get()
    last = AuditEvent.objects.get(sequence=3)
    assert (checkpoint.number, checkpoint.event_count, checkpoint.head_sequence) == (1, 3, 3)
    assert (checkpoint.head_hash, checkpoint.head_occurred_at, checkpoint.actor_name) == (
        last.hash,
        last.occurred_at,
        "system",
    )
    assert keys.signature_matches(checkpoint.signed_fields(), checkpoint.signature, keys.load_checkpoint_key())
    record(4)
    assert "consistent with checkpoint 1" in run_verify()
    assert list(AuditCheckpoint.objects.values_list("number", "event_count")) == [(1, 3), (2, 4)]


def test_verify_of_an_empty_trail_signs_an_empty_checkpoint() -> None:
    run_verify()
    checkpoint = AuditCheckpoint.objects.get()
    assert (checkpoint.event_count, checkpoint.head_hash, checkpoint.head_occurred_at) == (0, GENESIS_HASH, None)
    assert verify_chain().intact


def test_a_broken_trail_gets_no_checkpoint() -> None:
    record(1)
    sql("UPDATE audit_auditevent SET object_id = 'forged' WHERE sequence = 1")
    refused_verify()
    assert not AuditCheckpoint.objects.exists()


def test_orm_cannot_update_or_delete_checkpoints() -> None:
    run_verify()
    checkpoint = AuditCheckpoint.objects.get()
    checkpoint.event_count = 99
    with pytest.raises(AuditImmutableError):
        checkpoint.save()
    with pytest.raises(AuditImmutableError):
        checkpoint.delete()
    with pytest.raises(AuditImmutableError):
        AuditCheckpoint.objects.update(event_count=99)
    with pytest.raises(AuditImmutableError):
        AuditCheckpoint.objects.all().delete()
    assert AuditCheckpoint.objects.get().event_count == 0


# --- what an attacker with the database does ---------------------------------------------------------------------


def test_truncated_tail_with_the_head_moved_back_is_named() -> None:
    events = [record(number) for number in range(5)]
    run_verify()
    sql("DELETE FROM audit_auditevent WHERE sequence > 3")
    move_head(3, events[2].hash)
    result = verify_chain()
    assert (result.breach, result.count, result.checkpoint, result.recorded) == (Breach.TRUNCATED, 3, 1, 5)
    message = refused_verify()
    assert "The chain ends at event 3 but checkpoint 1" in message
    assert "recorded 5 events: the last events were deleted" in message
    assert "已被删除" in refused_verify("zh-hans")
    assert AuditCheckpoint.objects.count() == 1


def test_deleted_chain_head_row_is_named() -> None:
    for number in range(4):
        record(number)
    sql("DELETE FROM audit_auditevent WHERE sequence = 4")
    sql("DELETE FROM audit_auditchainhead")
    result = verify_chain()
    assert (result.breach, result.count) == (Breach.HEAD_MISSING, 3)
    assert "chain head row is missing" in refused_verify()


def test_deleted_chain_head_row_and_tail_after_a_checkpoint_is_a_truncation() -> None:
    for number in range(4):
        record(number)
    run_verify()
    sql("DELETE FROM audit_auditevent WHERE sequence = 4")
    sql("DELETE FROM audit_auditchainhead")
    result = verify_chain()
    assert (result.breach, result.recorded) == (Breach.TRUNCATED, 4)


def test_deleted_whole_trail_is_named() -> None:
    for number in range(3):
        record(number)
    run_verify()
    sql("DELETE FROM audit_auditevent")
    sql("DELETE FROM audit_auditchainhead")
    result = verify_chain()
    assert (result.breach, result.count, result.recorded) == (Breach.TRAIL_DELETED, 0, 3)
    assert "the whole trail was deleted" in refused_verify()
    assert "整个审计日志已被删除" in refused_verify("zh-hans")


def test_deleted_whole_trail_with_the_head_left_is_named() -> None:
    for number in range(3):
        record(number)
    sql("DELETE FROM audit_auditevent")
    result = verify_chain()
    assert (result.breach, result.recorded) == (Breach.TRAIL_DELETED, 3)


def test_recomputed_chain_is_named() -> None:
    for number in range(5):
        record(number)
    run_verify()
    sql("UPDATE audit_auditevent SET object_id = 'forged' WHERE sequence = 2")
    recompute_from(2)
    result = verify_chain()
    assert (result.breach, result.sequence, result.checkpoint) == (Breach.RECOMPUTED, 5, 1)
    message = refused_verify()
    assert "Event 5 no longer has the hash that checkpoint 1" in message
    assert "recomputed" in message
    assert "重新计算" in refused_verify("zh-hans")


def test_recomputed_chain_with_its_first_events_deleted_is_named() -> None:
    for number in range(4):
        record(number)
    run_verify()
    sql("DELETE FROM audit_auditevent WHERE sequence = 1")
    sql("UPDATE audit_auditevent SET sequence = sequence - 1")
    recompute_from(1)
    for number in range(3):
        # The attacker pads the trail back to the recorded count.
        record(10 + number)
    result = verify_chain()
    assert (result.breach, result.sequence) == (Breach.RECOMPUTED, 4)


def test_altered_checkpoint_is_named_forged() -> None:
    for number in range(3):
        record(number)
    run_verify()
    sql("DELETE FROM audit_auditevent WHERE sequence = 3")
    sql("UPDATE audit_auditcheckpoint SET event_count = 2, head_sequence = 2")
    result = verify_chain()
    assert (result.breach, result.checkpoint) == (Breach.CHECKPOINT_FORGED, 1)
    assert "Checkpoint 1 does not carry a valid signature" in refused_verify()
    assert "签名" in refused_verify("zh-hans")


def test_checkpoint_signed_with_another_key_is_named_forged() -> None:
    last = record(1)
    run_verify()
    forged = AuditCheckpoint(
        number=2,
        created_at=timezone.now(),
        actor_name="system",
        event_count=1,
        head_sequence=1,
        head_hash=last.hash,
        head_occurred_at=last.occurred_at,
    )
    forged.signature = keys.sign(forged.signed_fields(), os.urandom(32))
    forged.save()
    assert (verify_chain().breach, verify_chain().checkpoint) == (Breach.CHECKPOINT_FORGED, 2)


def test_deleted_checkpoint_leaves_a_gap() -> None:
    record(1)
    run_verify()
    run_verify()
    run_verify()
    sql("DELETE FROM audit_auditcheckpoint WHERE number = 2")
    result = verify_chain()
    assert (result.breach, result.expected_sequence, result.checkpoint) == (Breach.CHECKPOINT_MISSING, 2, 3)
    assert "expected checkpoint 2, found 3" in refused_verify()


# --- the key ------------------------------------------------------------------------------------------------------


def test_development_key_is_made_once_for_the_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "keys" / "checkpoint"
    with override_settings(REGDESK_AUDIT_CHECKPOINT_KEY_FILE="", REGDESK_AUDIT_CHECKPOINT_KEY_DEFAULT_PATH=path):
        key = keys.load_checkpoint_key()
        assert keys.load_checkpoint_key() == key
    assert len(key) == keys.KEY_BYTES
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert list(path.parent.iterdir()) == [path]


def test_configured_key_file_must_exist(tmp_path: Path) -> None:
    with override_settings(REGDESK_AUDIT_CHECKPOINT_KEY_FILE=str(tmp_path / "missing")):
        with pytest.raises(keys.CheckpointKeyError, match="does not exist"):
            keys.load_checkpoint_key()
        with pytest.raises(CommandError) as raised:
            run_verify()
    assert raised.value.returncode == 2
    assert not (tmp_path / "missing").exists()


def test_production_needs_a_configured_key_readable_by_its_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "checkpoint-key"
    path.write_text(base64.b64encode(os.urandom(32)).decode("ascii"), encoding="ascii")
    path.chmod(0o640)
    with (
        override_settings(PRODUCTION=True, REGDESK_AUDIT_CHECKPOINT_KEY_FILE=""),
        pytest.raises(keys.CheckpointKeyError, match="required in production"),
    ):
        keys.load_checkpoint_key()
    with override_settings(PRODUCTION=True, REGDESK_AUDIT_CHECKPOINT_KEY_FILE=str(path)):
        with pytest.raises(keys.CheckpointKeyError, match="chmod 600"):
            keys.load_checkpoint_key()
        path.chmod(0o600)
        assert len(keys.load_checkpoint_key()) == keys.KEY_BYTES


@pytest.mark.parametrize("content", ["", "not base64!", base64.b64encode(b"short").decode("ascii")])
def test_malformed_key_file_is_refused_without_showing_it(tmp_path: Path, content: str) -> None:
    path = tmp_path / "checkpoint-key"
    path.write_text(content, encoding="ascii")
    with (
        override_settings(REGDESK_AUDIT_CHECKPOINT_KEY_FILE=str(path)),
        pytest.raises(keys.CheckpointKeyError) as raised,
    ):
        keys.load_checkpoint_key()
    assert not content or content not in str(raised.value)


@pytest.mark.parametrize("breach", [None, *Breach])
def test_every_finding_reads_in_chinese(breach: Breach | None) -> None:
    # These three are always found against a checkpoint.
    against_checkpoint_only = {Breach.RECOMPUTED, Breach.CHECKPOINT_FORGED, Breach.CHECKPOINT_MISSING}
    for checkpoint in (1,) if breach in against_checkpoint_only else (None, 1):
        result = VerificationResult(
            count=2,
            breach=breach,
            sequence=3,
            expected_sequence=2,
            checkpoint=checkpoint,
            checkpoint_at=timezone.now(),
            recorded=4,
        )
        with translation.override("zh-hans"):
            chinese = result.explanation()
        with translation.override("en"):
            english = result.explanation()
        assert chinese != english
        assert any("\u4e00" <= character <= "\u9fff" for character in chinese)
