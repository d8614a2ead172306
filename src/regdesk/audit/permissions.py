"""Who may read the audit trail: auditors and compliance officers (an active membership in an active unit).

The trail sits below accounts/ (every account service writes it), so its gate names the roles by their stored
values and reads the user's memberships through the relation, without importing accounts/; a test holds the
names to accounts' ``Role``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import Http404

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from regdesk.accounts.models import User

# Role values of accounts.roles.Role.
AUDIT_READER_ROLES = frozenset({"auditor", "compliance_officer"})


def can_read_audit_trail(user: User | AnonymousUser | None) -> bool:
    """Auditors read everything and change nothing; compliance officers supervise. Nobody else reads the trail."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return bool(user.memberships.filter(role__in=sorted(AUDIT_READER_ROLES), active=True, unit__active=True).exists())


def require_audit_reader(user: User | AnonymousUser | None) -> None:
    """Gate of the audit pages: ``Http404`` for everyone else, so the pages look missing to them."""
    if not can_read_audit_trail(user):
        raise Http404
