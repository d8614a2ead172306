"""Revealing personal data: who may, with which purpose, and the audit trail of every attempt."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from regdesk.accounts.models import User
from regdesk.audit.models import AuditEvent
from regdesk.audit.verification import verify_chain
from regdesk.privacy.errors import RevealNotPermittedError, RevealPurposeError, RevealRefusedError
from regdesk.privacy.models import ContactPoint
from regdesk.privacy.selectors import masked
from regdesk.privacy.services import personal_value_reveal
from tests.audit.people import person
from tests.privacy.proof_models import ProofRecord

pytestmark = pytest.mark.django_db

PHONE = "13812345678"
ID_NUMBER = "11010519491231002X"


@pytest.fixture
def record(proof_table: type[ProofRecord]) -> ProofRecord:
    return ProofRecord.objects.create(id_number=ID_NUMBER, phone=PHONE)


def events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("sequence"))


@pytest.mark.parametrize("role", ["specialist", "counter_clerk", "compliance_officer"])
def test_allowed_roles_reveal_with_a_purpose(record: ProofRecord, role: str) -> None:
    actor = person("reader", role)
    value = personal_value_reveal(actor=actor, obj=record, field_name="id_number", purpose="on-site verification")
    assert value == ID_NUMBER
    [event] = events("personal_data.reveal")
    assert event.actor_id == actor.pk
    assert (event.object_type, event.object_id) == ("privacy_proof.proofrecord", str(record.pk))
    assert event.changes == {"field": "id_number", "personal_field": "proof.id_number"}
    assert event.purpose == "on-site verification"
    assert (event.role, event.unit_code) == (role, "hq")
    assert ID_NUMBER not in str(event.chained_fields())
    assert verify_chain().intact


@pytest.mark.parametrize(
    ("roles", "active"),
    [
        (("administrator",), True),
        (("auditor",), True),
        (("agent",), True),
        (("website_owner",), True),
        (("specialist",), False),
        ((), True),
    ],
)
def test_other_roles_are_refused_and_audited(record: ProofRecord, roles: tuple[str, ...], active: bool) -> None:
    actor = person("other", *roles, active=active)
    with pytest.raises(RevealNotPermittedError) as raised:
        personal_value_reveal(actor=actor, obj=record, field_name="phone", purpose="curiosity, really")
    assert PHONE not in str(raised.value)
    assert not events("personal_data.reveal")
    [refused] = events("personal_data.reveal_refused")
    assert refused.actor_id == actor.pk
    assert refused.changes["reason"] == "reveal_not_permitted"


def test_superuser_administrator_is_refused(record: ProofRecord) -> None:
    root = User.objects.create_superuser("root", password="correct horse battery staple")
    with pytest.raises(RevealRefusedError):
        personal_value_reveal(actor=root, obj=record, field_name="phone", purpose="maintenance work")


def test_anonymous_and_inactive_users_are_refused(record: ProofRecord) -> None:
    with pytest.raises(RevealNotPermittedError):
        personal_value_reveal(actor=AnonymousUser(), obj=record, field_name="phone", purpose="no reason at all")
    clerk = person("clerk", "counter_clerk")
    clerk.is_active = False
    clerk.save()
    with pytest.raises(RevealNotPermittedError):
        personal_value_reveal(actor=clerk, obj=record, field_name="phone", purpose="counter registration")
    assert [event.actor_id for event in events("personal_data.reveal_refused")] == [None, clerk.pk]


@pytest.mark.parametrize("purpose", ["", "   ", "abc", " a  b "])
def test_a_purpose_is_required(record: ProofRecord, purpose: str) -> None:
    clerk = person("clerk", "counter_clerk")
    with pytest.raises(RevealPurposeError) as raised:
        personal_value_reveal(actor=clerk, obj=record, field_name="phone", purpose=purpose)
    assert raised.value.code == "reveal_purpose_required"
    assert "4" in str(raised.value)
    assert not events("personal_data.reveal")
    assert events("personal_data.reveal_refused")[0].changes["reason"] == "reveal_purpose_required"


def test_refusal_message_is_translated(record: ProofRecord) -> None:
    from django.utils import translation

    with translation.override("zh-hans"), pytest.raises(RevealPurposeError) as raised:
        personal_value_reveal(actor=person("clerk", "counter_clerk"), obj=record, field_name="phone", purpose="")
    assert "目的" in str(raised.value)


def test_empty_value_reveals_as_empty(proof_table: type[ProofRecord]) -> None:
    empty = ProofRecord.objects.create()
    clerk = person("clerk", "counter_clerk")
    assert personal_value_reveal(actor=clerk, obj=empty, field_name="phone", purpose="counter registration") == ""


def test_only_encrypted_fields_of_stored_objects(record: ProofRecord) -> None:
    clerk = person("clerk", "counter_clerk")
    with pytest.raises(ValueError, match="not an encrypted"):
        personal_value_reveal(actor=clerk, obj=record, field_name="note", purpose="counter registration")
    with pytest.raises(ValueError, match="not an encrypted"):
        personal_value_reveal(actor=clerk, obj=record, field_name="missing", purpose="counter registration")
    with pytest.raises(ValueError, match="stored"):
        personal_value_reveal(actor=clerk, obj=ProofRecord(phone=PHONE), field_name="phone", purpose="counter work")


def test_masked_selector(record: ProofRecord, proof_table: type[ProofRecord]) -> None:
    assert masked(record, "id_number") == "1101**********002X"
    assert masked(ProofRecord.objects.get(pk=record.pk), "phone") == "138****5678"
    assert masked(ProofRecord.objects.create(), "phone") == ""
    with pytest.raises(TypeError):
        masked(record, "note")
    contact = ContactPoint(kind="email", email="zhangsan@example.com", user=person("owner"))
    assert masked(contact, "email") == "z***@example.com"
