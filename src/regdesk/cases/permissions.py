"""Who may see a case and in which roles a user acts on it.

A case is visible to the staff who work its process or supervise it, as the desk pages of each process show it:
a staff role that one of the process's transitions names (a registration specialist for an ICP filing, a counter
clerk for a line registration), or compliance officer or auditor, through an active membership in the case's unit
or one of its ancestors (a membership in a branch covers its outlets). A role that works elsewhere sees nothing of
the process: a counter clerk no ICP filing, an administrator (accounts and configuration) no case at all.
Everybody else gets "not found", exactly as for a case that does not exist.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from regdesk.accounts.models import User
from regdesk.accounts.permissions import (
    AnyUser,
    active_memberships,
    get_object_for_user_or_404,
    unit_ancestor_ids,
    unit_descendant_ids,
)
from regdesk.accounts.roles import STAFF_ROLES, Role
from regdesk.cases.definitions import registered_processes
from regdesk.cases.models import Case


def case_roles(user: AnyUser | None, case: Case) -> set[str]:
    """The roles the user holds over the case's unit (memberships in the unit or an ancestor)."""
    memberships = active_memberships(user).filter(unit_id__in=unit_ancestor_ids(case.unit))
    return {str(role) for role in memberships.values_list("role", flat=True)}


# Those who supervise every process read its cases, whether or not a transition names them.
SUPERVISING_ROLES = frozenset({str(Role.COMPLIANCE_OFFICER), str(Role.AUDITOR)})


def process_viewer_roles() -> dict[str, frozenset[str]]:
    """``{process key: the staff roles that see its cases}``: the staff roles its transitions name (in any
    registered version) and the supervising roles."""
    staff = {str(role) for role in STAFF_ROLES}
    viewers: dict[str, set[str]] = {}
    for definition in registered_processes():
        named = {str(role) for transition in definition.transitions for role in transition.roles}
        viewers.setdefault(definition.key, set(SUPERVISING_ROLES)).update(named & staff)
    return {key: frozenset(roles) for key, roles in viewers.items()}


def case_visibility(user: User) -> Q:
    """A ``visible`` predicate for ``Case`` querysets: per process, the units (and those below) where the user
    holds a role that sees the process's cases."""
    units_by_role: dict[str, set[int]] = {}
    for role, unit_id in active_memberships(user).values_list("role", "unit_id"):
        units_by_role.setdefault(str(role), set()).add(unit_id)
    visible = Q(pk__in=[])
    for key, roles in sorted(process_viewer_roles().items()):
        unit_ids = {unit_id for role in roles for unit_id in units_by_role.get(role, ())}
        if unit_ids:
            visible |= Q(process_key=key, unit_id__in=unit_descendant_ids(unit_ids))
    return visible


def can_see_case(user: AnyUser | None, case: Case) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    assert isinstance(user, User)  # noqa: S101 - an authenticated user is always our model
    return Case.objects.filter(case_visibility(user), pk=case.pk).exists()


def access_case_by_id(user: AnyUser | None, case_id: Any) -> Case:
    """The case with this id if the user may see it; ``Http404`` alike for missing and forbidden cases."""
    return get_object_for_user_or_404(Case.objects.select_related("unit"), user, case_id, visible=case_visibility)
