"""Access gates: who holds which role where, and fetching objects so that "forbidden" looks like "missing".

Roles live on memberships of organisation units (``Membership``). A membership in a unit also covers every unit
below it: a branch manager's membership in the branch covers its outlets, and a membership in the provider (the
root) covers everything.

The administrator role grants accounts and configuration only. It gives **no** access to personal data by virtue
of the role: the personal-data vault (``regdesk.privacy``) checks its own permission and an approved, stated
purpose before it reveals anything, and administrators are not granted that permission by this module.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import models
from django.db.models import Q, QuerySet
from django.http import Http404

from regdesk.accounts.models import Membership, OrgUnit, User
from regdesk.accounts.roles import STAFF_ROLES, Role

ModelT = TypeVar("ModelT", bound=models.Model)
AnyUser = User | AnonymousUser


def _active_user(user: AnyUser | None) -> User | None:
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    assert isinstance(user, User)  # noqa: S101 - an authenticated user is always our model
    return user


def _unit_parents() -> dict[int, int | None]:
    """``{unit id: parent id}`` for every unit; the tree is small (branches, outlets, agents)."""
    return dict(OrgUnit.objects.values_list("id", "parent_id"))


def unit_ancestor_ids(unit: OrgUnit) -> list[int]:
    """The unit's id followed by the ids of its parent, grandparent ... up to the root."""
    parents = _unit_parents()
    chain: list[int] = []
    current: int | None = unit.pk
    # The guard against cycles keeps a corrupted tree from looping forever.
    while current is not None and current not in chain:
        chain.append(current)
        current = parents.get(current)
    return chain


def unit_descendant_ids(unit_ids: Iterable[int]) -> set[int]:
    """The given units and every unit below them."""
    children: dict[int, list[int]] = {}
    for child, parent in _unit_parents().items():
        if parent is not None:
            children.setdefault(parent, []).append(child)
    found: set[int] = set()
    pending = list(unit_ids)
    while pending:
        current = pending.pop()
        if current in found:
            continue
        found.add(current)
        pending.extend(children.get(current, ()))
    return found


def active_memberships(user: AnyUser | None) -> QuerySet[Membership]:
    """The active memberships of an active user, in active units."""
    active = _active_user(user)
    if active is None:
        return Membership.objects.none()
    return Membership.objects.filter(user=active, active=True, unit__active=True).select_related("unit")


def has_role(user: AnyUser | None, *roles: str, unit: OrgUnit | None = None) -> bool:
    """Whether the user holds one of ``roles`` (any role when none are named) through an active membership.

    With ``unit``, only memberships in that unit or in one of its ancestors count: a membership in a branch
    covers the branch's outlets, one in the provider covers everything.
    """
    memberships = active_memberships(user)
    if roles:
        memberships = memberships.filter(role__in=[str(role) for role in roles])
    if unit is not None:
        memberships = memberships.filter(unit_id__in=unit_ancestor_ids(unit))
    return memberships.exists()


def require_role(user: AnyUser | None, *roles: str, unit: OrgUnit | None = None, object_access: bool = False) -> None:
    """Raise unless ``has_role(user, *roles, unit=unit)``.

    Pages raise ``PermissionDenied`` (403). Object access (``object_access=True``) raises ``Http404``, so that a
    forbidden object cannot be told apart from a missing one.
    """
    if has_role(user, *roles, unit=unit):
        return
    if object_access:
        raise Http404
    raise PermissionDenied


def is_staff_user(user: AnyUser | None) -> bool:
    """Whether the user holds any staff role (specialist, counter clerk, agent, compliance officer, auditor,
    administrator) anywhere."""
    return has_role(user, *STAFF_ROLES)


def is_website_owner(user: AnyUser | None) -> bool:
    """Whether the user holds the website-owner role (网站主办者)."""
    return has_role(user, Role.WEBSITE_OWNER)


def needs_second_factor(user: AnyUser | None) -> bool:
    """Staff (by role or by Django's staff/superuser flags) always need TOTP; others once they have enrolled."""
    active = _active_user(user)
    if active is None:
        return False
    if active.is_staff or active.is_superuser or is_staff_user(active):
        return True
    from regdesk.accounts.models import TotpDevice

    return TotpDevice.objects.filter(user=active, confirmed=True).exists()


def units_visible_to(user: AnyUser | None) -> QuerySet[OrgUnit]:
    """The units whose staff work the user may see: those of the user's staff memberships and all units below."""
    unit_ids = (
        active_memberships(user).filter(role__in=[str(role) for role in STAFF_ROLES]).values_list("unit_id", flat=True)
    )
    return OrgUnit.objects.filter(pk__in=unit_descendant_ids(unit_ids))


def get_object_for_user_or_404(
    queryset: QuerySet[ModelT], user: AnyUser | None, pk: Any, *, visible: Callable[[User], Q]
) -> ModelT:
    """The object with primary key ``pk`` if ``visible(user)`` admits it; otherwise ``Http404``.

    Missing objects, forbidden objects, malformed keys and anonymous callers all get the same answer, so the
    response tells an outsider nothing about which objects exist.
    """
    active = _active_user(user)
    if active is None:
        raise Http404
    try:
        return queryset.filter(visible(active)).get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError, ValidationError):
        raise Http404 from None


def unit_visibility(user: User) -> Q:
    """A ``visible`` predicate for ``OrgUnit`` querysets (see ``get_object_for_user_or_404``)."""
    return Q(pk__in=units_visible_to(user).values("pk"))


def can_configure(user: AnyUser | None) -> bool:
    """Whether the user may use the configuration site (``/admin/``): the administrator role, held through an
    active membership. The role grants every model the site registers for configuration; no per-user Django
    permission is needed, and none grants personal data (the site shows no personal fields)."""
    return has_role(user, Role.ADMINISTRATOR)
