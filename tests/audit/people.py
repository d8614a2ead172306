"""Users with roles for the audit and privacy tests."""

from __future__ import annotations

from django.test import Client
from django.utils import timezone

from regdesk.accounts.models import Membership, OrgUnit, User
from regdesk.accounts.roles import UnitKind


def unit(code: str = "hq") -> OrgUnit:
    found, _created = OrgUnit.objects.get_or_create(code=code, defaults={"name": code, "kind": UnitKind.PROVIDER})
    return found


def person(username: str, *roles: str, active: bool = True, unit_code: str = "hq") -> User:
    """A user holding ``roles`` in one unit (``active=False`` makes the memberships inactive)."""
    user = User.objects.create_user(username=username)  # no password: hashing is slow, tests log in by force
    for role in roles:
        Membership.objects.create(user=user, unit=unit(unit_code), role=role, active=active)
    return user


def desk_login(client: Client, user: User) -> Client:
    """Log in and mark the session's second factor as passed (staff reach the desk only after TOTP)."""
    client.force_login(user)
    session = client.session
    session["regdesk_second_factor_at"] = int(timezone.now().timestamp())
    session.save()
    return client
