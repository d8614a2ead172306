"""Builders shared by the accounts, web and browser tests. Users and memberships go through the services."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from regdesk.accounts import totp
from regdesk.accounts.login_state import LAST_ACTIVITY_KEY, SECOND_FACTOR_KEY
from regdesk.accounts.models import OrgUnit, User
from regdesk.accounts.roles import UnitKind
from regdesk.accounts.services import membership_grant, totp_enrol_confirm, totp_enrol_start, user_create

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse

PASSWORD = "Correct-Horse-Battery-7"
ACCOUNT_MIDDLEWARE = [
    "regdesk.accounts.middleware.StaffSecondFactorMiddleware",
    "regdesk.accounts.middleware.IdleTimeoutMiddleware",
]


def with_account_middleware(middleware: list[str]) -> list[str]:
    """MIDDLEWARE with the accounts middleware right after AuthenticationMiddleware (idempotent)."""
    result = [name for name in middleware if name not in ACCOUNT_MIDDLEWARE]
    index = result.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1
    return [*result[:index], *ACCOUNT_MIDDLEWARE, *result[index:]]


def make_unit(code: str, kind: str = UnitKind.BRANCH, parent: OrgUnit | None = None) -> OrgUnit:
    # Units come from demo data or configuration; no service creates them, so tests insert them directly.
    return OrgUnit.objects.create(code=code, name=f"Unit {code}", kind=kind, parent=parent)


def make_user(username: str, *roles: tuple[OrgUnit, str], password: str = PASSWORD) -> User:
    user = user_create(actor=None, username=username, password=password, email=f"{username}@example.cn")
    for unit, role in roles:
        membership_grant(actor=None, user=user, unit=unit, role=role)
    return user


def enrol_totp(user: User) -> str:
    """Enrol and confirm an authenticator two steps in the past, so a code of the current step is still fresh."""
    enrolment = totp_enrol_start(actor=user, user=user)
    earlier = timezone.now() - timedelta(seconds=2 * totp.INTERVAL_SECONDS)
    totp_enrol_confirm(actor=user, user=user, code=totp.code_at(enrolment.secret, earlier), moment=earlier)
    return enrolment.secret


def current_code(secret: str) -> str:
    return totp.code_at(secret, timezone.now())


def login_fully(client: Client, user: User) -> None:
    """A session that has passed every login step (for tests about pages, not about the login itself)."""
    client.force_login(user)
    session = client.session
    session[SECOND_FACTOR_KEY] = int(timezone.now().timestamp())
    session[LAST_ACTIVITY_KEY] = int(timezone.now().timestamp())
    session.save()


def login_with_password(
    client: Client, username: str, password: str = PASSWORD, *, portal: bool = False
) -> TestResponse:
    url = reverse("web:portal_login" if portal else "accounts:login")
    return client.post(url, {"username": username, "password": password})
