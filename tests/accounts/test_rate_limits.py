"""Per-client limits of the anonymous forms (the self-service one-ID lookup, sign-up, login), the 429 page in both
languages and in the API's error shape, the login lockout behind a shared address, and the client address behind
trusted proxies."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from pytest_django.fixtures import Settings as SettingsWrapper

from regdesk.accounts.client_address import client_address, client_network
from regdesk.accounts.models import LoginThrottle, OrgUnit, User
from regdesk.accounts.roles import Role, UnitKind
from regdesk.accounts.selectors import login_locked_until
from regdesk.accounts.views import too_many_requests
from regdesk.audit.models import AuditEvent
from regdesk.subscribers.models import LookupChallenge
from tests.accounts.helpers import PASSWORD, make_unit, make_user

pytestmark = pytest.mark.django_db

NAT_ADDRESS = "198.51.100.20"
RATE_LIMITED_ZH = "请求过于频繁"
RATE_LIMITED_EN = "Too many requests"
# GB 11643: the weights of the first 17 digits and the check characters by the remainder of their sum.
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"


def resident_id(serial: int) -> str:
    """A well-formed resident ID number (Beijing Dongcheng, born 1 January 1990) with sequence ``serial``."""
    body = f"11010119900101{serial:03d}"
    return body + _CHECK[sum(int(digit) * weight for digit, weight in zip(body, _WEIGHTS, strict=True)) % 11]


def ask_for_code(client: Client, serial: int, address: str = NAT_ADDRESS) -> int:
    response = client.post(
        reverse("subscribers_self_service:start"),
        {"document_type": "resident_id", "document_number": resident_id(serial), "line_number": "13900000001"},
        REMOTE_ADDR=address,
    )
    return response.status_code


def test_resident_ids_of_the_helper_are_valid() -> None:
    from regdesk.rules.identity.resident import validate_resident_id

    assert all(validate_resident_id(resident_id(serial), date(2026, 1, 1)).valid for serial in range(1, 41))


# --- the self-service one-ID lookup ------------------------------------------------------------------------------


def test_forty_lookups_from_one_address_stop_at_the_limit_without_a_challenge(settings: SettingsWrapper) -> None:
    settings.REGDESK_RATE_LOOKUP_PER_ADDRESS = "20/h"
    # A new client each time: no session to count by, as an attacker who drops the cookie.
    statuses = [ask_for_code(Client(), serial) for serial in range(1, 41)]
    assert statuses == [302] * 20 + [429] * 20
    assert LookupChallenge.objects.count() == 20
    page = Client().post(reverse("subscribers_self_service:start"), {}, REMOTE_ADDR=NAT_ADDRESS)
    assert page.status_code == 429
    assert RATE_LIMITED_ZH in page.content.decode()
    english = Client().post(
        reverse("subscribers_self_service:start"), {}, REMOTE_ADDR=NAT_ADDRESS, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert RATE_LIMITED_EN in english.content.decode()
    # Reading the form is free, and another address is counted on its own.
    assert Client().get(reverse("subscribers_self_service:start"), REMOTE_ADDR=NAT_ADDRESS).status_code == 200
    assert ask_for_code(Client(), 41, address="192.0.2.99") == 302
    assert LookupChallenge.objects.count() == 21


def test_lookups_from_one_session_are_limited_whatever_the_address(settings: SettingsWrapper) -> None:
    settings.REGDESK_RATE_LOOKUP_PER_SESSION = "5/h"
    client = Client()
    statuses = [ask_for_code(client, serial, address=f"203.0.113.{serial}") for serial in range(1, 41)]
    # The first request starts the session; the five after it are counted in it, then the session is refused.
    assert statuses == [302] * 6 + [429] * 34
    assert LookupChallenge.objects.count() == 6


def test_an_ipv6_client_is_counted_by_its_64_prefix(settings: SettingsWrapper) -> None:
    settings.REGDESK_RATE_LOOKUP_PER_ADDRESS = "3/h"
    statuses = [ask_for_code(Client(), serial, address=f"2001:db8:1:2::{serial:x}") for serial in range(1, 6)]
    assert statuses == [302, 302, 302, 429, 429]
    assert ask_for_code(Client(), 6, address="2001:db8:1:3::1") == 302


# --- sign-up -----------------------------------------------------------------------------------------------------


def test_sign_up_is_limited_per_address(settings: SettingsWrapper) -> None:
    settings.REGDESK_RATE_SIGNUP_PER_ADDRESS = "3/h"
    make_unit("provider", UnitKind.PROVIDER)
    statuses = [
        Client()
        .post(
            reverse("web:portal_signup"),
            {
                "username": f"owner{number}",
                "email": f"owner{number}@example.cn",
                "password": PASSWORD,
                "password_again": PASSWORD,
            },
            REMOTE_ADDR=NAT_ADDRESS,
        )
        .status_code
        for number in range(5)
    ]
    assert statuses == [302, 302, 302, 429, 429]
    assert sorted(User.objects.values_list("username", flat=True)) == ["owner0", "owner1", "owner2"]


# --- login -------------------------------------------------------------------------------------------------------


@pytest.fixture
def provider() -> OrgUnit:
    return make_unit("provider", UnitKind.PROVIDER)


def log_in(username: str, password: str, address: str, client: Client | None = None, forwarded: str = "") -> int:
    response = (client or Client()).post(
        reverse("web:portal_login"),
        {"username": username, "password": password},
        headers={"X-Forwarded-For": forwarded} if forwarded else None,
        REMOTE_ADDR=address,
    )
    return response.status_code


def test_one_attacker_behind_a_nat_address_does_not_lock_a_colleague_out(
    settings: SettingsWrapper, provider: OrgUnit
) -> None:
    settings.REGDESK_LOGIN_MAX_FAILURES = 3
    make_user("victim", (provider, Role.WEBSITE_OWNER))
    make_user("colleague", (provider, Role.WEBSITE_OWNER))
    for _attempt in range(6):
        log_in("victim", "not-the-password", NAT_ADDRESS)
    assert login_locked_until(username="victim", address=NAT_ADDRESS) is not None
    # Even the right password is refused for the attacked account at that address ...
    assert log_in("victim", PASSWORD, NAT_ADDRESS) == 200
    # ... while the colleague behind the same address logs in, and so does the victim from home.
    assert log_in("colleague", PASSWORD, NAT_ADDRESS) == 302
    assert log_in("victim", PASSWORD, "192.0.2.44") == 302
    # Attempts refused by the lockout check no password and count no further.
    assert AuditEvent.objects.filter(action="login.fail").count() == 3


def test_the_username_is_locked_everywhere_after_the_larger_number_of_failures(
    settings: SettingsWrapper, provider: OrgUnit
) -> None:
    settings.REGDESK_LOGIN_MAX_FAILURES = 3
    settings.REGDESK_LOGIN_USERNAME_MAX_FAILURES = 5
    make_user("target", (provider, Role.WEBSITE_OWNER))
    for attempt in range(4):
        log_in("target", "not-the-password", f"203.0.113.{attempt}")
    assert login_locked_until(username="target", address="192.0.2.1") is None
    log_in("target", "not-the-password", "203.0.113.4")
    response = Client().post(
        reverse("web:portal_login"), {"username": "target", "password": PASSWORD}, REMOTE_ADDR="192.0.2.1"
    )
    assert response.status_code == 200
    assert "登录已被锁定" in response.content.decode()
    assert "_auth_user_id" not in response.client.session
    assert LoginThrottle.objects.get(scope="username", key="target").failures == 5


def test_login_attempts_are_limited_per_address_over_all_usernames(settings: SettingsWrapper) -> None:
    settings.REGDESK_RATE_LOGIN_PER_ADDRESS = "5/10m"
    statuses = [log_in(f"guess{number}", "not-the-password", NAT_ADDRESS) for number in range(8)]
    assert statuses == [200] * 5 + [429] * 3
    assert AuditEvent.objects.filter(action="login.fail").count() == 5
    # The staff login is the same form and shares the count.
    staff = Client().post(reverse("accounts:login"), {"username": "x", "password": "y"}, REMOTE_ADDR=NAT_ADDRESS)
    assert staff.status_code == 429


def test_login_attempts_are_limited_per_session(settings: SettingsWrapper, provider: OrgUnit) -> None:
    settings.REGDESK_RATE_LOGIN_PER_SESSION = "3/10m"
    client = Client()
    # A browser that has used the site before carries a session cookie; the test client makes one on request.
    assert client.session.session_key
    statuses = [log_in(f"guess{number}", "wrong", f"203.0.113.{number}", client=client) for number in range(5)]
    assert statuses == [200, 200, 200, 429, 429]


def test_the_api_shape_for_a_refused_api_request() -> None:
    request = RequestFactory().post("/api/v1/anything")
    response = too_many_requests(request)
    assert response.status_code == 429
    body = json.loads(response.content)
    assert body["error"]["code"] == "rate_limited"
    assert body["error"]["message"]


# --- the client address behind proxies ------------------------------------------------------------------------


def address_of(remote: str, forwarded: str | None = None) -> str:
    headers = {"X-Forwarded-For": forwarded} if forwarded is not None else None
    return client_address(RequestFactory().get("/", headers=headers, REMOTE_ADDR=remote))


def test_forwarded_for_is_ignored_without_trusted_proxies() -> None:
    assert address_of("192.0.2.5", "198.51.100.1") == "192.0.2.5"


def test_forwarded_for_is_believed_from_a_trusted_proxy_only(settings: SettingsWrapper) -> None:
    settings.REGDESK_TRUSTED_PROXIES = ["10.0.0.0/8", "192.0.2.1"]
    # From the proxy: the right-most address that is not itself a trusted proxy; what the client wrote is left.
    assert address_of("10.1.2.3", "6.6.6.6, 198.51.100.7") == "198.51.100.7"
    assert address_of("192.0.2.1", "198.51.100.7, 10.9.9.9") == "198.51.100.7"
    # From anyone else the header is the client's own claim.
    assert address_of("203.0.113.9", "198.51.100.7") == "203.0.113.9"
    # A proxy that forwarded nothing usable: the proxy itself is the last address we know.
    assert address_of("10.1.2.3") == "10.1.2.3"
    assert address_of("10.1.2.3", "not-an-address") == "10.1.2.3"
    assert address_of("10.1.2.3", "10.4.4.4") == "10.4.4.4"
    assert address_of("::ffff:203.0.113.9") == "203.0.113.9"
    assert client_network(RequestFactory().get("/", REMOTE_ADDR="2001:db8:1:2::7")) == "2001:db8:1:2::/64"


def test_limits_lockout_and_audit_follow_the_address_a_trusted_proxy_forwards(
    settings: SettingsWrapper, provider: OrgUnit
) -> None:
    settings.REGDESK_TRUSTED_PROXIES = ["10.0.0.0/8"]
    settings.REGDESK_RATE_LOGIN_PER_ADDRESS = "3/10m"
    make_user("owner", (provider, Role.WEBSITE_OWNER))
    proxy = "10.0.0.2"
    # Two clients behind the proxy are counted apart; what a client writes into the header does not change it.
    for number in range(3):
        assert log_in("owner", "wrong", proxy, forwarded=f"6.6.6.{number}, 198.51.100.7") == 200
    assert log_in("owner", "wrong", proxy, forwarded="198.51.100.7") == 429
    assert log_in("owner", PASSWORD, proxy, forwarded="198.51.100.8") == 302
    event = AuditEvent.objects.filter(action="login.fail").first()
    assert event is not None
    assert event.request_address == "198.51.100.7"
    assert LoginThrottle.objects.filter(scope="pair", key="198.51.100.7 owner").exists()
    # A client that is not a proxy cannot escape its count by writing the header itself.
    statuses = [log_in("x", "y", "192.0.2.50", forwarded=f"198.51.100.{n}") for n in range(10, 14)]
    assert statuses == [200, 200, 200, 429]
