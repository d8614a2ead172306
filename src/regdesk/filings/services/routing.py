"""Where a filing is worked: routing an owner's application to the unit that serves the owner, the compliance
officer's reassignment, and the alert about a filing no registration specialist can see.

A filing belongs to its owner's unit (``Owner.unit``), and its case to the same unit (the kernel checks roles over
the case's unit). Moving a filing therefore moves its owner and the cases of all the owner's filings together, so
that the desk, the gates and the kernel keep agreeing. Lock order (DESIGN rule 14): the owner row, then its filings,
then their cases (``case_transfer``).

* ``filing_route``: when an owner submits a new application of their own for the first time, it goes to the unit
  serving the owner's region as the submitted data gives it (``permissions.owner_unit_for``) — unless a compliance
  officer has already placed it.
* ``filing_reassign``: a compliance officer over both units moves the filing, with a reason.
* ``unreachable_filing_alert`` / ``unreachable_filings_alert``: when no active specialist works over a filing's
  unit, every compliance officer over it is told by e-mail (the kernel's notice outbox, once per filing and unit).
  Checked when a filing is created, submitted or reassigned, and daily (``regdesk filings routing-check``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from regdesk.accounts.models import OrgUnit
from regdesk.audit.services import audit_record
from regdesk.cases.definitions import TRANSFER_EVENT
from regdesk.cases.models import CaseEvent
from regdesk.cases.services import case_transfer, notice_queue
from regdesk.filings import config
from regdesk.filings.errors import FilingRefused
from regdesk.filings.models import Filing, FilingState, Owner
from regdesk.filings.permissions import (
    compliance_officers_over,
    may_reassign,
    owner_unit_for,
    region_of_owner,
    specialists_reach,
)

if TYPE_CHECKING:
    from regdesk.accounts.models import User

UNREACHABLE_TEMPLATE = "filings_unreachable"
MINIMUM_REASON_LENGTH = 4
# A filing in these states is finished: nobody needs to work it, so it is neither moved nor alerted about.
FINISHED_STATES = frozenset({FilingState.APPROVED, FilingState.REJECTED, FilingState.WITHDRAWN, FilingState.LAPSED})


def _move_owner(*, actor: User | None, owner: Owner, unit: OrgUnit, manual: bool) -> list[Filing]:
    """Move the (locked) owner and the cases of all its filings to ``unit``; the owner's filings, locked."""
    filings = list(
        Filing.objects.select_for_update(of=("self",)).filter(owner=owner).select_related("case").order_by("pk")
    )
    owner.unit = unit
    owner.save(update_fields=["unit", "updated_at"])
    for item in filings:
        if item.case is not None:
            case_transfer(actor=actor, case=item.case, unit=unit, payload={"manual": manual})
    return filings


def _placed_by_hand(filing: Filing) -> bool:
    return (
        filing.case_id is not None
        and CaseEvent.objects.filter(case_id=filing.case_id, action=TRANSFER_EVENT, payload__manual=True).exists()
    )


def filing_route(*, actor: User, filing: Filing) -> Filing:
    """Send an owner's own new application to the unit that serves the owner's region (in the caller's
    transaction, before the submission moves the case).

    Only the first submission of a filing its owner started, for an owner not filed yet who has no other filing
    and was not placed by a compliance officer: a specialist's own entry stays in the specialist's unit, and an
    owner already known stays where its record is worked. Returns the filing, moved or not.
    """
    with transaction.atomic():
        owner = Owner.objects.select_for_update().get(pk=filing.owner_id)
        if (
            filing.state != FilingState.DRAFT
            or filing.submissions
            or owner.portal_user_id is None
            or filing.created_by_id != owner.portal_user_id
            or owner.record_number
            or Filing.objects.filter(owner=owner).exclude(pk=filing.pk).exists()
            or _placed_by_hand(filing)
        ):
            return filing
        target = owner_unit_for(filing.created_by, region_of_owner(owner)) if filing.created_by else None
        if target is None or target.pk == owner.unit_id:
            return filing
        previous = owner.unit
        _move_owner(actor=actor, owner=owner, unit=target, manual=False)
        audit_record(
            actor=actor,
            action="filing.route",
            object_type="filings.filing",
            object_id=filing.pk,
            changes={"unit": [previous.code, target.code]},
            role="website_owner",
            unit=target,
        )
    filing.refresh_from_db()
    filing.owner.refresh_from_db()
    return filing


def filing_reassign(*, actor: User, filing: Filing, unit: OrgUnit, reason: str) -> Filing:
    """Move a filing (with its owner and the owner's other filings) to ``unit`` (重新分派), for a stated reason.

    Only a compliance officer over both the filing's unit and ``unit`` may do it; the filing must still be open,
    and ``unit`` active and another unit. Refusals change nothing: ``FilingRefused`` with ``role``, ``wrong_state``,
    ``unit`` or ``reason``. Writes ``filing.reassign`` (the units and the reason) to the audit trail; when no
    specialist works over the new unit, the compliance officers over it are alerted.
    """
    stated = " ".join((reason or "").split())
    if not may_reassign(actor, filing, unit):
        raise FilingRefused("role", _("Only a compliance officer over both units may reassign a filing."))
    if len(stated) < MINIMUM_REASON_LENGTH:
        raise FilingRefused("reason", _("State why the filing is reassigned (at least four characters)."))
    if not unit.active:
        raise FilingRefused("unit", _("This organisation unit is no longer active."))
    with transaction.atomic():
        owner = Owner.objects.select_for_update().select_related("unit").get(pk=filing.owner_id)
        locked = Filing.objects.select_for_update(of=("self",)).get(pk=filing.pk)
        if locked.state in FINISHED_STATES:
            raise FilingRefused("wrong_state", _("A finished filing is not reassigned."))
        previous = owner.unit
        if previous.pk == unit.pk:
            raise FilingRefused("unit", _("The filing is already in this unit."))
        _move_owner(actor=actor, owner=owner, unit=unit, manual=True)
        audit_record(
            actor=actor,
            action="filing.reassign",
            object_type="filings.filing",
            object_id=locked.pk,
            changes={"unit": [previous.code, unit.code], "reason": stated[:200]},
            role="compliance_officer",
            unit=unit,
        )
        locked.refresh_from_db()
        unreachable_filing_alert(filing=locked)
    filing.refresh_from_db()
    filing.owner.refresh_from_db()
    return filing


def unreachable_filing_alert(*, filing: Filing) -> int:
    """If no active specialist works over the filing's unit, queue an e-mail to every compliance officer over the
    unit (once per filing and unit, whatever the number of checks); returns how many were queued. Finished
    filings are left alone. Runs in the caller's transaction; the message names the case and the unit only."""
    if filing.state in FINISHED_STATES:
        return 0
    unit = OrgUnit.objects.get(pk=Owner.objects.filter(pk=filing.owner_id).values_list("unit_id", flat=True)[0])
    if specialists_reach(unit):
        return 0
    reference = filing.case.reference if filing.case is not None else str(filing.pk)
    queued = 0
    for officer in compliance_officers_over(unit):
        if not officer.email:
            continue
        notice_queue(
            actor=None,
            channel="email",
            recipient=officer.email,
            template=UNREACHABLE_TEMPLATE,
            context={
                "reference": reference,
                "unit": unit.name,
                "desk_url": f"{config.public_base_url()}/desk/filings/{filing.pk}/",
            },
            idempotency_key=f"filings:{filing.pk}:unreachable:unit:{unit.pk}:user:{officer.pk}",
            case=filing.case,
        )
        queued += 1
    return queued


def unreachable_filings_alert() -> dict[str, int]:
    """The daily check: alert about every open filing that no specialist can see (each once per unit)."""
    filings = Filing.objects.exclude(state__in=[str(state) for state in FINISHED_STATES]).select_related("case")
    reachable: dict[int, bool] = {}
    checked = unreachable = queued = 0
    for filing in filings.select_related("owner__unit").order_by("pk").iterator():
        checked += 1
        unit = filing.owner.unit
        if unit.pk not in reachable:
            reachable[unit.pk] = specialists_reach(unit)
        if reachable[unit.pk]:
            continue
        unreachable += 1
        with transaction.atomic():
            queued += unreachable_filing_alert(filing=filing)
    return {"checked": checked, "unreachable": unreachable, "queued": queued}
