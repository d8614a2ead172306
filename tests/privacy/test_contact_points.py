"""Contact points: sealed phone numbers and e-mail addresses with blind indexes, and their audit events."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from regdesk.audit.models import AuditEvent
from regdesk.privacy.models import ContactPoint
from regdesk.privacy.selectors import contact_points_matching
from regdesk.privacy.services import contact_point_add, contact_point_remove, contact_point_verify
from tests.audit.people import person

pytestmark = pytest.mark.django_db


def test_add_phone_seals_indexes_and_audits_the_mask() -> None:
    owner = person("owner")
    contact = contact_point_add(actor=owner, kind="phone", value="138-1234 5678", user=owner)
    stored = ContactPoint.objects.get(pk=contact.pk)
    assert stored.phone is not None
    assert stored.phone.reveal() == "13812345678"
    assert stored.email is None
    assert stored.verified_at is None
    event = AuditEvent.objects.get(action="contact_point.add")
    assert event.changes["value"] == "138****5678"
    assert "13812345678" not in str(event.chained_fields())
    assert list(contact_points_matching("phone", "13812345678")) == [stored]
    assert not contact_points_matching("email", "13812345678").exists()
    assert not contact_points_matching("fax", "13812345678").exists()


def test_add_email_matches_case_insensitively() -> None:
    owner = person("owner")
    contact = contact_point_add(actor=None, kind="email", value=" ZhangSan@Example.COM ", user=owner, verified=True)
    assert contact.verified_at is not None
    assert str(contact.email) == "Z***@example.com"
    assert list(contact_points_matching("email", "zhangsan@example.com")) == [contact]


def test_party_contact_points() -> None:
    contact = contact_point_add(actor=None, kind="phone", value="13812345678", party_type="cases.party", party_id=42)
    assert (contact.user, contact.party_type, contact.party_id) == (None, "cases.party", "42")
    # Parties are not users: the same number may belong to several of them.
    contact_point_add(actor=None, kind="phone", value="13812345678", party_type="cases.party", party_id=43)
    assert contact_points_matching("phone", "13812345678").count() == 2


@pytest.mark.parametrize(
    ("kind", "value", "field"),
    [
        ("phone", "12", "value"),
        ("phone", "138abc45678", "value"),
        ("phone", "", "value"),
        ("email", "not-an-address", "value"),
        ("email", "", "value"),
        ("fax", "13812345678", "kind"),
    ],
)
def test_bad_input_names_the_field_and_changes_nothing(kind: str, value: str, field: str) -> None:
    owner = person("owner")
    with pytest.raises(ValidationError) as raised:
        contact_point_add(actor=owner, kind=kind, value=value, user=owner)
    assert field in raised.value.message_dict
    assert not ContactPoint.objects.exists()
    assert not AuditEvent.objects.exists()


def test_an_owner_is_required() -> None:
    with pytest.raises(ValidationError) as raised:
        contact_point_add(actor=None, kind="phone", value="13812345678")
    assert "user" in raised.value.message_dict


def test_a_user_holds_a_value_once() -> None:
    owner = person("owner")
    contact_point_add(actor=owner, kind="phone", value="13812345678", user=owner)
    with pytest.raises(ValidationError) as raised:
        contact_point_add(actor=owner, kind="phone", value="138 1234 5678", user=owner)
    assert "value" in raised.value.message_dict
    assert ContactPoint.objects.count() == 1
    contact_point_add(actor=None, kind="phone", value="13812345678", user=person("someone else"))


def test_verify_and_remove() -> None:
    owner = person("owner")
    contact = contact_point_add(actor=owner, kind="phone", value="13812345678", user=owner)
    verified = contact_point_verify(actor=owner, contact_point=contact)
    assert verified.verified_at is not None
    contact_point_verify(actor=owner, contact_point=contact)  # once only
    assert AuditEvent.objects.filter(action="contact_point.verify").count() == 1
    contact_point_remove(actor=owner, contact_point=verified)
    assert not ContactPoint.objects.exists()
    removed = AuditEvent.objects.get(action="contact_point.remove")
    assert removed.changes == {"kind": "phone", "value": "138****5678"}


def test_str_shows_the_mask() -> None:
    owner = person("owner")
    contact = contact_point_add(actor=owner, kind="phone", value="13812345678", user=owner)
    assert "138****5678" in str(ContactPoint.objects.get(pk=contact.pk))


def test_model_validation_runs_on_sealed_values() -> None:
    owner = person("owner")
    contact_point_add(actor=owner, kind="phone", value="13812345678", user=owner)
    again = ContactPoint(kind="phone", phone="13812345678", user=owner)
    again.phone_index = ContactPoint._meta.get_field("phone_index").pre_save(again, add=True)
    with pytest.raises(ValidationError) as raised:
        again.full_clean()
    assert "__all__" in raised.value.message_dict
    mixed = ContactPoint(kind="email", phone="13812345678", user=owner)
    with pytest.raises(ValidationError):
        mixed.full_clean()
    ContactPoint(kind="phone", phone="13900000000", user=owner).full_clean()
