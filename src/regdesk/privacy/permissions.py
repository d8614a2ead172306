"""Who may reveal personal data, and who reads the data dictionary.

Revealing needs a role whose work uses the plain value: registration specialists (identity checks, filings),
counter clerks (real-name registration) and compliance officers (requests from individuals, incidents).
Administrators are **not** among them: administering accounts and configuration gives no access to personal data.
Auditors read the audit trail and the masked data, never the plain values.

The vault sits below accounts/ (TOTP secrets are sealed by it), so these gates name the roles by their stored values
and read the user's memberships through the relation, without importing accounts/; a test holds the names to
accounts' ``Role``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from regdesk.accounts.models import Membership, User

# Role values of accounts.roles.Role.
REVEAL_ROLES = frozenset({"specialist", "counter_clerk", "compliance_officer"})
DICTIONARY_READER_ROLES = frozenset({"compliance_officer", "auditor"})


def _memberships(user: User | AnonymousUser | None, roles: frozenset[str]) -> list[Membership]:
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    return list(
        user.memberships.filter(active=True, unit__active=True, role__in=sorted(roles))
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
