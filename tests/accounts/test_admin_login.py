"""The configuration site (/admin/) has no login of its own: /admin/login/ leads to the desk's login, with its
second factor, lockout and audit of failures."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlencode

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings as SettingsWrapper

from regdesk.accounts.models import LoginThrottle, OrgUnit, User
from regdesk.accounts.roles import Role, UnitKind
from regdesk.accounts.services import user_grant_admin_site
from regdesk.audit.models import AuditEvent
from tests.accounts.helpers import PASSWORD, current_code, enrol_totp, make_unit, make_user

pytestmark = pytest.mark.django_db

ADMIN_INDEX = "/admin/"
DESK_LOGIN_FOR_ADMIN = f"{reverse('accounts:login')}?{urlencode({'next': ADMIN_INDEX}, safe='/')}"


@pytest.fixture
def administrator() -> User:
    provider = make_unit("provider", UnitKind.PROVIDER)
    user = make_user("admin", (provider, Role.ADMINISTRATOR))
    return user_grant_admin_site(actor=None, user=user)


def test_the_admin_login_page_is_the_desk_login(client: Client) -> None:
    entry = client.get(ADMIN_INDEX)
    assert entry.status_code == 302
    login_page = client.get(entry["Location"])
    assert login_page.status_code == 302
    assert login_page["Location"] == DESK_LOGIN_FOR_ADMIN
    # A link that leads elsewhere is not followed.
    outside = client.get("/admin/login/?next=https://attacker.example/")
    assert outside["Location"] == DESK_LOGIN_FOR_ADMIN


def test_a_password_posted_to_the_admin_login_logs_nobody_in(client: Client, administrator: User) -> None:
    enrol_totp(administrator)
    response = client.post("/admin/login/", {"username": "admin", "password": PASSWORD, "next": ADMIN_INDEX})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert "_auth_user_id" not in client.session
    assert client.get(ADMIN_INDEX).status_code == 302


def test_failed_admin_logins_are_locked_out_and_audited_like_the_desk(
    client: Client, administrator: User, settings: SettingsWrapper
) -> None:
    settings.REGDESK_LOGIN_MAX_FAILURES = 3
    secret = enrol_totp(administrator)
    login_url = client.get("/admin/login/?next=/admin/")["Location"]
    noon_shanghai = datetime(2026, 5, 6, 4, 0, tzinfo=UTC)
    with time_machine.travel(noon_shanghai, tick=False):
        for _attempt in range(3):
            response = client.post(login_url, {"username": "admin", "password": "wrong-password", "next": "/admin/"})
            assert response.status_code == 200
        assert "登录已被锁定至 12:15" in response.content.decode()
        refused = client.post(login_url, {"username": "admin", "password": PASSWORD, "next": "/admin/"})
        assert "登录已被锁定至 12:15" in refused.content.decode()
        assert "_auth_user_id" not in client.session
    failures = AuditEvent.objects.filter(action="login.fail", object_id=str(administrator.pk))
    assert failures.count() == 3
    assert {event.request_address for event in failures} == {"127.0.0.1"}
    assert LoginThrottle.objects.get(scope="pair", key="127.0.0.1 admin").locked_until is not None
    # Once the lockout is over, the password and the code lead back to the configuration site.
    LoginThrottle.objects.all().delete()
    response = client.post(login_url, {"username": "admin", "password": PASSWORD, "next": "/admin/"})
    assert response["Location"] == reverse("accounts:totp_verify")
    response = client.post(reverse("accounts:totp_verify"), {"code": current_code(secret)})
    assert response["Location"] == ADMIN_INDEX
    assert client.get(ADMIN_INDEX).status_code == 200


def test_staff_without_an_authenticator_do_not_reach_the_admin_site(client: Client, administrator: User) -> None:
    response = client.post(reverse("accounts:login"), {"username": "admin", "password": PASSWORD, "next": "/admin/"})
    assert response["Location"] == reverse("accounts:totp_verify")
    page = client.get(ADMIN_INDEX)
    assert page.status_code == 302
    assert page["Location"] == reverse("accounts:totp_verify")
    assert client.get(page["Location"])["Location"] == reverse("accounts:totp_enrol")


def test_the_admin_site_itself_requires_the_second_factor(
    client: Client, administrator: User, settings: SettingsWrapper
) -> None:
    # Without the session middleware that guards every page, the site still refuses a password-only session.
    settings.MIDDLEWARE = [name for name in settings.MIDDLEWARE if not name.startswith("regdesk.accounts.middleware")]
    client.force_login(administrator)
    page = client.get(ADMIN_INDEX)
    assert page.status_code == 302
    assert page["Location"].startswith("/admin/login/")


def test_a_non_staff_user_with_both_factors_is_not_admitted(client: Client) -> None:
    provider: OrgUnit = make_unit("provider", UnitKind.PROVIDER)
    specialist = make_user("specialist", (provider, Role.SPECIALIST))
    secret = enrol_totp(specialist)
    client.post(reverse("accounts:login"), {"username": "specialist", "password": PASSWORD})
    client.post(reverse("accounts:totp_verify"), {"code": current_code(secret)})
    assert client.get(ADMIN_INDEX).status_code == 302
