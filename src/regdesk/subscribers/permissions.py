"""Who may do what in real-name registration, and the gates that fetch objects so that forbidden looks missing.

* Registering at an outlet: counter clerks and agents' staff with a membership in the outlet or above it
  (``can_register_at``). Organisation-wide roles (website owners at the provider) do not count.
* Seeing a registration or a line: those, plus compliance officers and auditors over the outlet.
* Enrolling and deactivating card readers: compliance officers and administrators over the outlet.
* Deciding on a registration held for review: see ``regdesk.subscribers.process.supervisor_position``.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from regdesk.accounts.models import OrgUnit, User
from regdesk.accounts.permissions import (
    AnyUser,
    active_memberships,
    get_object_for_user_or_404,
    has_role,
    unit_descendant_ids,
)
from regdesk.accounts.roles import Role
from regdesk.subscribers.models import Line, LineDispute, Registration

COUNTER_ROLES = (Role.COUNTER_CLERK, Role.AGENT)
VIEW_ROLES = (Role.COUNTER_CLERK, Role.AGENT, Role.COMPLIANCE_OFFICER, Role.AUDITOR)
READER_ADMIN_ROLES = (Role.COMPLIANCE_OFFICER, Role.ADMINISTRATOR)
DISPUTE_ROLES = (Role.COMPLIANCE_OFFICER, Role.AUDITOR)


def can_register_at(user: AnyUser | None, outlet: OrgUnit) -> bool:
    """Whether the user registers lines at this outlet (a counter clerk or an agent's staff over it)."""
    return has_role(user, *COUNTER_ROLES, unit=outlet)


def can_manage_readers_at(user: AnyUser | None, outlet: OrgUnit) -> bool:
    return has_role(user, *READER_ADMIN_ROLES, unit=outlet)


def units_for_roles(user: AnyUser | None, roles: tuple[str, ...]) -> set[int]:
    """The units where the user holds one of ``roles``, and every unit below them."""
    unit_ids = active_memberships(user).filter(role__in=[str(role) for role in roles]).values_list("unit_id", flat=True)
    return unit_descendant_ids(unit_ids)


def _outlet_visibility(roles: tuple[str, ...], field: str = "outlet") -> Any:
    def visible(user: User) -> Q:
        return Q(**{f"{field}_id__in": units_for_roles(user, roles)})

    return visible


def outlets_for_counter(user: AnyUser | None) -> QuerySet[OrgUnit]:
    """The outlets (with a registration profile) where the user may register lines."""
    return OrgUnit.objects.filter(
        pk__in=units_for_roles(user, COUNTER_ROLES), outlet_profile__isnull=False, active=True
    ).order_by("code")


def access_outlet_by_code(user: AnyUser | None, code: Any, roles: tuple[str, ...] = COUNTER_ROLES) -> OrgUnit:
    """The active outlet with this code if the user holds one of ``roles`` over it; ``Http404`` alike otherwise."""
    if not isinstance(code, str) or not code:
        raise Http404
    outlet = OrgUnit.objects.filter(
        code=code, active=True, outlet_profile__isnull=False, pk__in=units_for_roles(user, roles)
    ).first()
    if outlet is None:
        raise Http404
    return outlet


def access_registration_by_id(user: AnyUser | None, registration_id: Any) -> Registration:
    """The registration if the user works over its outlet; ``Http404`` alike for missing and forbidden ones."""
    return get_object_for_user_or_404(
        Registration.objects.select_related("case", "case__unit", "outlet"),
        user,
        registration_id,
        visible=_outlet_visibility(VIEW_ROLES),
    )


def access_line_by_id(user: AnyUser | None, line_id: Any) -> Line:
    """The line if the user works over the outlet that sold it; ``Http404`` alike otherwise."""
    return get_object_for_user_or_404(
        Line.objects.select_related("outlet", "subscriber"), user, line_id, visible=_outlet_visibility(VIEW_ROLES)
    )


def access_dispute_by_id(user: AnyUser | None, dispute_id: Any) -> LineDispute:
    """The dispute if the user is a compliance officer or auditor over its case's unit; ``Http404`` otherwise."""
    return get_object_for_user_or_404(
        LineDispute.objects.select_related("case", "line"),
        user,
        dispute_id,
        visible=lambda active: Q(case__unit_id__in=units_for_roles(active, DISPUTE_ROLES)),
    )
