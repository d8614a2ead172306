"""Claims to an owner on file under another portal account (认领主办者): the request and the specialist's decision.

One owner record stands for one certificate, so an applicant whose certificate is already on file under another
account cannot start a filing of their own. ``owner_claim_request`` records that they ask to become the owner's
portal user; a registration specialist of the owner's unit checks who they are (by telephone, or with the
certificate at an outlet) and decides with ``owner_claim_decide``. An approval makes the requester the owner's portal
user: the owner's filings move to their account, and the previous account no longer sees them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from regdesk.accounts.permissions import has_role
from regdesk.accounts.roles import Role
from regdesk.audit.services import audit_record
from regdesk.filings.errors import FilingRefused
from regdesk.filings.models import Owner, OwnerClaim, OwnerClaimState
from regdesk.filings.services.drafts import owner_of_certificate

if TYPE_CHECKING:
    from regdesk.accounts.models import User

REASON_MAX_LENGTH = 500


def owner_claim_request(
    *, actor: User, certificate_type: int | str | None, certificate_number: str | None
) -> OwnerClaim:
    """Ask to become the portal user of the owner registered with this certificate.

    Refused (``FilingRefused``) for a user who is not a website owner, a certificate no owner holds
    (``owner_unknown``) and an owner that is already the actor's (``owner_yours``). Asking again while a request is
    waiting answers that request; nothing new is stored.
    """
    if not has_role(actor, Role.WEBSITE_OWNER):
        raise FilingRefused("role", _("Only a website owner's account may ask for an owner."))
    with transaction.atomic():
        owner = owner_of_certificate(certificate_type, certificate_number)
        if owner is None:
            raise FilingRefused("owner_unknown", _("No owner is on file with this certificate."))
        if owner.portal_user_id == actor.pk:
            raise FilingRefused("owner_yours", _("This owner is already managed by your account."))
        waiting = OwnerClaim.objects.filter(owner=owner, requester=actor, state=OwnerClaimState.PENDING).first()
        if waiting is not None:
            return waiting
        try:
            with transaction.atomic():
                claim = OwnerClaim.objects.create(owner=owner, requester=actor)
        except IntegrityError:  # the same request sent twice at the same moment
            return OwnerClaim.objects.get(owner=owner, requester=actor, state=OwnerClaimState.PENDING)
        audit_record(
            actor=actor,
            action="filing.owner_claim_request",
            object_type="filings.ownerclaim",
            object_id=claim.pk,
            changes={"owner": owner.pk, "state": claim.state},
            role=str(Role.WEBSITE_OWNER),
            unit=owner.unit,
        )
    return claim


def owner_claim_decide(*, actor: User, claim: OwnerClaim, approve: bool, reason: str = "") -> OwnerClaim:
    """Approve or reject a waiting claim: a registration specialist of the owner's unit only.

    An approval makes the requester the owner's portal user (the owner's filings follow); a rejection needs a
    reason, which the requester reads in the portal. A claim already decided is refused (``claim_decided``).
    """
    reason = (reason or "").strip()
    if not approve and not reason:
        raise FilingRefused("reason_required", _("Give the reason for the rejection: the applicant reads it."))
    if len(reason) > REASON_MAX_LENGTH:
        raise FilingRefused(
            "reason_too_long", _("The reason may be at most %(limit)d characters.") % {"limit": REASON_MAX_LENGTH}
        )
    with transaction.atomic():
        # Lock order (DESIGN rule 14): the owner row, then the claim.
        owner = Owner.objects.select_for_update().select_related("unit").get(pk=claim.owner_id)
        if not has_role(actor, Role.SPECIALIST, unit=owner.unit):
            raise FilingRefused("role", _("Only a registration specialist of the owner's unit may decide."))
        locked = OwnerClaim.objects.select_for_update().get(pk=claim.pk)
        if locked.state != OwnerClaimState.PENDING:
            raise FilingRefused("claim_decided", _("This request has already been decided."))
        previous_user = owner.portal_user_id
        locked.state = OwnerClaimState.APPROVED if approve else OwnerClaimState.REJECTED
        locked.decided_at = timezone.now()
        locked.decided_by = actor
        locked.reason = reason
        locked.save(update_fields=["state", "decided_at", "decided_by", "reason"])
        if approve:
            owner.portal_user = locked.requester
            owner.save(update_fields=["portal_user"])
        audit_record(
            actor=actor,
            action="filing.owner_claim_decide",
            object_type="filings.ownerclaim",
            object_id=locked.pk,
            changes={
                "owner": owner.pk,
                "state": locked.state,
                "previous_portal_user": previous_user,
                "portal_user": owner.portal_user_id,
            },
            role=str(Role.SPECIALIST),
            unit=owner.unit,
        )
    claim.refresh_from_db()
    return claim
