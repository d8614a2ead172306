"""Claims to owners on file under another account (认领主办者), on the desk: the list of the specialist's units and
the decision. The applicant's identity is checked outside the system (a telephone call to the owner's person in
charge, or the original certificate at an outlet) before approving."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from regdesk.accounts.models import User
from regdesk.accounts.permissions import active_memberships, get_object_for_user_or_404, unit_descendant_ids
from regdesk.accounts.roles import Role
from regdesk.cases.services import CaseRefused
from regdesk.filings.desk.views.common import LOGIN_URL, back_to, current_user
from regdesk.filings.models import OwnerClaim, OwnerClaimState
from regdesk.filings.selectors import owner_display_name
from regdesk.filings.services import owner_claim_decide

LIST_LIMIT = 200


@dataclass(frozen=True)
class ClaimRow:
    claim: OwnerClaim
    owner: str
    # Approving moves the owner's filings away from the account that holds them now.
    moves_filings: bool


def _specialist_unit_ids(user: User) -> set[int]:
    units = active_memberships(user).filter(role=Role.SPECIALIST).values_list("unit_id", flat=True)
    return unit_descendant_ids(units)


def _claim_visibility(user: User) -> Q:
    """The claims a specialist decides: those on owners of their units and below."""
    return Q(owner__unit_id__in=_specialist_unit_ids(user))


@login_required(login_url=LOGIN_URL)
@require_GET
def claim_list(request: HttpRequest) -> HttpResponse:
    """The claims on owners of the specialist's units: the waiting ones first, then the latest decided."""
    user = current_user(request)
    unit_ids = _specialist_unit_ids(user)
    if not unit_ids:
        raise PermissionDenied
    claims = (
        OwnerClaim.objects.filter(owner__unit_id__in=unit_ids)
        .select_related("owner", "owner__unit", "requester", "decided_by")
        .order_by("-created_at")[:LIST_LIMIT]
    )
    rows = [
        ClaimRow(
            claim=claim,
            owner=owner_display_name(claim.owner),
            moves_filings=claim.owner.portal_user_id is not None,
        )
        for claim in claims
    ]
    return render(
        request,
        "filings/desk/claims.html",
        {
            "waiting": [row for row in rows if row.claim.state == OwnerClaimState.PENDING],
            "decided": [row for row in rows if row.claim.state != OwnerClaimState.PENDING],
        },
    )


@login_required(login_url=LOGIN_URL)
@require_POST
def claim_decide(request: HttpRequest, claim_id: int) -> HttpResponse:
    """Approve or reject one claim (POST ``decision``: ``approve`` or ``reject``, with ``reason``)."""
    user = current_user(request)
    claim = get_object_for_user_or_404(
        OwnerClaim.objects.select_related("owner", "owner__unit"), user, claim_id, visible=_claim_visibility
    )
    decision = request.POST.get("decision", "")
    if decision not in ("approve", "reject"):
        return back_to(request, reverse("filings_desk:claims"), error=_("Choose to approve or to reject."))
    try:
        owner_claim_decide(
            actor=user, claim=claim, approve=decision == "approve", reason=request.POST.get("reason", "")
        )
    except CaseRefused as refused:
        return back_to(request, reverse("filings_desk:claims"), error=refused.message)
    message = _("The request has been approved.") if decision == "approve" else _("The request has been rejected.")
    return back_to(request, reverse("filings_desk:claims"), success=message)
