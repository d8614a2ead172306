"""Writes of the accounts app: users, memberships, second factors, login throttling and API tokens.

Each service runs in one transaction and records one audit event in it. Audit events never contain passwords,
TOTP secrets or codes, token secrets, or e-mail addresses.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth import password_validation
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from regdesk.accounts import config, totp
from regdesk.accounts.errors import AccountsError
from regdesk.accounts.models import ApiToken, LoginThrottle, Membership, OrgUnit, TotpDevice, User
from regdesk.accounts.roles import Role, UnitKind
from regdesk.accounts.selectors import provider_root_units, throttle_keys
from regdesk.audit.services import audit_record
from regdesk.privacy.crypto import decrypt_text, encrypt_text

TOKEN_MARKER = "rdk"  # noqa: S105 - the public marker that starts every token, not a secret
# Refreshing last_used_at on every request would turn each API read into a write; once a minute is enough to
# tell a token in use from a forgotten one.
TOKEN_LAST_USED_RESOLUTION = timedelta(minutes=1)
# A hundred years: longer validities are meaningless, and far longer ones overflow the date arithmetic.
TOKEN_MAX_DAYS = 36_500


# --- users -----------------------------------------------------------------------------------------------------


def _validated_password(password: str, user: User) -> None:
    try:
        password_validation.validate_password(password, user=user)
    except ValidationError as error:
        raise AccountsError("password_invalid", " ".join(error.messages), field="password") from None


def user_create(
    *,
    actor: User | None,
    username: str,
    password: str,
    email: str = "",
    display_name: str = "",
) -> User:
    """Create a user with a validated username, e-mail address and password (Django's password validators)."""
    username = username.strip()
    email = email.strip()
    if not username:
        raise AccountsError("username_required", _("Enter a username."), field="username")
    try:
        UnicodeUsernameValidator()(username)
    except ValidationError:
        raise AccountsError(
            "username_invalid",
            _("A username may contain only letters, digits and @/./+/-/_ (at most 150 characters)."),
            field="username",
        ) from None
    if len(username) > 150:
        raise AccountsError("username_invalid", _("A username may have at most 150 characters."), field="username")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise AccountsError("email_invalid", _("Enter a valid e-mail address."), field="email") from None
        # The column's width: PostgreSQL refuses a longer value (SQLite would store it).
        longest = User._meta.get_field("email").max_length or 254
        if len(email) > longest:
            raise AccountsError(
                "email_invalid",
                _("An e-mail address may have at most %(max)d characters.") % {"max": longest},
                field="email",
            )
    user = User(username=username, email=email, display_name=display_name.strip()[:100])
    _validated_password(password, user)
    with transaction.atomic():
        if User.objects.filter(username__iexact=username).exists():
            raise AccountsError("username_taken", _("This username is already taken."), field="username")
        user.set_password(password)
        user.save()
        audit_record(
            actor=actor,
            action="user.create",
            object_type="user",
            object_id=user.pk,
            changes={"username": user.username, "email_set": bool(email)},
        )
    return user


def user_set_password(*, actor: User | None, user: User, password: str) -> User:
    """Replace the user's password after running the password validators."""
    _validated_password(password, user)
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        audit_record(
            actor=actor,
            action="user.set_password",
            object_type="user",
            object_id=user.pk,
            changes={"password": "changed"},
        )
    return user


def user_grant_admin_site(*, actor: User | None, user: User) -> User:
    """Open /admin/ (configuration only) to an administrator: Django's staff flag, never the superuser flag.

    Only users holding the administrator role qualify; the flag also makes the second factor mandatory.
    """
    from regdesk.accounts.permissions import has_role

    if not has_role(user, Role.ADMINISTRATOR):
        raise AccountsError("not_an_administrator", _("Only administrators may use the configuration site."))
    with transaction.atomic():
        user.is_staff = True
        user.save(update_fields=["is_staff"])
        audit_record(
            actor=actor,
            action="user.grant_admin_site",
            object_type="user",
            object_id=user.pk,
            changes={"is_staff": True},
        )
    return user


# --- organisation units ----------------------------------------------------------------------------------------


# The service telephone of a unit, as customers dial it: digits with the usual separators and an extension.
_UNIT_PHONE = re.compile(r"[0-9][0-9 ()+\-转]{2,49}")


def org_unit_check(
    *,
    unit: OrgUnit | None,
    code: str,
    name: str,
    kind: str,
    parent: OrgUnit | None,
    region_code: str = "",
    served_regions: str = "",
    address: str = "",
    phone: str = "",
    active: bool = True,
) -> None:
    """Raise ``AccountsError`` (naming the field) unless these are valid fields of a new unit (``unit`` is
    ``None``) or of ``unit``; writes nothing. The services call it, and forms call it to show every error at once."""
    from regdesk.accounts.permissions import unit_descendant_ids
    from regdesk.accounts.served_regions import served_region_problem, served_region_tokens

    if not code or not re.fullmatch(r"[-a-zA-Z0-9_]{1,50}", code):
        raise AccountsError(
            "unit_code_invalid", _("A unit code is 1-50 letters, digits, hyphens or underscores."), field="code"
        )
    if unit is None and OrgUnit.objects.filter(code=code).exists():
        raise AccountsError("unit_code_taken", _("A unit with this code exists already."), field="code")
    if not name or len(name) > 200:
        raise AccountsError("unit_name_invalid", _("Enter a unit name of at most 200 characters."), field="name")
    if kind not in UnitKind.values:
        raise AccountsError("unit_kind_invalid", _("Unknown kind of unit."), field="kind")
    if (kind == UnitKind.PROVIDER) != (parent is None):
        raise AccountsError(
            "unit_parent_invalid",
            _("The provider is the root of the tree; every other unit needs a parent unit."),
            field="parent",
        )
    if parent is not None and not parent.active and (unit is None or unit.parent_id != parent.pk):
        raise AccountsError("unit_inactive", _("This organisation unit is no longer active."), field="parent")
    if parent is not None and unit is not None and parent.pk in unit_descendant_ids([unit.pk]):
        raise AccountsError(
            "unit_parent_cycle",
            _("A unit cannot be placed below itself or below one of its own units."),
            field="parent",
        )
    if region_code and not re.fullmatch(r"\d{6}", region_code):
        raise AccountsError(
            "region_code_invalid", _("An administrative division code has six digits."), field="region_code"
        )
    problems = [problem for token in served_region_tokens(served_regions) if (problem := served_region_problem(token))]
    if problems:
        raise AccountsError("served_regions_invalid", " ".join(problems), field="served_regions")
    if len(address) > 300:
        raise AccountsError("unit_address_invalid", _("An address may have at most 300 characters."), field="address")
    if phone and not _UNIT_PHONE.fullmatch(phone):
        raise AccountsError(
            "unit_phone_invalid",
            _(
                "Enter the service telephone as it is dialled (digits, spaces, hyphens, brackets), "
                "such as 028-12345678."
            ),
            field="phone",
        )
    if unit is not None and not active and OrgUnit.objects.filter(parent=unit, active=True).exists():
        raise AccountsError(
            "unit_has_active_units",
            _("This unit still has active units below it: make them inactive or move them first."),
            field="active",
        )


def org_unit_create(
    *,
    actor: User | None,
    code: str,
    name: str,
    kind: str,
    parent: OrgUnit | None = None,
    region_code: str = "",
    served_regions: str = "",
    address: str = "",
    phone: str = "",
) -> OrgUnit:
    """Add a unit to the organisation tree (the provider at the root; branches, outlets and agents below), with
    the regions it serves and the service address and telephone its customers are given."""
    from regdesk.accounts.served_regions import normalised_served_regions

    code, name, address, phone = code.strip(), name.strip(), address.strip(), phone.strip()
    with transaction.atomic():
        org_unit_check(
            unit=None,
            code=code,
            name=name,
            kind=kind,
            parent=parent,
            region_code=region_code,
            served_regions=served_regions,
            address=address,
            phone=phone,
        )
        unit = OrgUnit.objects.create(
            code=code,
            name=name,
            kind=kind,
            parent=parent,
            region_code=region_code,
            served_regions=normalised_served_regions(served_regions),
            address=address,
            phone=phone,
        )
        audit_record(
            actor=actor,
            action="org_unit.create",
            object_type="org_unit",
            object_id=unit.pk,
            changes={"code": code, "name": name, "kind": kind, "parent": parent.code if parent else None},
            unit=unit,
        )
    return unit


def org_unit_change(
    *,
    actor: User | None,
    unit: OrgUnit,
    name: str,
    parent: OrgUnit | None,
    region_code: str,
    served_regions: str,
    address: str,
    phone: str,
    active: bool,
) -> OrgUnit:
    """Change a unit: its name, its place in the tree, its region, the regions it serves, its service address and
    telephone, and whether it is active. A unit is never deleted (cases, lines and the audit trail name it): one no
    longer in use is made inactive, once no active unit remains below it. Its code and kind never change."""
    from regdesk.accounts.served_regions import normalised_served_regions

    name, address, phone = name.strip(), address.strip(), phone.strip()
    with transaction.atomic():
        locked = OrgUnit.objects.select_for_update().get(pk=unit.pk)
        org_unit_check(
            unit=locked,
            code=locked.code,
            name=name,
            kind=locked.kind,
            parent=parent,
            region_code=region_code,
            served_regions=served_regions,
            address=address,
            phone=phone,
            active=active,
        )
        wanted: dict[str, object] = {
            "name": name,
            "parent_id": parent.pk if parent is not None else None,
            "region_code": region_code,
            "served_regions": normalised_served_regions(served_regions),
            "address": address,
            "phone": phone,
            "active": active,
        }
        changes = {
            field: [getattr(locked, field), value] for field, value in wanted.items() if getattr(locked, field) != value
        }
        if not changes:
            return locked
        for field, value in wanted.items():
            setattr(locked, field, value)
        locked.save(update_fields=[field.removesuffix("_id") for field in changes])
        audit_record(
            actor=actor,
            action="org_unit.change",
            object_type="org_unit",
            object_id=locked.pk,
            changes=changes,
            unit=locked,
        )
    return locked


def org_unit_served_regions_set(*, actor: User | None, unit: OrgUnit, served_regions: str) -> OrgUnit:
    """Set the regions whose website owners the unit serves (GB/T 2260 province or city codes, separated by spaces
    or commas): new ICP filings of owners there go to this unit. Refuses any other entry (``served_regions_invalid``,
    naming it) and changes nothing then."""
    from regdesk.accounts.served_regions import normalised_served_regions, served_region_problem, served_region_tokens

    problems = [problem for token in served_region_tokens(served_regions) if (problem := served_region_problem(token))]
    if problems:
        raise AccountsError("served_regions_invalid", " ".join(problems), field="served_regions")
    stored = normalised_served_regions(served_regions)
    with transaction.atomic():
        locked = OrgUnit.objects.select_for_update().get(pk=unit.pk)
        previous = locked.served_regions
        if previous == stored:
            return locked
        locked.served_regions = stored
        locked.save(update_fields=["served_regions"])
        audit_record(
            actor=actor,
            action="org_unit.served_regions_set",
            object_type="org_unit",
            object_id=locked.pk,
            changes={"served_regions": [previous, stored]},
            unit=locked,
        )
    unit.served_regions = stored
    return locked


# --- memberships -----------------------------------------------------------------------------------------------


def membership_grant(*, actor: User | None, user: User, unit: OrgUnit, role: str) -> Membership:
    """Give ``user`` the ``role`` in ``unit`` (re-activating an earlier, revoked membership)."""
    if role not in Role.values:
        raise AccountsError("role_unknown", _("Unknown role."), field="role")
    if not unit.active:
        raise AccountsError("unit_inactive", _("This organisation unit is no longer active."), field="unit")
    with transaction.atomic():
        membership, created = Membership.objects.select_for_update().get_or_create(
            user=user, unit=unit, role=role, defaults={"active": True}
        )
        if not created and not membership.active:
            membership.active = True
            membership.save(update_fields=["active"])
        audit_record(
            actor=actor,
            action="membership.grant",
            object_type="membership",
            object_id=membership.pk,
            changes={"user_id": user.pk, "role": role, "unit": unit.code},
            unit=unit,
        )
    return membership


def membership_revoke(*, actor: User | None, membership: Membership) -> Membership:
    """End a membership (kept, inactive, for the record)."""
    with transaction.atomic():
        membership.active = False
        membership.save(update_fields=["active"])
        audit_record(
            actor=actor,
            action="membership.revoke",
            object_type="membership",
            object_id=membership.pk,
            changes={"user_id": membership.user_id, "role": membership.role, "active": False},
            unit=membership.unit,
        )
    return membership


def owner_account_create(*, actor: User | None, username: str, email: str, password: str) -> User:
    """Sign up a website owner (网站主办者): a user with the website-owner role in the provider's root unit.

    The provider unit comes from the organisation data (demo data or configuration); sign-up is refused with a
    clear error while there is not exactly one active provider root.
    """
    providers = list(provider_root_units()[:2])
    if len(providers) != 1:
        raise AccountsError(
            "provider_unit_missing",
            _("Sign-up is not available: the provider's organisation unit is not configured."),
        )
    if not email.strip():
        raise AccountsError("email_required", _("Enter an e-mail address."), field="email")
    with transaction.atomic():
        user = user_create(actor=actor, username=username, password=password, email=email)
        membership_grant(actor=actor or user, user=user, unit=providers[0], role=Role.WEBSITE_OWNER)
    return user


# --- TOTP ------------------------------------------------------------------------------------------------------


def secret_associated_data(user_id: int) -> bytes:
    # Binds the sealed secret to its user: a secret copied to another user's row fails to open.
    return f"accounts.totp_device.secret:{user_id}".encode()


def totp_secret(device: TotpDevice) -> str:
    """Open the device's sealed secret (for verification and for showing it once during enrolment)."""
    return decrypt_text(device.secret_sealed, associated_data=secret_associated_data(device.user_id))


@dataclass(frozen=True)
class TotpEnrolment:
    """What the enrolment page shows: the secret to type in and the URI the QR code carries."""

    device: TotpDevice
    secret: str
    uri: str

    def qr_code_svg(self) -> str:
        return totp.qr_code_svg(self.uri, title=str(_("QR code for the authenticator app")))


def totp_enrol_start(*, actor: User | None, user: User) -> TotpEnrolment:
    """Begin enrolling an authenticator: a new secret on an unconfirmed device (replacing an unconfirmed one).

    A user with a confirmed device must have it reset by an administrator first (``totp_device_reset``).
    """
    secret = totp.new_secret()
    with transaction.atomic():
        device = TotpDevice.objects.select_for_update().filter(user=user).first()
        if device is not None and device.confirmed:
            raise AccountsError("totp_already_enrolled", _("An authenticator is already set up for this account."))
        sealed = encrypt_text(secret, associated_data=secret_associated_data(user.pk))
        if device is None:
            device = TotpDevice.objects.create(user=user, secret_sealed=sealed)
        else:
            device.secret_sealed = sealed
            device.last_used_step = None
            device.created_at = timezone.now()
            device.save(update_fields=["secret_sealed", "last_used_step", "created_at"])
        audit_record(actor=actor, action="totp.enrol_start", object_type="user", object_id=user.pk)
    return TotpEnrolment(device=device, secret=secret, uri=totp.provisioning_uri(secret, account_name=user.username))


def totp_enrolment_resume(*, user: User) -> TotpEnrolment | None:
    """The pending enrolment of ``user`` (an unconfirmed device), to show its QR code again; no write."""
    device = TotpDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        return None
    secret = totp_secret(device)
    return TotpEnrolment(device=device, secret=secret, uri=totp.provisioning_uri(secret, account_name=user.username))


def _code_refused() -> AccountsError:
    return AccountsError("totp_code_invalid", _("The verification code is wrong or has expired."), field="code")


def totp_enrol_confirm(*, actor: User | None, user: User, code: str, moment: datetime | None = None) -> TotpDevice:
    """Confirm a pending enrolment with a code from the authenticator; the code's step counts as used."""
    moment = moment or timezone.now()
    with transaction.atomic():
        device = TotpDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
        if device is None:
            raise AccountsError("totp_not_started", _("Start setting up the authenticator first."))
        step = totp.matching_step(totp_secret(device), code, moment=moment, after_step=device.last_used_step)
        if step is None:
            raise _code_refused()
        device.confirmed = True
        device.confirmed_at = moment
        device.last_used_step = step
        device.save(update_fields=["confirmed", "confirmed_at", "last_used_step"])
        audit_record(actor=actor, action="totp.enrol_confirm", object_type="user", object_id=user.pk)
    return device


def totp_verify(*, actor: User | None, user: User, code: str, moment: datetime | None = None) -> bool:
    """Check a login code against the user's confirmed device.

    A code is accepted once: its time step must be later than the last accepted one (replay protection), and the
    row lock makes two simultaneous submissions of one code accept at most one.
    """
    moment = moment or timezone.now()
    with transaction.atomic():
        device = TotpDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
        if device is None:
            return False
        step = totp.matching_step(totp_secret(device), code, moment=moment, after_step=device.last_used_step)
        if step is None:
            return False
        device.last_used_step = step
        device.save(update_fields=["last_used_step"])
        audit_record(
            actor=actor, action="totp.verify", object_type="user", object_id=user.pk, changes={"result": "accepted"}
        )
    return True


def totp_device_reset(*, actor: User | None, user: User) -> None:
    """Remove the user's authenticator (a lost phone); the next staff login starts a new enrolment."""
    with transaction.atomic():
        deleted, _details = TotpDevice.objects.filter(user=user).delete()
        audit_record(
            actor=actor,
            action="totp.reset",
            object_type="user",
            object_id=user.pk,
            changes={"removed": bool(deleted)},
        )


# --- login throttling ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LoginAttemptOutcome:
    """The state after an attempt: the highest failure count and, when locked, the end of the lockout."""

    failures: int
    locked_until: datetime | None


def login_attempt_record(
    *,
    actor: User | None,
    user: User | None,
    username: str,
    address: str,
    succeeded: bool,
    moment: datetime | None = None,
) -> LoginAttemptOutcome:
    """Count a login attempt (password or second factor) against the client address with the username, and
    against the username alone.

    After ``REGDESK_LOGIN_MAX_FAILURES`` failures in a row from one address the username is locked there; after
    ``REGDESK_LOGIN_USERNAME_MAX_FAILURES`` failures from anywhere it is locked everywhere; either lockout lasts
    ``REGDESK_LOGIN_LOCKOUT_MINUTES``. Other people behind the same address keep logging in: guessing across many
    usernames is bounded by the per-address rate limit instead. A success resets both counters. ``user`` is the
    account the username names, when it names one; ``actor`` is who is known to have acted (the user after a
    success, else ``None``: a failed attempt may come from anyone). The audit event carries counts only, never the
    password or code typed.
    """
    moment = moment or timezone.now()
    thresholds = {
        LoginThrottle.Scope.PAIR: config.login_max_failures(),
        LoginThrottle.Scope.USERNAME: config.login_username_max_failures(),
    }
    lockout = timedelta(minutes=config.login_lockout_minutes())
    failures = 0
    locked_until: datetime | None = None
    with transaction.atomic():
        for scope, key in throttle_keys(username=username, address=address):
            throttle, _created = LoginThrottle.objects.select_for_update().get_or_create(scope=scope, key=key)
            if succeeded:
                throttle.failures = 0
                throttle.locked_until = None
            else:
                if throttle.locked_until is not None and throttle.locked_until <= moment:
                    # An expired lockout starts a new series rather than locking again on the next mistake.
                    throttle.failures = 0
                    throttle.locked_until = None
                throttle.failures += 1
                throttle.last_failure_at = moment
                if throttle.failures >= thresholds[LoginThrottle.Scope(scope)] and throttle.locked_until is None:
                    throttle.locked_until = moment + lockout
            throttle.save()
            failures = max(failures, throttle.failures)
            if throttle.locked_until is not None:
                locked_until = (
                    throttle.locked_until if locked_until is None else max(locked_until, throttle.locked_until)
                )
        audit_record(
            actor=actor,
            action="login.succeed" if succeeded else "login.fail",
            object_type="user",
            object_id=user.pk if user is not None and user.pk else "unknown",
            changes={
                "failures": failures,
                "locked_until": locked_until.isoformat() if locked_until is not None else None,
            },
        )
    return LoginAttemptOutcome(failures=failures, locked_until=locked_until)


# --- API tokens ------------------------------------------------------------------------------------------------


def token_hash(token: str) -> str:
    """The SHA-256 hex digest stored for a token. Tokens carry 256 random bits, so a fast hash suffices."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def api_token_create(
    *, actor: User | None, user: User, name: str, days: int | None = None, moment: datetime | None = None
) -> tuple[ApiToken, str]:
    """Issue a bearer token ``rdk_<prefix>_<secret>`` and return it with its row; the plain token exists only in
    the return value (the row holds its SHA-256 hash and the prefix shown in listings)."""
    moment = moment or timezone.now()
    name = name.strip()
    if not name:
        raise AccountsError("token_name_required", _("Give the token a name."), field="name")
    if len(name) > 100:
        raise AccountsError("token_name_too_long", _("A token name may have at most 100 characters."), field="name")
    if days is not None and not 1 <= days <= TOKEN_MAX_DAYS:
        raise AccountsError(
            "token_days_invalid",
            _("The validity must be between 1 and %(max)d days.") % {"max": TOKEN_MAX_DAYS},
            field="days",
        )
    if not user.is_active:
        raise AccountsError("user_inactive", _("This account is disabled."))
    with transaction.atomic():
        prefix = secrets.token_hex(4)
        while ApiToken.objects.filter(prefix=prefix).exists():
            prefix = secrets.token_hex(4)
        plain = f"{TOKEN_MARKER}_{prefix}_{secrets.token_urlsafe(32)}"
        token = ApiToken.objects.create(
            user=user,
            name=name,
            prefix=prefix,
            secret_hash=token_hash(plain),
            created_at=moment,
            expires_at=moment + timedelta(days=days) if days is not None else None,
        )
        audit_record(
            actor=actor,
            action="api_token.create",
            object_type="api_token",
            object_id=token.pk,
            changes={
                "user_id": user.pk,
                "name": name,
                "prefix": prefix,
                "expires_at": token.expires_at.isoformat() if token.expires_at else None,
            },
        )
    return token, plain


def api_token_revoke(*, actor: User | None, token: ApiToken, moment: datetime | None = None) -> ApiToken:
    """Revoke a token for good (revoking twice keeps the first revocation time)."""
    moment = moment or timezone.now()
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is None:
            token.revoked_at = moment
            token.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor,
            action="api_token.revoke",
            object_type="api_token",
            object_id=token.pk,
            changes={"prefix": token.prefix, "revoked_at": token.revoked_at.isoformat()},
        )
    return token


def api_token_authenticate(plain: str, *, moment: datetime | None = None) -> User | None:
    """The active user a presented token belongs to, or ``None`` for unknown, revoked or expired tokens.

    Looking the token up by its hash keeps the comparison off the secret itself. The refresh of ``last_used_at``
    is bookkeeping, not a change of state anyone acts on, so it is a single conditional UPDATE without an audit
    event (auditing every API call would drown the trail).
    """
    moment = moment or timezone.now()
    if not plain.startswith(f"{TOKEN_MARKER}_") or len(plain) > 200:
        return None
    token = ApiToken.objects.select_related("user").filter(secret_hash=token_hash(plain)).first()
    if token is None or not token.usable_at(moment) or not token.user.is_active:
        return None
    if token.last_used_at is None or token.last_used_at <= moment - TOKEN_LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=moment)
    return token.user
