"""Who may manage the working calendar."""

from __future__ import annotations

from typing import TYPE_CHECKING

from regdesk.accounts.roles import Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from regdesk.accounts.models import User


def can_manage_calendar(user: User | AnonymousUser) -> bool:
    """Administrators (an active membership with the administrator role in any unit) import calendar years."""
    if not user.is_authenticated:
        return False
    return bool(user.memberships.filter(role=Role.ADMINISTRATOR, active=True).exists())
