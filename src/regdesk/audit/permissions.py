"""Who may read the audit trail: auditors and compliance officers (an active membership in an active unit)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import Http404

from regdesk.accounts.roles import Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from regdesk.accounts.models import User

AUDIT_READER_ROLES = frozenset({Role.AUDITOR, Role.COMPLIANCE_OFFICER})


def can_read_audit_trail(user: User | AnonymousUser | None) -> bool:
    """Auditors read everything and change nothing; compliance officers supervise. Nobody else reads the trail."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return bool(
        user.memberships.filter(
            role__in=[str(role) for role in AUDIT_READER_ROLES], active=True, unit__active=True
        ).exists()
    )


def require_audit_reader(user: User | AnonymousUser | None) -> None:
    """Gate of the audit pages: ``Http404`` for everyone else, so the pages look missing to them."""
    if not can_read_audit_trail(user):
        raise Http404
