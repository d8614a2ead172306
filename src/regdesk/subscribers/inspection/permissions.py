"""Who reads self-inspections (compliance officers and auditors over the inspected unit) and who follows up their
findings (compliance officers over the finding's unit). Gates answer "not found" alike for missing and forbidden."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from regdesk.accounts.permissions import AnyUser, get_object_for_user_or_404, has_role
from regdesk.accounts.roles import Role
from regdesk.subscribers.models import InspectionFinding, SelfInspection
from regdesk.subscribers.permissions import units_for_roles

READER_ROLES = (Role.COMPLIANCE_OFFICER, Role.AUDITOR)
RUNNER_ROLES = (Role.COMPLIANCE_OFFICER,)


def inspections_visible(user: AnyUser | None) -> QuerySet[SelfInspection]:
    return SelfInspection.objects.filter(unit_id__in=units_for_roles(user, READER_ROLES)).select_related("unit")


def access_inspection_by_id(user: AnyUser | None, inspection_id: Any) -> SelfInspection:
    return get_object_for_user_or_404(
        SelfInspection.objects.select_related("unit"),
        user,
        inspection_id,
        visible=lambda active: Q(unit_id__in=units_for_roles(active, READER_ROLES)),
    )


def access_finding_by_id(user: AnyUser | None, finding_id: Any) -> InspectionFinding:
    return get_object_for_user_or_404(
        InspectionFinding.objects.select_related("unit", "case", "inspection"),
        user,
        finding_id,
        visible=lambda active: Q(unit_id__in=units_for_roles(active, READER_ROLES)),
    )


def can_follow_up(user: AnyUser | None, finding: InspectionFinding) -> bool:
    return has_role(user, *RUNNER_ROLES, unit=finding.unit)
