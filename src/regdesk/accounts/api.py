"""JSON API of the accounts app, mounted under /api/v1/accounts/."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from regdesk.accounts.api_auth import SessionOrToken
from regdesk.accounts.models import User
from regdesk.accounts.selectors import user_memberships

router = Router(tags=["accounts"])


class MembershipOut(Schema):
    role: str
    unit_code: str
    unit_name: str


class MeOut(Schema):
    username: str
    display_name: str
    roles: list[str]
    memberships: list[MembershipOut]


@router.get("/me", response=MeOut, auth=SessionOrToken)
def me(request: HttpRequest) -> MeOut:
    """The caller: username and roles (with the unit of each membership). Token or session."""
    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, User)  # noqa: S101 - both authenticators return our user
    memberships = list(user_memberships(user))
    return MeOut(
        username=user.username,
        display_name=user.display_name,
        roles=sorted({membership.role for membership in memberships}),
        memberships=[
            MembershipOut(role=membership.role, unit_code=membership.unit.code, unit_name=membership.unit.name)
            for membership in memberships
        ],
    )
