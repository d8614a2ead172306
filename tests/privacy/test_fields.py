"""Encrypted model fields, masked values and blind indexes."""

from __future__ import annotations

import pickle
from typing import Any

import pytest
from django.core import checks, serializers
from django.core.exceptions import FieldError
from django.db import connection, models

from regdesk.privacy import crypto
from regdesk.privacy.fields import (
    SERIALISED_PREFIX,
    BlindIndexField,
    EncryptedTextField,
    PersonalValue,
    blind_index_field,
    blind_lookup,
)
from regdesk.privacy.models import ContactPoint
from tests.audit.people import person
from tests.privacy.proof_models import ProofRecord

ID_NUMBER = "11010519491231002X"
PHONE = "13812345678"


def raw_column(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608 - names are constants
        row = cursor.fetchone()
    assert row is not None
    return str(row[0])


def test_assigned_text_is_wrapped_and_prints_masked() -> None:
    record = ProofRecord(id_number=ID_NUMBER, phone=PHONE, name="张小三")
    assert isinstance(record.id_number, PersonalValue)
    assert str(record.id_number) == "1101**********002X"
    assert f"{record.phone}" == "138****5678"
    assert ID_NUMBER not in repr(record.id_number)
    assert repr(record.phone) == "<PersonalValue proof.phone 138****5678>"
    assert str(record.name) == "张*三"
    assert record.id_number.reveal() == ID_NUMBER
    record.phone = None
    assert record.phone is None


def test_stored_as_ciphertext_and_read_back(proof_table: type[ProofRecord]) -> None:
    record = ProofRecord.objects.create(id_number=ID_NUMBER, phone=PHONE)
    stored = raw_column("privacy_proof_record", "id_number", record.pk)
    assert ID_NUMBER not in stored
    assert crypto.decrypt_text(stored, associated_data=b"proof.id_number") == ID_NUMBER
    loaded = ProofRecord.objects.get(pk=record.pk)
    assert isinstance(loaded.id_number, PersonalValue)
    assert not loaded.id_number.is_fresh
    assert loaded.id_number.reveal() == ID_NUMBER
    assert str(loaded.phone) == "138****5678"


def test_ciphertext_moved_to_another_field_does_not_open(proof_table: type[ProofRecord]) -> None:
    record = ProofRecord.objects.create(id_number=ID_NUMBER, phone=PHONE)
    stored_id = raw_column("privacy_proof_record", "id_number", record.pk)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE privacy_proof_record SET phone = %s WHERE id = %s", [stored_id, record.pk])
    loaded = ProofRecord.objects.get(pk=record.pk)
    assert loaded.phone is not None
    with pytest.raises(crypto.DecryptionError):
        loaded.phone.reveal()


def test_value_copied_between_fields_is_sealed_again(proof_table: type[ProofRecord]) -> None:
    source = ProofRecord.objects.create(phone=PHONE)
    loaded = ProofRecord.objects.get(pk=source.pk)
    target = ProofRecord(name=loaded.phone)
    assert target.name is not None
    assert target.name.key == "proof.name"
    target.save()
    assert ProofRecord.objects.get(pk=target.pk).name.reveal() == PHONE  # type: ignore[union-attr]


def test_blind_index_is_kept_and_looked_up(proof_table: type[ProofRecord]) -> None:
    record = ProofRecord.objects.create(id_number=ID_NUMBER, phone=PHONE)
    ProofRecord.objects.create(id_number="440305199001011234", phone="13900000000")
    assert record.id_number_index == crypto.blind_index(ID_NUMBER, domain="id_number")
    assert list(blind_lookup(ProofRecord.objects.all(), "id_number", " 11010519491231002x ")) == [record]
    assert list(blind_lookup(ProofRecord.objects.all(), "phone", PHONE)) == [record]
    assert not blind_lookup(ProofRecord.objects.all(), "phone", "13800000000").exists()


def test_blind_index_follows_changes_and_clears(proof_table: type[ProofRecord]) -> None:
    record = ProofRecord.objects.create(phone=PHONE)
    loaded = ProofRecord.objects.get(pk=record.pk)
    loaded.note = "unrelated change"
    loaded.save()
    assert ProofRecord.objects.get(pk=record.pk).phone_index == crypto.blind_index(PHONE, domain="phone")
    loaded.phone = "13900000000"
    loaded.save()
    assert list(blind_lookup(ProofRecord.objects.all(), "phone", "13900000000")) == [loaded]
    assert not blind_lookup(ProofRecord.objects.all(), "phone", PHONE).exists()
    loaded.phone = None
    loaded.save()
    assert ProofRecord.objects.get(pk=record.pk).phone_index is None


def test_same_number_has_the_same_index_in_every_model(proof_table: type[ProofRecord]) -> None:
    record = ProofRecord.objects.create(phone=PHONE)
    contact = ContactPoint(kind="phone", phone=PHONE, user=person("owner"))
    contact.save()
    assert record.phone_index == contact.phone_index


def test_searching_the_ciphertext_is_refused(proof_table: type[ProofRecord]) -> None:
    with pytest.raises(FieldError):
        list(ProofRecord.objects.filter(phone=PHONE))
    with pytest.raises(FieldError):
        list(ProofRecord.objects.filter(phone__icontains="138"))
    ProofRecord.objects.create(phone=PHONE)
    assert ProofRecord.objects.filter(phone__isnull=False).count() == 1
    assert ProofRecord.objects.filter(id_number=None).count() == 1


def test_pickling_keeps_only_the_ciphertext() -> None:
    value = PersonalValue.from_plain("proof.phone", PHONE)
    data = pickle.dumps(value)
    assert PHONE.encode() not in data
    restored = pickle.loads(data)  # noqa: S301 - our own bytes
    assert restored.reveal() == PHONE
    assert restored.key == "proof.phone"


def test_serialised_form_is_the_ciphertext(proof_table: type[ProofRecord]) -> None:
    record = ProofRecord.objects.create(phone=PHONE)
    text = serializers.serialize("json", [ProofRecord.objects.get(pk=record.pk)])
    assert PHONE not in text
    assert SERIALISED_PREFIX in text
    field = ProofRecord._meta.get_field("phone")
    assert isinstance(field, EncryptedTextField)
    token = field.value_to_string(record)
    restored = field.to_python(token)
    assert isinstance(restored, PersonalValue)
    assert restored.reveal() == PHONE


def test_deconstruct_round_trip() -> None:
    field: EncryptedTextField[Any, Any] = EncryptedTextField(personal_field="proof.phone", null=True)
    _name, path, args, kwargs = field.deconstruct()
    assert path == "regdesk.privacy.fields.EncryptedTextField"
    assert kwargs == {"personal_field": "proof.phone", "null": True}
    assert EncryptedTextField(*args, **kwargs).personal_field == "proof.phone"
    editable: EncryptedTextField[Any, Any] = EncryptedTextField(personal_field="proof.phone", editable=True)
    assert editable.deconstruct()[3]["editable"] is True

    index: BlindIndexField[Any, Any] = BlindIndexField(source="phone", domain="phone")
    _name, path, args, kwargs = index.deconstruct()
    assert path == "regdesk.privacy.fields.BlindIndexField"
    assert kwargs == {"source": "phone", "domain": "phone", "db_index": True}
    rebuilt: BlindIndexField[Any, Any] = BlindIndexField(*args, **kwargs)
    assert (rebuilt.max_length, rebuilt.null, rebuilt.editable) == (64, True, False)


def test_fields_stay_out_of_model_forms() -> None:
    from django.forms import modelform_factory

    form_class = modelform_factory(ContactPoint, fields="__all__")
    assert "phone" not in form_class.base_fields
    assert "phone_index" not in form_class.base_fields


def test_checks_report_undeclared_keys_and_bad_sources() -> None:
    from django.apps.registry import Apps

    class Broken(models.Model):
        secret = EncryptedTextField(personal_field="nowhere.declared")
        unique_secret = EncryptedTextField(personal_field="proof.phone", unique=True)
        index = BlindIndexField(source="missing")

        class Meta:
            app_label = "privacy_broken"
            apps = Apps([])

        def __str__(self) -> str:
            return "broken"

    ids = {message.id for field in Broken._meta.local_fields for message in field.check()}
    assert {"privacy.E001", "privacy.E002", "privacy.E003"} <= ids
    assert all(isinstance(message, checks.CheckMessage) for message in Broken._meta.get_field("secret").check())


def test_project_models_pass_the_checks() -> None:
    for field in ContactPoint._meta.local_fields:
        assert field.check() == []
    assert blind_index_field(ContactPoint, "phone").name == "phone_index"
    with pytest.raises(LookupError):
        blind_index_field(ContactPoint, "kind")


@pytest.fixture(autouse=True)
def _database(db: None) -> None:
    """Every test here may touch the database (the vault's key ring is per test run)."""
