"""Who may use the filings desk, and the gate that fetches a filing for it.

The desk is for the staff who work on ICP filings: registration specialists, and — reading only — compliance
officers and auditors. They see the filings of owners in the units where they hold one of these roles, and in the
units below. Anybody else (a website owner, a counter clerk, another unit's specialist) gets "not found" for a
filing, exactly as for one that does not exist; what they may *do* is decided by the services (``require_specialist``
and the case kernel).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from regdesk.accounts.models import User
from regdesk.accounts.permissions import (
    AnyUser,
    active_memberships,
    get_object_for_user_or_404,
    has_role,
    unit_descendant_ids,
)
from regdesk.accounts.roles import Role
from regdesk.filings.models import Filing

DESK_ROLES = (Role.SPECIALIST, Role.COMPLIANCE_OFFICER, Role.AUDITOR)


def desk_unit_ids(user: AnyUser | None) -> set[int]:
    """The units whose filings the user sees on the desk: those of their desk roles and every unit below."""
    unit_ids = (
        active_memberships(user).filter(role__in=[str(role) for role in DESK_ROLES]).values_list("unit_id", flat=True)
    )
    return unit_descendant_ids(unit_ids)


def desk_filing_visibility(user: User) -> Q:
    """A ``visible`` predicate for ``Filing`` querysets on the desk (staff units only, never "my own")."""
    return Q(owner__unit_id__in=desk_unit_ids(user))


def is_desk_user(user: AnyUser | None) -> bool:
    """Whether the user holds a desk role anywhere (the queue answers 403 to everybody else)."""
    return has_role(user, *DESK_ROLES)


def desk_filings(user: AnyUser | None) -> QuerySet[Filing]:
    """The filings the user may see on the desk."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Filing.objects.none()
    assert isinstance(user, User)  # noqa: S101 - an authenticated user is always our model
    return Filing.objects.filter(desk_filing_visibility(user))


def get_desk_filing_or_404(user: AnyUser | None, filing_id: Any) -> Filing:
    """The filing if the user may see it on the desk; ``Http404`` alike for missing and forbidden filings."""
    return get_object_for_user_or_404(
        Filing.objects.select_related("owner", "owner__unit", "case", "case__unit", "upload"),
        user,
        filing_id,
        visible=desk_filing_visibility,
    )
