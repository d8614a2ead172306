"""Reads of the accounts app."""

from __future__ import annotations

from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone

from regdesk.accounts.models import ApiToken, LoginThrottle, Membership, OrgUnit, TotpDevice, User
from regdesk.accounts.roles import UnitKind


def throttle_keys(*, username: str, address: str) -> list[tuple[str, str]]:
    """The (scope, key) pairs a login attempt counts against: the client address with the username (case-folded),
    and the username alone. An attempt without a username counts against nothing: the form requires one."""
    normalised = username.strip().casefold()[:150]
    if not normalised:
        return []
    keys: list[tuple[str, str]] = [(LoginThrottle.Scope.USERNAME, normalised)]
    if address:
        keys.append((LoginThrottle.Scope.PAIR, f"{address[:45]} {normalised}"))
    return keys


def login_locked_until(*, username: str, address: str, moment: datetime | None = None) -> datetime | None:
    """When the lockout covering this username (from anywhere, or from this address) ends, or ``None``."""
    moment = moment or timezone.now()
    latest: datetime | None = None
    for scope, key in throttle_keys(username=username, address=address):
        throttle = LoginThrottle.objects.filter(scope=scope, key=key, locked_until__gt=moment).first()
        if throttle is not None and throttle.locked_until is not None:
            latest = throttle.locked_until if latest is None else max(latest, throttle.locked_until)
    return latest


def confirmed_totp_device(user: User) -> TotpDevice | None:
    """The user's confirmed authenticator, if any."""
    return TotpDevice.objects.filter(user=user, confirmed=True).first()


def user_memberships(user: User) -> QuerySet[Membership]:
    """The user's active memberships with their units, for display."""
    return (
        Membership.objects.filter(user=user, active=True, unit__active=True)
        .select_related("unit")
        .order_by("unit__name", "role")
    )


def api_tokens_of(user: User) -> QuerySet[ApiToken]:
    """The user's tokens, newest first (only prefixes are ever shown)."""
    return ApiToken.objects.filter(user=user).order_by("-created_at")


def provider_root_units() -> QuerySet[OrgUnit]:
    """Active units of kind provider at the root of the tree (there should be exactly one)."""
    return OrgUnit.objects.filter(kind=UnitKind.PROVIDER, parent__isnull=True, active=True)
