"""Key rotation: a new active key, every value resealed with it, counts in the audit trail and in the status."""

from __future__ import annotations

import io
import json
import stat
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from regdesk.audit.models import AuditEvent
from regdesk.audit.verification import verify_chain
from regdesk.privacy import crypto, keys, rotation
from regdesk.privacy.models import ContactPoint
from regdesk.privacy.selectors import contact_points_matching
from regdesk.privacy.services import contact_point_add, vault_reencrypt, vault_rotate
from tests.audit.people import person

pytestmark = pytest.mark.django_db

PHONES = [f"1381234{number:04d}" for number in range(7)]


@pytest.fixture
def contacts(ring_file: Path) -> list[ContactPoint]:
    owner = person("owner")
    made = [contact_point_add(actor=None, kind="phone", value=phone, user=owner) for phone in PHONES]
    made.append(contact_point_add(actor=None, kind="email", value="zhangsan@example.com", user=owner))
    return made


def key_ids() -> list[str]:
    found = []
    for contact in ContactPoint.objects.order_by("pk"):
        value = contact.phone or contact.email
        assert value is not None
        found.append(value.key_id())
    return found


def test_rotate_reseals_everything_under_the_new_key(ring_file: Path, contacts: list[ContactPoint]) -> None:
    assert set(key_ids()) == {"k1"}
    indexes_before = list(ContactPoint.objects.order_by("pk").values_list("phone_index", "email_index"))
    lines: list[str] = []
    result = vault_rotate(actor=None, batch_size=3, progress=lines.append)
    assert (result.previous_key_id, result.new_key_id) == ("k1", "k2")
    assert (result.report.checked, result.report.resealed) == (8, 8)
    assert set(key_ids()) == {"k2"}
    assert [contact.phone.reveal() for contact in ContactPoint.objects.filter(kind="phone").order_by("pk")] == PHONES  # type: ignore[union-attr]
    # The index key does not rotate: look-ups keep working without recomputing anything.
    assert list(ContactPoint.objects.order_by("pk").values_list("phone_index", "email_index")) == indexes_before
    assert contact_points_matching("phone", PHONES[3]).count() == 1
    assert len(lines) == 3
    assert lines[-1].startswith("privacy.ContactPoint: 8/8 rows")

    ring = json.loads(ring_file.read_text())
    assert ring["active"] == "k2"
    assert set(ring["keys"]) == {"k1", "k2"}
    assert stat.S_IMODE(ring_file.stat().st_mode) == 0o600

    added = AuditEvent.objects.get(action="vault.key_add")
    assert added.changes == {"previous_active": "k1", "active": "k2", "keys": 2}
    resealed = AuditEvent.objects.get(action="vault.reencrypt")
    assert resealed.changes["resealed"] == 8
    assert resealed.changes["columns"]["privacy.ContactPoint.phone"] == 7
    assert not any(phone in str(resealed.changes) for phone in PHONES)
    assert verify_chain().intact


def test_reencrypt_leaves_values_already_under_the_active_key(contacts: list[ContactPoint]) -> None:
    report = vault_reencrypt(actor=None)
    assert (report.checked, report.resealed) == (8, 0)


def test_a_rotation_cut_short_is_finished_by_reencrypt(ring_file: Path, contacts: list[ContactPoint]) -> None:
    keys.write_key_ring(keys.load_key_ring().with_new_key("k2"), ring_file)  # as if it stopped after the key
    assert set(key_ids()) == {"k1"}
    out = io.StringIO()
    call_command("vault", "reencrypt", "--batch-size", "5", stdout=out)
    assert set(key_ids()) == {"k2"}
    assert "8 of 8 values resealed" in out.getvalue()


def test_named_key_and_bad_key_ids(ring_file: Path, contacts: list[ContactPoint]) -> None:
    vault_rotate(actor=None, new_key_id="2027-a")
    assert set(key_ids()) == {"2027-a"}
    for bad in ["2027-a", "k1", "has space", "x" * 40]:
        with pytest.raises(ValidationError) as raised:
            vault_rotate(actor=None, new_key_id=bad)
        assert "new_key_id" in raised.value.message_dict
    assert keys.load_key_ring().active == "2027-a"
    with pytest.raises(ValidationError):
        vault_reencrypt(actor=None, batch_size=0)


def test_registered_sealed_columns_are_covered(
    ring_file: Path, contacts: list[ContactPoint], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(rotation, "_REGISTERED", {})
    rotation.register_sealed_column("privacy.ContactPoint", "party_type", lambda row: f"party:{row.pk}".encode())
    contact = contacts[0]
    token = crypto.encrypt_text("secret", associated_data=f"party:{contact.pk}".encode())
    ContactPoint.objects.filter(pk=contact.pk).update(party_type=token)
    report = vault_rotate(actor=None).report
    assert report.columns["privacy.ContactPoint.party_type"] == 1
    stored = ContactPoint.objects.get(pk=contact.pk).party_type
    assert crypto.text_key_id(stored) == "k2"
    assert crypto.decrypt_text(stored, associated_data=f"party:{contact.pk}".encode()) == "secret"


def test_status_counts_values_per_key(ring_file: Path, contacts: list[ContactPoint]) -> None:
    out = io.StringIO()
    call_command("vault", "status", stdout=out)
    text = out.getvalue()
    assert "k1 (active): 8 values" in text
    assert "privacy.ContactPoint.phone: k1=7" in text
    call_command("vault", "rotate", "--new-key-id", "k5", "--batch-size", "100", stdout=io.StringIO())
    out = io.StringIO()
    call_command("vault", "status", stdout=out)
    text = out.getvalue()
    assert "k1: 0 values" in text
    assert "k5 (active): 8 values" in text


def test_command_usage_errors_exit_2(ring_file: Path) -> None:
    for arguments in (
        ["vault"],
        ["vault", "rotate", "--new-key-id", "bad id"],
        ["vault", "rotate", "--actor", "nobody"],
    ):
        with pytest.raises(CommandError) as raised:
            call_command(*arguments, stdout=io.StringIO())
        assert raised.value.returncode == 2
    assert keys.load_key_ring().active == "k1"


def test_command_records_the_actor(ring_file: Path, contacts: list[ContactPoint]) -> None:
    operator = person("operator", "administrator")
    call_command("vault", "rotate", "--actor", "operator", stdout=io.StringIO())
    assert AuditEvent.objects.get(action="vault.key_add").actor_id == operator.pk
