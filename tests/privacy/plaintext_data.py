"""Test data for the proof that no ID number or phone number is stored in plain text.

Used in-process (PostgreSQL) and by ``plaintext_script`` in a subprocess (a file-based SQLite database).
"""

from __future__ import annotations

from regdesk.accounts.models import Membership, OrgUnit, User
from regdesk.accounts.roles import Role, UnitKind
from regdesk.privacy.fields import blind_lookup
from regdesk.privacy.services import contact_point_add, personal_value_reveal
from tests.privacy.proof_models import ProofRecord

ID_NUMBERS = ["11010519491231002X", "440305199001011237", "310101198512120019"]
PHONES = ["13812345678", "15987654321", "18600001111"]
EMAILS = ["zhangsan.proof@example.com"]
NAMES = ["张小三", "李四", "欧阳小明"]
# Stored unencrypted on purpose: finding it proves that the scan reads the stored data at all.
CANARY = "CANARY-PLAINTEXT-7f3a9c"


def secrets() -> list[str]:
    """Every personal value of the test data, in the forms a careless store would hold."""
    values = [*ID_NUMBERS, *PHONES, *EMAILS, *NAMES]
    values += [number.lower() for number in ID_NUMBERS if number.endswith("X")]
    values += [f"{phone[:3]} {phone[3:7]} {phone[7:]}" for phone in PHONES]
    return values


def populate() -> dict[str, int]:
    """Records and contact points through the vault, a reveal and its audit event; returns counts."""
    unit, _created = OrgUnit.objects.get_or_create(code="proof", defaults={"name": "proof", "kind": UnitKind.OUTLET})
    clerk = User.objects.create_user(username="proof-clerk")
    Membership.objects.create(user=clerk, unit=unit, role=Role.COUNTER_CLERK)
    owner = User.objects.create_user(username="proof-owner")
    for id_number, phone, name in zip(ID_NUMBERS, PHONES, NAMES, strict=True):
        ProofRecord.objects.create(id_number=id_number, phone=phone, name=name, note=CANARY)
        contact_point_add(actor=clerk, kind="phone", value=phone, user=owner)
    for email in EMAILS:
        contact_point_add(actor=clerk, kind="email", value=email, user=owner)
    record = blind_lookup(ProofRecord.objects.all(), "id_number", ID_NUMBERS[0]).get()
    revealed = personal_value_reveal(actor=clerk, obj=record, field_name="id_number", purpose="on-site verification")
    assert revealed == ID_NUMBERS[0]  # a broken vault must not pass the proof
    return {"records": ProofRecord.objects.count(), "contacts": len(PHONES) + len(EMAILS)}
