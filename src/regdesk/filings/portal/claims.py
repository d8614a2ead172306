"""Reads of the portal about owners on file under another account: whom to contact, and the owner's claims.

An applicant whose certificate is already on file learns which of the provider's units serves that owner (its
name, service address and telephone: the unit's, never a person's) and follows the claims they sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction

from regdesk.accounts.models import OrgUnit, User
from regdesk.filings.models import OwnerClaim
from regdesk.filings.selectors import owner_display_name
from regdesk.filings.services.drafts import owner_of_certificate


@dataclass(frozen=True)
class ServingUnit:
    """The unit that serves an owner, as a customer reaches it."""

    name: str
    address: str
    phone: str

    @classmethod
    def of(cls, unit: OrgUnit) -> ServingUnit:
        return cls(name=unit.name, address=unit.address, phone=unit.phone)


def serving_unit_for_certificate(
    certificate_type: int | str | None, certificate_number: str | None
) -> ServingUnit | None:
    """The unit serving the owner on file with this certificate, or ``None`` when no owner holds it."""
    with transaction.atomic():
        owner = owner_of_certificate(certificate_type, certificate_number)
        return ServingUnit.of(owner.unit) if owner is not None else None


@dataclass(frozen=True)
class ClaimView:
    """One of the user's claims as the portal shows it: the owner's name (masked for an individual), the state,
    the reason of a rejection and the unit to contact."""

    id: int
    owner: str
    state: str
    state_label: str
    reason: str
    requested_at: datetime
    unit: ServingUnit


def claims_of(user: User) -> list[ClaimView]:
    """The user's claims, newest first."""
    claims = OwnerClaim.objects.filter(requester=user).select_related("owner", "owner__unit").order_by("-created_at")
    return [
        ClaimView(
            id=claim.pk,
            owner=owner_display_name(claim.owner),
            state=claim.state,
            state_label=str(claim.get_state_display()),
            reason=claim.reason,
            requested_at=claim.created_at,
            unit=ServingUnit.of(claim.owner.unit),
        )
        for claim in claims
    ]
