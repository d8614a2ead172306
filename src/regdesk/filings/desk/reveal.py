"""Revealing one personal value of a filing on the desk (解密查看), through the vault's reveal service.

A reveal form names its target — ``owner.<field>`` or ``website.<id>.<field>`` — never the value. Only the fields
listed here can be asked for, and only on the filing the gate admitted; the vault checks the role and the purpose
and writes the audit event (or the refusal's).
"""

from __future__ import annotations

from django.db import models

from regdesk.accounts.models import User
from regdesk.filings.models import Filing, Website
from regdesk.privacy.fields import PersonalValue
from regdesk.privacy.services import personal_value_reveal

OWNER_FIELDS = frozenset(
    {
        "name",
        "certificate_number",
        "certificate_address",
        "postal_address",
        "investor",
        "person_name",
        "person_document_number",
        "person_office_phone",
        "person_mobile",
        "person_email",
    }
)
WEBSITE_FIELDS = frozenset(
    {"person_name", "person_document_number", "person_office_phone", "person_mobile", "person_email"}
)


def reveal_target(filing: Filing, target: str) -> tuple[models.Model, str] | None:
    """The row and field a target names on this filing, or None for anything else."""
    parts = target.split(".")
    if len(parts) == 2 and parts[0] == "owner" and parts[1] in OWNER_FIELDS:
        return filing.owner, parts[1]
    if len(parts) == 3 and parts[0] == "website" and parts[1].isascii() and parts[1].isdigit():
        if parts[2] not in WEBSITE_FIELDS:
            return None
        website = Website.objects.filter(filing=filing, pk=int(parts[1])).first()
        return (website, parts[2]) if website is not None else None
    return None


def masked_value(filing: Filing, target: str) -> str | None:
    """The masked form of the target's value (for the reveal form shown again after a refusal)."""
    found = reveal_target(filing, target)
    if found is None:
        return None
    row, field_name = found
    value = getattr(row, field_name)
    return value.masked if isinstance(value, PersonalValue) else ""


def reveal_value(*, actor: User, filing: Filing, target: str, purpose: str) -> str | None:
    """The plain value of ``target`` for ``purpose`` (None when the target names nothing on this filing).
    Refusals of the vault (``RevealRefusedError``: role, purpose) pass through, audited by the vault."""
    found = reveal_target(filing, target)
    if found is None:
        return None
    row, field_name = found
    return personal_value_reveal(actor=actor, obj=row, field_name=field_name, purpose=purpose)
