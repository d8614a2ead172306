"""Staff login with password and TOTP, enrolment, lockout messages, the second-factor and idle-timeout
middleware, logout."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings as SettingsWrapper

from regdesk.accounts import totp
from regdesk.accounts.login_state import SECOND_FACTOR_KEY
from regdesk.accounts.models import LoginThrottle, OrgUnit, TotpDevice, User
from regdesk.accounts.roles import Role, UnitKind
from tests.accounts.helpers import PASSWORD, current_code, enrol_totp, login_with_password, make_unit, make_user

pytestmark = pytest.mark.django_db

WRONG_CODE_ZH = "验证码错误或已过期"
WRONG_CODE_EN = "The verification code is wrong or has expired."


@pytest.fixture
def provider() -> OrgUnit:
    return make_unit("provider", UnitKind.PROVIDER)


@pytest.fixture
def staff(provider: OrgUnit) -> User:
    return make_user("specialist", (make_unit("beijing", parent=provider), Role.SPECIALIST))


def other_code(code: str) -> str:
    return str((int(code) + 1) % 1_000_000).zfill(6)


def test_staff_login_needs_password_then_code(client: Client, staff: User) -> None:
    secret = enrol_totp(staff)
    response = login_with_password(client, "specialist")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:totp_verify")
    # Half logged in: every page but the TOTP step sends back to it.
    assert client.get(reverse("web:desk_home"))["Location"] == reverse("accounts:totp_verify")
    page = client.get(reverse("accounts:totp_verify"))
    assert "验证码" in page.content.decode()
    response = client.post(reverse("accounts:totp_verify"), {"code": current_code(secret)})
    assert response["Location"] == reverse("web:desk_home")
    assert client.get(reverse("web:desk_home")).status_code == 200


def test_a_wrong_code_is_refused_with_a_clear_message(client: Client, staff: User) -> None:
    secret = enrol_totp(staff)
    login_with_password(client, "specialist")
    response = client.post(reverse("accounts:totp_verify"), {"code": other_code(current_code(secret))})
    assert response.status_code == 200
    assert WRONG_CODE_ZH in response.content.decode()
    assert client.get(reverse("web:desk_home")).status_code == 302
    english = client.post(reverse("accounts:totp_verify"), {"code": "000000x"}, HTTP_ACCEPT_LANGUAGE="en", follow=False)
    assert WRONG_CODE_EN in english.content.decode()
    assert LoginThrottle.objects.get(scope="username", key="specialist").failures == 2


def test_a_code_used_once_is_refused_the_second_time(staff: User) -> None:
    secret = enrol_totp(staff)
    code = current_code(secret)
    first, second = Client(), Client()
    login_with_password(first, "specialist")
    login_with_password(second, "specialist")
    assert first.post(reverse("accounts:totp_verify"), {"code": code}).status_code == 302
    response = second.post(reverse("accounts:totp_verify"), {"code": code})
    assert response.status_code == 200
    assert WRONG_CODE_ZH in response.content.decode()


def test_wrong_password_message_and_lockout_until_a_time(
    client: Client, staff: User, settings: SettingsWrapper
) -> None:
    settings.REGDESK_LOGIN_MAX_FAILURES = 3
    noon_shanghai = datetime(2026, 5, 6, 4, 0, tzinfo=UTC)
    with time_machine.travel(noon_shanghai, tick=False):
        response = login_with_password(client, "specialist", "wrong-password")
        assert "用户名或密码错误" in response.content.decode()
        login_with_password(client, "specialist", "wrong-password")
        response = login_with_password(client, "specialist", "wrong-password")
        assert "登录已被锁定至 12:15" in response.content.decode()
        # Even the right password is refused while locked, and the message says when to retry.
        response = login_with_password(client, "specialist")
        assert response.status_code == 200
        assert "12:15" in response.content.decode()
        english = client.post(
            reverse("accounts:login"),
            {"username": "specialist", "password": PASSWORD},
            HTTP_ACCEPT_LANGUAGE="en",
        )
        assert "locked until 12:15" in english.content.decode()
    with time_machine.travel(noon_shanghai + timedelta(minutes=16), tick=False):
        response = login_with_password(client, "specialist")
        assert response.status_code == 302


def test_staff_without_an_authenticator_enrol_after_the_password(client: Client, staff: User) -> None:
    response = login_with_password(client, "specialist")
    assert client.get(response["Location"])["Location"] == reverse("accounts:totp_enrol")
    page = client.get(reverse("accounts:totp_enrol"))
    body = page.content.decode()
    assert "<svg" in body
    secret = page.context["secret"]
    assert secret in body
    assert TotpDevice.objects.get(user=staff).confirmed is False
    # Reloading the page shows the same pending secret rather than a new one.
    assert client.get(reverse("accounts:totp_enrol")).context["secret"] == secret
    response = client.post(reverse("accounts:totp_enrol"), {"code": "123"})
    assert WRONG_CODE_ZH in response.content.decode()
    response = client.post(reverse("accounts:totp_enrol"), {"code": totp.code_at(secret, datetime.now(tz=UTC))})
    assert response["Location"] == reverse("web:desk_home")
    assert TotpDevice.objects.get(user=staff).confirmed
    assert client.get(reverse("web:desk_home")).status_code == 200


def test_the_second_factor_flag_is_not_carried_over_from_an_old_session(client: Client, staff: User) -> None:
    secret = enrol_totp(staff)
    login_with_password(client, "specialist")
    key_before = client.session.session_key
    client.post(reverse("accounts:totp_verify"), {"code": current_code(secret)})
    assert client.session.session_key != key_before
    assert client.session[SECOND_FACTOR_KEY]


def test_owners_log_in_at_the_portal_without_a_code(client: Client, provider: OrgUnit) -> None:
    make_user("owner", (provider, Role.WEBSITE_OWNER))
    response = login_with_password(client, "owner", portal=True)
    assert response["Location"] == reverse("web:portal_home")
    assert client.get(reverse("web:portal_home")).status_code == 200


def test_owners_who_enrolled_are_asked_for_the_code(client: Client, provider: OrgUnit) -> None:
    owner = make_user("owner", (provider, Role.WEBSITE_OWNER))
    secret = enrol_totp(owner)
    response = login_with_password(client, "owner", portal=True)
    assert response["Location"] == reverse("accounts:totp_verify")
    response = client.post(reverse("accounts:totp_verify"), {"code": current_code(secret)})
    assert response["Location"] == reverse("web:portal_home")


def test_next_is_followed_only_within_the_site(client: Client, staff: User) -> None:
    secret = enrol_totp(staff)
    client.post(reverse("accounts:login") + "?next=/desk/units/", {"username": "specialist", "password": PASSWORD})
    response = client.post(reverse("accounts:totp_verify"), {"code": current_code(secret)})
    assert response["Location"] == "/desk/units/"
    other = Client()
    other.post(
        reverse("accounts:login"), {"username": "specialist", "password": PASSWORD, "next": "https://evil.example/"}
    )
    response = other.post(
        reverse("accounts:totp_verify"), {"code": totp.code_at(secret, datetime.now(tz=UTC) + timedelta(seconds=30))}
    )
    assert response["Location"] == reverse("web:desk_home")


def test_idle_sessions_are_logged_out_with_a_message(client: Client, staff: User, settings: SettingsWrapper) -> None:
    settings.REGDESK_IDLE_TIMEOUT_MINUTES = 30
    start = datetime(2026, 5, 6, 2, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=False) as traveller:
        secret = enrol_totp(staff)
        login_with_password(client, "specialist")
        client.post(reverse("accounts:totp_verify"), {"code": current_code(secret)})
        traveller.shift(timedelta(minutes=29))
        assert client.get(reverse("web:desk_home")).status_code == 200
        # Activity restarts the count: 29 more minutes are still fine.
        traveller.shift(timedelta(minutes=29))
        assert client.get(reverse("web:desk_home")).status_code == 200
        traveller.shift(timedelta(minutes=31))
        response = client.get(reverse("web:desk_home"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
        assert "_auth_user_id" not in client.session
        page = client.get(response["Location"])
        assert "由于长时间未操作" in page.content.decode()
        assert client.get(reverse("web:desk_home")).status_code == 302


def test_logout_needs_post(client: Client, staff: User) -> None:
    secret = enrol_totp(staff)
    login_with_password(client, "specialist")
    client.post(reverse("accounts:totp_verify"), {"code": current_code(secret)})
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.get(reverse("web:desk_home")).status_code == 200
    response = client.post(reverse("accounts:logout"))
    assert response["Location"] == reverse("accounts:login")
    assert client.get(reverse("web:desk_home")).status_code == 302


def test_idle_htmx_requests_are_sent_to_the_login_page_whole(
    client: Client, staff: User, settings: SettingsWrapper
) -> None:
    settings.REGDESK_IDLE_TIMEOUT_MINUTES = 5
    start = datetime(2026, 5, 6, 2, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=False) as traveller:
        secret = enrol_totp(staff)
        login_with_password(client, "specialist")
        client.post(reverse("accounts:totp_verify"), {"code": current_code(secret)})
        traveller.shift(timedelta(minutes=6))
        response = client.get(reverse("web:desk_home"), HTTP_HX_REQUEST="true")
        assert response["HX-Redirect"] == reverse("accounts:login")
