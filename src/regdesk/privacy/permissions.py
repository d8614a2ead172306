"""Who may reveal personal data, and who reads the data dictionary.

Revealing needs a role whose work uses the plain value: registration specialists (identity checks, filings),
counter clerks (real-name registration) and compliance officers (requests from individuals, incidents).
Administrators are **not** among them: administering accounts and configuration gives no access to personal data.
Auditors read the audit trail and the masked data, never the plain values.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from regdesk.accounts.models import Membership
from regdesk.accounts.roles import Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from regdesk.accounts.models import User

REVEAL_ROLES = frozenset({Role.SPECIALIST, Role.COUNTER_CLERK, Role.COMPLIANCE_OFFICER})
DICTIONARY_READER_ROLES = frozenset({Role.COMPLIANCE_OFFICER, Role.AUDITOR})


def _memberships(user: User | AnonymousUser | None, roles: frozenset[Role]) -> list[Membership]:
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    return list(
        Membership.objects.filter(user_id=user.pk, active=True, unit__active=True, role__in=[str(r) for r in roles])
        .select_related("unit")
        .order_by("role", "unit__code")
    )


def reveal_membership(user: User | AnonymousUser | None) -> Membership | None:
    """The active membership that allows ``user`` to reveal personal data, if any (recorded in the audit event)."""
    memberships = _memberships(user, REVEAL_ROLES)
    return memberships[0] if memberships else None


def can_reveal(user: User | AnonymousUser | None) -> bool:
    return reveal_membership(user) is not None


def can_read_dictionary(user: User | AnonymousUser | None) -> bool:
    """Compliance officers and auditors read the data dictionary."""
    return bool(_memberships(user, DICTIONARY_READER_ROLES))
