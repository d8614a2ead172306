"""Who may see a case and in which roles a user acts on it.

A case is visible to staff with an active membership in the case's unit or in one of its ancestors (a membership
in a branch covers its outlets). Everybody else gets "not found", exactly as for a case that does not exist.
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
    units_visible_to,
)
from regdesk.cases.models import Case


def case_roles(user: AnyUser | None, case: Case) -> set[str]:
    """The roles the user holds over the case's unit (memberships in the unit or an ancestor)."""
    memberships = active_memberships(user).filter(unit_id__in=unit_ancestor_ids(case.unit))
    return {str(role) for role in memberships.values_list("role", flat=True)}


def case_visibility(user: User) -> Q:
    """A ``visible`` predicate for ``Case`` querysets."""
    return Q(unit__in=units_visible_to(user).values("pk"))


def can_see_case(user: AnyUser | None, case: Case) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    assert isinstance(user, User)  # noqa: S101 - an authenticated user is always our model
    return Case.objects.filter(case_visibility(user), pk=case.pk).exists()


def access_case_by_id(user: AnyUser | None, case_id: Any) -> Case:
    """The case with this id if the user may see it; ``Http404`` alike for missing and forbidden cases."""
    return get_object_for_user_or_404(Case.objects.select_related("unit"), user, case_id, visible=case_visibility)
