"""The API's token and session authentication, /api/v1/accounts/me, the error shape, and `regdesk token`."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from regdesk.accounts.models import ApiToken, OrgUnit, User
from regdesk.accounts.roles import Role, UnitKind
from regdesk.accounts.services import api_token_create, api_token_revoke
from tests.accounts.helpers import login_fully, login_with_password, make_unit, make_user

pytestmark = pytest.mark.django_db

ME = "/api/v1/accounts/me"


@pytest.fixture
def clerk() -> User:
    provider = make_unit("provider", UnitKind.PROVIDER)
    return make_user("clerk", (make_unit("outlet", UnitKind.OUTLET, provider), Role.COUNTER_CLERK))


def bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_me_with_a_token(client: Client, clerk: User) -> None:
    _token, plain = api_token_create(actor=None, user=clerk, name="integration")
    response = client.get(ME, **bearer(plain))  # type: ignore[arg-type]
    assert response.status_code == 200
    body = response.json()
    assert body["username"] == "clerk"
    assert body["roles"] == ["counter_clerk"]
    assert body["memberships"] == [{"role": "counter_clerk", "unit_code": "outlet", "unit_name": "Unit outlet"}]


def test_me_with_a_complete_session(client: Client, clerk: User) -> None:
    login_fully(client, clerk)
    assert client.get(ME).json()["username"] == "clerk"


def test_a_session_that_still_owes_the_second_factor_is_not_enough(client: Client, clerk: User) -> None:
    login_with_password(client, "clerk")
    response = client.get(ME)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"


@pytest.mark.parametrize("header", [None, "Bearer", "Bearer rdk_00000000_nothing", "Basic Y2xlcms6cGFzcw=="])
def test_missing_or_unknown_tokens_get_401_with_the_error_shape(client: Client, header: str | None) -> None:
    extra = {"HTTP_AUTHORIZATION": header} if header else {}
    response = client.get(ME, **extra)  # type: ignore[arg-type]
    assert response.status_code == 401
    error = response.json()["error"]
    assert set(error) == {"code", "message", "fields"}
    assert error["code"] == "unauthenticated"


def test_revoked_and_expired_tokens_are_refused(client: Client, clerk: User) -> None:
    token, plain = api_token_create(actor=None, user=clerk, name="old")
    api_token_revoke(actor=None, token=token)
    assert client.get(ME, **bearer(plain)).status_code == 401  # type: ignore[arg-type]
    _expired, expired_plain = api_token_create(
        actor=None, user=clerk, name="expired", days=1, moment=timezone.now() - timedelta(days=2)
    )
    assert client.get(ME, **bearer(expired_plain)).status_code == 401  # type: ignore[arg-type]


def test_tokens_of_disabled_users_are_refused(client: Client, clerk: User) -> None:
    _token, plain = api_token_create(actor=None, user=clerk, name="x")
    User.objects.filter(pk=clerk.pk).update(is_active=False)
    assert client.get(ME, **bearer(plain)).status_code == 401  # type: ignore[arg-type]


def test_health(client: Client) -> None:
    response = client.get("/api/v1/health")
    assert response.status_code == 200
    # Only the parts the accounts app cares about; the queue and regulator-poll parts belong to the health report.
    assert {key: response.json()[key] for key in ("status", "database")} == {"status": "ok", "database": "ok"}


def test_token_command_creates_prints_once_and_revokes(client: Client, clerk: User) -> None:
    out = io.StringIO()
    call_command("token", "create", "clerk", "--name", "ci", "--days", "7", stdout=out)
    lines = out.getvalue().splitlines()
    assert len(lines) == 1
    plain = lines[0]
    token = ApiToken.objects.get()
    assert plain.startswith(f"rdk_{token.prefix}_")
    assert token.name == "ci"
    assert token.expires_at is not None
    assert client.get(ME, **bearer(plain)).status_code == 200  # type: ignore[arg-type]
    call_command("token", "revoke", token.prefix, stdout=io.StringIO())
    assert client.get(ME, **bearer(plain)).status_code == 401  # type: ignore[arg-type]


def test_token_command_revokes_a_pasted_whole_token(clerk: User) -> None:
    token, plain = api_token_create(actor=None, user=clerk, name="pasted")
    call_command("token", "revoke", plain, stdout=io.StringIO())
    token.refresh_from_db()
    assert token.revoked_at is not None


@pytest.mark.parametrize(
    "arguments",
    [["create", "nobody"], ["revoke", "ffffffff"], ["create", "clerk", "--days", "0"]],
)
def test_token_command_usage_errors_exit_2(clerk: User, arguments: list[str]) -> None:
    with pytest.raises(CommandError) as raised:
        call_command("token", *arguments, stdout=io.StringIO())
    assert raised.value.returncode == 2
    assert not ApiToken.objects.exists()


def test_unused_units_do_not_leak_into_me(client: Client, clerk: User) -> None:
    OrgUnit.objects.create(code="elsewhere", name="Elsewhere", kind=UnitKind.BRANCH)
    login_fully(client, clerk)
    assert [m["unit_code"] for m in client.get(ME).json()["memberships"]] == ["outlet"]
