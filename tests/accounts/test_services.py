"""The accounts services: users, memberships, lockout, TOTP with replay protection, API tokens, owner sign-up."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.utils import timezone
from pytest_django.fixtures import Settings as SettingsWrapper

from regdesk.accounts import totp
from regdesk.accounts.errors import AccountsError
from regdesk.accounts.models import ApiToken, LoginThrottle, Membership, OrgUnit, TotpDevice, User
from regdesk.accounts.roles import Role, UnitKind
from regdesk.accounts.selectors import login_locked_until
from regdesk.accounts.services import (
    api_token_authenticate,
    api_token_create,
    api_token_revoke,
    login_attempt_record,
    membership_grant,
    membership_revoke,
    org_unit_create,
    owner_account_create,
    totp_device_reset,
    totp_enrol_confirm,
    totp_enrol_start,
    totp_secret,
    totp_verify,
    user_create,
    user_grant_admin_site,
    user_set_password,
)
from regdesk.audit.models import AuditEvent
from regdesk.privacy.crypto import DecryptionError
from tests.accounts.helpers import PASSWORD, make_unit, make_user

pytestmark = pytest.mark.django_db

NOON = datetime(2026, 3, 2, 4, 0, tzinfo=UTC)  # 12:00 in Shanghai


def audit_text() -> str:
    return json.dumps([event.chained_fields() for event in AuditEvent.objects.all()], ensure_ascii=False)


# --- users and memberships -------------------------------------------------------------------------------------


def test_user_create_hashes_the_password_and_audits_without_the_email(settings: SettingsWrapper) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    user = user_create(actor=None, username="li.na", password=PASSWORD, email="li.na@example.cn")
    assert user.check_password(PASSWORD)
    assert user.password.startswith("argon2")
    event = AuditEvent.objects.get(action="user.create")
    assert event.object_id == str(user.pk)
    assert "li.na@example.cn" not in audit_text()
    assert PASSWORD not in audit_text()


@pytest.mark.parametrize(
    ("username", "password", "email", "code", "field"),
    [
        ("", PASSWORD, "", "username_required", "username"),
        ("bad name!", PASSWORD, "", "username_invalid", "username"),
        ("wang", "1234567890123", "", "password_invalid", "password"),
        ("wang", "short", "", "password_invalid", "password"),
        ("wang", PASSWORD, "not-an-address", "email_invalid", "email"),
    ],
)
def test_user_create_refuses_bad_input_and_changes_nothing(
    username: str, password: str, email: str, code: str, field: str
) -> None:
    with pytest.raises(AccountsError) as raised:
        user_create(actor=None, username=username, password=password, email=email)
    assert (raised.value.code, raised.value.field) == (code, field)
    assert not User.objects.exists()
    assert not AuditEvent.objects.exists()


def test_usernames_are_unique_regardless_of_case() -> None:
    make_user("zhang")
    with pytest.raises(AccountsError) as raised:
        user_create(actor=None, username="ZHANG", password=PASSWORD)
    assert raised.value.code == "username_taken"
    assert User.objects.count() == 1


def test_user_set_password_validates_and_replaces() -> None:
    user = make_user("zhao")
    with pytest.raises(AccountsError):
        user_set_password(actor=None, user=user, password="password")
    user_set_password(actor=user, user=user, password="Another-Long-Secret-9")
    user.refresh_from_db()
    assert user.check_password("Another-Long-Secret-9")
    assert AuditEvent.objects.filter(action="user.set_password").get().changes == {"password": "changed"}


def test_membership_grant_revoke_and_grant_again_reuses_the_row() -> None:
    unit = make_unit("bj")
    user = make_user("qian")
    membership = membership_grant(actor=None, user=user, unit=unit, role=Role.SPECIALIST)
    membership_revoke(actor=None, membership=membership)
    assert not Membership.objects.get(pk=membership.pk).active
    again = membership_grant(actor=None, user=user, unit=unit, role=Role.SPECIALIST)
    assert again.pk == membership.pk
    assert again.active
    assert list(AuditEvent.objects.values_list("action", flat=True))[-3:] == [
        "membership.grant",
        "membership.revoke",
        "membership.grant",
    ]


def test_membership_grant_refuses_an_unknown_role() -> None:
    with pytest.raises(AccountsError):
        membership_grant(actor=None, user=make_user("sun"), unit=make_unit("sh"), role="emperor")
    assert not Membership.objects.exists()


# --- login lockout ---------------------------------------------------------------------------------------------


def test_lockout_after_the_configured_failures_and_reset_on_success(settings: SettingsWrapper) -> None:
    settings.REGDESK_LOGIN_MAX_FAILURES = 3
    settings.REGDESK_LOGIN_USERNAME_MAX_FAILURES = 10
    settings.REGDESK_LOGIN_LOCKOUT_MINUTES = 15
    with time_machine.travel(NOON, tick=False):
        for expected in (1, 2):
            outcome = login_attempt_record(actor=None, user=None, username="Zhou", address="10.0.0.1", succeeded=False)
            assert outcome.failures == expected
            assert outcome.locked_until is None
        outcome = login_attempt_record(actor=None, user=None, username="zhou", address="10.0.0.1", succeeded=False)
        assert outcome.locked_until == NOON + timedelta(minutes=15)
        # Locked is the username at that address; the same username elsewhere and others there are not.
        assert login_locked_until(username="ZHOU", address="10.0.0.1") == NOON + timedelta(minutes=15)
        assert login_locked_until(username="ZHOU", address="10.9.9.9") is None
        assert login_locked_until(username="wu", address="10.0.0.1") is None
    with time_machine.travel(NOON + timedelta(minutes=15, seconds=1), tick=False):
        assert login_locked_until(username="zhou", address="10.0.0.1") is None
        # The next mistake after an expired lockout starts a new series instead of locking again at once.
        outcome = login_attempt_record(actor=None, user=None, username="zhou", address="10.0.0.1", succeeded=False)
        assert outcome.locked_until is None
        assert LoginThrottle.objects.get(scope="pair", key="10.0.0.1 zhou").failures == 1
        login_attempt_record(actor=None, user=None, username="zhou", address="10.0.0.1", succeeded=True)
    assert set(LoginThrottle.objects.values_list("failures", flat=True)) == {0}
    assert AuditEvent.objects.filter(action="login.fail").count() == 4
    assert AuditEvent.objects.filter(action="login.succeed").count() == 1


def test_failures_of_many_usernames_from_one_address_lock_none_of_the_others(settings: SettingsWrapper) -> None:
    settings.REGDESK_LOGIN_MAX_FAILURES = 2
    for username in ("a1", "a2", "a3"):
        login_attempt_record(actor=None, user=None, username=username, address="192.0.2.7", succeeded=False)
    outcome = login_attempt_record(actor=None, user=None, username="a1", address="192.0.2.7", succeeded=False)
    assert outcome.locked_until is not None
    assert login_locked_until(username="a1", address="192.0.2.7") is not None
    # Behind the same (NAT) address, another account logs in as usual: guessing is bounded by the rate limit.
    assert login_locked_until(username="a4", address="192.0.2.7") is None
    assert login_locked_until(username="a2", address="192.0.2.7") is None


def test_the_username_alone_locks_after_the_larger_number_from_any_addresses(settings: SettingsWrapper) -> None:
    settings.REGDESK_LOGIN_MAX_FAILURES = 3
    settings.REGDESK_LOGIN_USERNAME_MAX_FAILURES = 6
    with time_machine.travel(NOON, tick=False):
        for attempt in range(5):
            outcome = login_attempt_record(
                actor=None, user=None, username="qian", address=f"203.0.113.{attempt}", succeeded=False
            )
            assert outcome.locked_until is None
        assert login_locked_until(username="qian", address="198.51.100.1") is None
        outcome = login_attempt_record(actor=None, user=None, username="qian", address="203.0.113.99", succeeded=False)
        assert outcome.locked_until == NOON + timedelta(minutes=15)
        # Now from every address, a new one included.
        assert login_locked_until(username="qian", address="198.51.100.1") == NOON + timedelta(minutes=15)
        assert login_locked_until(username="sun", address="203.0.113.99") is None


# --- TOTP ------------------------------------------------------------------------------------------------------


def test_totp_secret_is_stored_sealed_and_bound_to_its_user() -> None:
    user = make_user("feng")
    enrolment = totp_enrol_start(actor=user, user=user)
    device = TotpDevice.objects.get(user=user)
    assert enrolment.secret not in device.secret_sealed
    assert totp_secret(device) == enrolment.secret
    assert enrolment.uri.startswith("otpauth://totp/regdesk:feng?")
    assert "<svg" in enrolment.qr_code_svg()
    other = make_user("chen")
    stolen = TotpDevice.objects.create(user=other, secret_sealed=device.secret_sealed)
    with pytest.raises(DecryptionError):
        totp_secret(stolen)
    assert enrolment.secret not in audit_text()


def test_totp_enrolment_needs_a_correct_code() -> None:
    user = make_user("chu")
    enrolment = totp_enrol_start(actor=user, user=user)
    with time_machine.travel(NOON, tick=False):
        wrong = str((int(totp.code_at(enrolment.secret, NOON)) + 1) % 1_000_000).zfill(6)
        with pytest.raises(AccountsError) as raised:
            totp_enrol_confirm(actor=user, user=user, code=wrong)
        assert raised.value.code == "totp_code_invalid"
        assert not TotpDevice.objects.get(user=user).confirmed
        device = totp_enrol_confirm(actor=user, user=user, code=totp.code_at(enrolment.secret, NOON))
    assert device.confirmed
    assert device.last_used_step == totp.time_step(NOON)
    with pytest.raises(AccountsError):
        totp_enrol_start(actor=user, user=user)


def test_totp_code_is_refused_when_replayed_within_its_step() -> None:
    user = make_user("wei")
    enrolment = totp_enrol_start(actor=user, user=user)
    earlier = NOON - timedelta(minutes=5)
    totp_enrol_confirm(actor=user, user=user, code=totp.code_at(enrolment.secret, earlier), moment=earlier)
    code = totp.code_at(enrolment.secret, NOON)
    assert totp_verify(actor=user, user=user, code=code, moment=NOON)
    assert not totp_verify(actor=user, user=user, code=code, moment=NOON + timedelta(seconds=5))
    # The previous step's code is inside the drift window but older than the accepted step: refused too.
    assert not totp_verify(
        actor=user, user=user, code=totp.code_at(enrolment.secret, NOON - timedelta(seconds=30)), moment=NOON
    )
    later = NOON + timedelta(seconds=30)
    assert totp_verify(actor=user, user=user, code=totp.code_at(enrolment.secret, later), moment=later)
    assert code not in audit_text()


def test_totp_accepts_one_step_of_drift_but_not_more() -> None:
    user = make_user("jiang")
    enrolment = totp_enrol_start(actor=user, user=user)
    earlier = NOON - timedelta(minutes=10)
    totp_enrol_confirm(actor=user, user=user, code=totp.code_at(enrolment.secret, earlier), moment=earlier)
    assert not totp_verify(
        actor=user, user=user, code=totp.code_at(enrolment.secret, NOON - timedelta(seconds=90)), moment=NOON
    )
    assert totp_verify(
        actor=user, user=user, code=totp.code_at(enrolment.secret, NOON - timedelta(seconds=30)), moment=NOON
    )
    assert not totp_verify(actor=user, user=user, code="12a456", moment=NOON)


def test_totp_device_reset_allows_a_new_enrolment() -> None:
    user = make_user("shen")
    enrolment = totp_enrol_start(actor=user, user=user)
    totp_enrol_confirm(actor=user, user=user, code=totp.code_at(enrolment.secret, NOON), moment=NOON)
    totp_device_reset(actor=None, user=user)
    assert not TotpDevice.objects.filter(user=user).exists()
    assert totp_enrol_start(actor=user, user=user).secret != enrolment.secret


# --- API tokens ------------------------------------------------------------------------------------------------


def test_api_token_is_stored_only_as_its_sha256_hash() -> None:
    user = make_user("han")
    token, plain = api_token_create(actor=None, user=user, name="integration", days=30)
    assert plain.startswith(f"rdk_{token.prefix}_")
    assert token.secret_hash == hashlib.sha256(plain.encode()).hexdigest()
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM accounts_apitoken")
        rows = cursor.fetchall()
    assert plain not in repr(rows)
    assert plain not in audit_text()
    assert api_token_authenticate(plain) == user
    assert api_token_authenticate(plain + "x") is None
    assert api_token_authenticate("Bearer " + plain) is None


def test_api_token_expiry_revocation_and_last_use() -> None:
    user = make_user("yang")
    with time_machine.travel(NOON, tick=False):
        token, plain = api_token_create(actor=None, user=user, name="daily", days=1)
        assert api_token_authenticate(plain) == user
        token.refresh_from_db()
        assert token.last_used_at == NOON
    with time_machine.travel(NOON + timedelta(days=1, seconds=1), tick=False):
        assert api_token_authenticate(plain) is None
    second, second_plain = api_token_create(actor=None, user=user, name="other")
    api_token_revoke(actor=user, token=second)
    assert api_token_authenticate(second_plain) is None
    assert ApiToken.objects.get(pk=second.pk).revoked_at is not None


@pytest.mark.parametrize(("name", "days"), [("", None), ("x" * 101, None), ("ok", 0), ("ok", -3)])
def test_api_token_create_refuses_bad_input(name: str, days: int | None) -> None:
    with pytest.raises(AccountsError):
        api_token_create(actor=None, user=make_user("luo"), name=name, days=days)
    assert not ApiToken.objects.exists()


# --- owner sign-up ---------------------------------------------------------------------------------------------


def test_owner_sign_up_needs_the_provider_unit() -> None:
    with pytest.raises(AccountsError) as raised:
        owner_account_create(actor=None, username="owner1", email="owner1@example.cn", password=PASSWORD)
    assert raised.value.code == "provider_unit_missing"
    assert not User.objects.exists()


def test_owner_sign_up_grants_the_owner_role_in_the_provider_unit() -> None:
    provider = make_unit("provider", UnitKind.PROVIDER)
    make_unit("branch", UnitKind.BRANCH, parent=provider)
    user = owner_account_create(actor=None, username="owner1", email="owner1@example.cn", password=PASSWORD)
    membership = Membership.objects.get(user=user)
    assert (membership.unit, membership.role, membership.active) == (provider, Role.WEBSITE_OWNER, True)
    assert user.email == "owner1@example.cn"


def test_owner_sign_up_rolls_back_when_the_password_is_weak() -> None:
    make_unit("provider", UnitKind.PROVIDER)
    with pytest.raises(AccountsError):
        owner_account_create(actor=None, username="owner2", email="o2@example.cn", password="qwertyuiop")
    assert not User.objects.exists()
    assert timezone.now()  # the failed sign-up wrote no audit event either
    assert not AuditEvent.objects.exists()


def test_failed_logins_are_audited_against_the_account_without_blaming_its_owner() -> None:
    user = make_user("target")
    login_attempt_record(actor=None, user=user, username="target", address="198.51.100.4", succeeded=False)
    event = AuditEvent.objects.get(action="login.fail")
    assert (event.actor_id, event.actor_name, event.object_id) == (None, "system", str(user.pk))
    assert event.changes == {"failures": 1, "locked_until": None}


# --- organisation units and the configuration site -------------------------------------------------------------


def test_org_unit_create_builds_the_tree_and_audits() -> None:
    provider = org_unit_create(actor=None, code="provider", name="运营主体", kind=UnitKind.PROVIDER)
    branch = org_unit_create(
        actor=None, code="bj-branch", name="北京分公司", kind=UnitKind.BRANCH, parent=provider, region_code="110000"
    )
    assert branch.parent == provider
    assert AuditEvent.objects.filter(action="org_unit.create").count() == 2


@pytest.mark.parametrize(
    ("code", "kind", "with_parent", "region_code", "error"),
    [
        ("bad code", UnitKind.BRANCH, True, "", "unit_code_invalid"),
        ("x", "planet", True, "", "unit_kind_invalid"),
        ("x", UnitKind.BRANCH, False, "", "unit_parent_invalid"),
        ("x", UnitKind.PROVIDER, True, "", "unit_parent_invalid"),
        ("x", UnitKind.OUTLET, True, "11", "region_code_invalid"),
        ("root", UnitKind.OUTLET, True, "", "unit_code_taken"),
    ],
)
def test_org_unit_create_refuses_bad_input(
    code: str, kind: str, with_parent: bool, region_code: str, error: str
) -> None:
    root = make_unit("root", UnitKind.PROVIDER)
    with pytest.raises(AccountsError) as raised:
        org_unit_create(
            actor=None, code=code, name="n", kind=kind, parent=root if with_parent else None, region_code=region_code
        )
    assert raised.value.code == error
    assert OrgUnit.objects.count() == 1


def test_only_administrators_get_the_configuration_site() -> None:
    provider = make_unit("provider", UnitKind.PROVIDER)
    auditor = make_user("auditor", (provider, Role.AUDITOR))
    with pytest.raises(AccountsError):
        user_grant_admin_site(actor=None, user=auditor)
    assert not User.objects.get(pk=auditor.pk).is_staff
    administrator = make_user("admin", (provider, Role.ADMINISTRATOR))
    user_grant_admin_site(actor=None, user=administrator)
    administrator.refresh_from_db()
    assert administrator.is_staff
    assert not administrator.is_superuser


def _unit_change(unit: OrgUnit, parent: OrgUnit, *, phone: str = "", active: bool = True) -> OrgUnit:
    from regdesk.accounts.services import org_unit_change

    return org_unit_change(
        actor=None,
        unit=unit,
        name=unit.name,
        parent=parent,
        region_code="",
        served_regions="",
        address="",
        phone=phone,
        active=active,
    )


def test_org_unit_change_records_only_what_changed_and_refuses_a_cycle() -> None:
    provider = make_unit("provider", UnitKind.PROVIDER)
    branch = org_unit_create(actor=None, code="sc", name="四川分公司", kind=UnitKind.BRANCH, parent=provider)
    hall = org_unit_create(actor=None, code="sc-hall", name="营业厅", kind=UnitKind.OUTLET, parent=branch)
    assert _unit_change(branch, provider, phone="028-1").phone == "028-1"
    event = AuditEvent.objects.get(action="org_unit.change")
    assert event.changes == {"phone": ["", "028-1"]}
    _unit_change(branch, provider, phone="028-1")
    assert AuditEvent.objects.filter(action="org_unit.change").count() == 1
    for parent, active, error in ((hall, True, "unit_parent_cycle"), (provider, False, "unit_has_active_units")):
        with pytest.raises(AccountsError) as raised:
            _unit_change(branch, parent, phone="028-1", active=active)
        assert raised.value.code == error
    branch.refresh_from_db()
    assert (branch.parent, branch.active) == (provider, True)
