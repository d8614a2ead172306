"""Who reads the real-name-rate report, and over which units.

* Compliance officers and auditors, over the units of their memberships and everything below them.
* Branch managers over their branch: a counter clerk whose membership is in a branch (or the provider) supervises
  the outlets below it (see ``regdesk.subscribers.process.supervisor_position``) and reads their rates. A clerk of
  one outlet does not, and neither do agents' staff.

The report holds aggregates only, so reading it needs no purpose; downloading it is audited as a bulk export.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from regdesk.accounts.models import OrgUnit
from regdesk.accounts.permissions import AnyUser, active_memberships, unit_descendant_ids
from regdesk.accounts.roles import Role, UnitKind

REPORT_ROLES = (Role.COMPLIANCE_OFFICER, Role.AUDITOR)
# The units where a counter clerk's membership makes them a manager of the outlets below.
MANAGER_UNIT_KINDS = (UnitKind.PROVIDER, UnitKind.BRANCH)


def report_unit_ids(user: AnyUser | None) -> set[int]:
    """The units whose lines the user may see in the report (memberships' units and everything below)."""
    memberships = active_memberships(user)
    roots = set(memberships.filter(role__in=[str(role) for role in REPORT_ROLES]).values_list("unit_id", flat=True))
    roots |= set(
        memberships.filter(
            role=Role.COUNTER_CLERK, unit__kind__in=[str(kind) for kind in MANAGER_UNIT_KINDS]
        ).values_list("unit_id", flat=True)
    )
    return unit_descendant_ids(roots)


def require_report_reader(user: AnyUser | None) -> set[int]:
    """The user's report scope; ``PermissionDenied`` (403) for a user with none."""
    scope = report_unit_ids(user)
    if not scope:
        raise PermissionDenied
    return scope


def report_roots(scope: set[int]) -> list[OrgUnit]:
    """The top units of a scope (those whose parent lies outside it), by code."""
    units = OrgUnit.objects.filter(pk__in=scope)
    return sorted((unit for unit in units if unit.parent_id not in scope), key=lambda unit: unit.code)


def access_report_unit(scope: set[int], code: object) -> OrgUnit:
    """The unit with this code if it lies in the scope; ``Http404`` alike for missing and forbidden units."""
    if not isinstance(code, str) or not code:
        raise Http404
    unit = OrgUnit.objects.filter(code=code, pk__in=scope).first()
    if unit is None:
        raise Http404
    return unit
