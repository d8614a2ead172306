"""Lines outside a counter registration: lines taken over from earlier systems, and changes of service status.

Campaigns for unregistered lines (notify → one-way stop → two-way stop → cancel, DOMAIN.md §2) change status
through ``line_status_change``; a registration of the holder restores service itself (``services.completion``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from regdesk.accounts.permissions import has_role
from regdesk.accounts.roles import Role
from regdesk.audit.services import audit_record
from regdesk.privacy.crypto import blind_index
from regdesk.subscribers.models import Line, LineKind, LineStatus, Payment, RealNameState, Subscriber, SubscriberKind
from regdesk.subscribers.models.lines import HELD_STATUSES
from regdesk.subscribers.rules import (
    INDIVIDUAL_DOCUMENTS,
    ORGANISATION_DOCUMENTS,
    VALIDATOR_OF,
    DocumentType,
    identity_family,
    line_number_problem,
    normalise_line_number,
)
from regdesk.subscribers.services.completion import lock_identity
from regdesk.subscribers.services.errors import RegistrationRefused
from regdesk.subscribers.services.outlets import require_outlet

if TYPE_CHECKING:
    from regdesk.accounts.models import OrgUnit, User

# Who changes a line's service status by hand: compliance officers (campaigns run as the system, actor None).
STATUS_ROLES = (Role.COMPLIANCE_OFFICER,)


@dataclass(frozen=True)
class HolderRecord:
    """The holder as an earlier system recorded them (its document number must still be valid)."""

    kind: str
    document_type: str
    number: str
    name: str
    address: str


def _holder(holder: HolderRecord) -> Subscriber:
    from regdesk.rules.identity import validate

    allowed = ORGANISATION_DOCUMENTS if holder.kind == SubscriberKind.ORGANISATION else INDIVIDUAL_DOCUMENTS
    if holder.kind not in SubscriberKind.values or holder.document_type not in {str(item) for item in allowed}:
        raise RegistrationRefused("holder_invalid", _("Unknown kind of holder or document."), field="holder")
    result = validate(VALIDATOR_OF[DocumentType(holder.document_type)], holder.number)
    if not result.valid or not result.normalized or not holder.name.strip():
        raise RegistrationRefused("holder_invalid", _("The holder's document is not valid."), field="holder.number")
    identity = lock_identity(identity_family(holder.document_type), blind_index(result.normalized, domain="id_number"))
    subscriber = Subscriber.objects.filter(identity=identity).first()
    if subscriber is None:
        subscriber = Subscriber.objects.create(
            identity=identity,
            kind=holder.kind,
            document_type=holder.document_type,
            document_number=result.normalized,
            name=holder.name.strip(),
            address=holder.address.strip(),
        )
    return subscriber


def line_take_over(
    *,
    actor: User | None,
    outlet: OrgUnit,
    number: str,
    line_kind: str,
    payment: str,
    status: str,
    real_name_state: str,
    holder: HolderRecord | None = None,
    installation_address: str = "",
    opened_at: datetime | None = None,
) -> Line:
    """Record a line that exists already (an import from an earlier system, demo data), with its status and its
    registration state: ``registered`` needs a ``holder``; the four groups of unregistered lines may have one (a
    unit's name, a holder who is not the user) or not (a temporary account, incomplete data). No per-ID limit is
    applied: the line exists. Compliance officers over the outlet, or the system (``actor=None``).
    """
    require_outlet(outlet)
    if actor is not None and not has_role(actor, Role.COMPLIANCE_OFFICER, unit=outlet):
        raise RegistrationRefused("forbidden", _("You may not record lines at this outlet."), status=403)
    if line_kind not in LineKind.values or payment not in Payment.values:
        raise RegistrationRefused("line_kind_invalid", _("Unknown kind of line or payment."), field="line_kind")
    if status not in LineStatus.values or real_name_state not in RealNameState.values:
        raise RegistrationRefused("status_invalid", _("Unknown status or registration state."), field="status")
    if real_name_state == RealNameState.REGISTERED and holder is None:
        raise RegistrationRefused("holder_missing", _("A registered line needs its holder."), field="holder")
    value = normalise_line_number(number)
    if line_number_problem(value, fixed=line_kind == LineKind.FIXED) is not None:
        raise RegistrationRefused("number_invalid", _("The number is not well formed."), field="number")
    now = timezone.now()
    with transaction.atomic():
        subscriber = _holder(holder) if holder is not None else None
        existing = Line.objects.filter(number_index=blind_index(value, domain="phone"), status__in=HELD_STATUSES)
        if status != LineStatus.CANCELLED and existing.exists():
            raise RegistrationRefused("number_taken", _("This number belongs to another line."), field="number")
        line = Line.objects.create(
            number=value,
            kind=line_kind,
            payment=payment,
            status=status,
            real_name_state=real_name_state,
            outlet=outlet,
            subscriber=subscriber,
            installation_address=installation_address.strip() or None,
            opened_at=opened_at or now,
            status_changed_at=now,
        )
        audit_record(
            actor=actor,
            action="line.take_over",
            object_type="subscribers.line",
            object_id=line.pk,
            changes={
                "number": str(line.number),
                "kind": line_kind,
                "status": status,
                "real_name_state": real_name_state,
                "subscriber": subscriber.pk if subscriber is not None else None,
            },
            unit=outlet,
        )
    return line


def line_status_change(*, actor: User | None, line: Line, status: str, reason: str) -> Line:
    """Change a line's service status (suspend one way or two ways, cancel, restore) for a stated, non-personal
    reason. A cancelled line stays cancelled. Compliance officers over the line's outlet, or the system."""
    if status not in LineStatus.values:
        raise RegistrationRefused("status_invalid", _("Unknown line status."), field="status")
    reason = " ".join(reason.split())
    if not reason:
        raise RegistrationRefused("reason_missing", _("Give the reason for the change."), field="reason")
    if actor is not None and not has_role(actor, *STATUS_ROLES, unit=line.outlet):
        raise RegistrationRefused("forbidden", _("You may not change this line's status."), status=403)
    with transaction.atomic():
        locked = Line.objects.select_for_update().get(pk=line.pk)
        if locked.status == LineStatus.CANCELLED:
            raise RegistrationRefused("line_cancelled", _("A cancelled line cannot change its status."), field="status")
        previous = locked.status
        locked.status = status
        locked.status_changed_at = timezone.now()
        locked.save(update_fields=["status", "status_changed_at", "updated_at"])
        audit_record(
            actor=actor,
            action="line.status",
            object_type="subscribers.line",
            object_id=locked.pk,
            changes={"status": [previous, status], "reason": reason[:200]},
            unit=locked.outlet,
        )
    line.status = locked.status
    return locked
