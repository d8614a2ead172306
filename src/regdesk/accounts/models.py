"""Users, organisation units, memberships carrying roles, second factors, login throttling and API tokens.

Every write to these models goes through ``regdesk.accounts.services``.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from regdesk.accounts.roles import Role, UnitKind
from regdesk.accounts.served_regions import parse_served_regions, validate_served_regions


class User(AbstractUser):
    """A person who logs in: staff (with a second factor) or a website owner."""

    display_name = models.CharField(_("display name"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.username


class OrgUnit(models.Model):
    """The provider, its branches and outlets, and its agents, as a tree."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent unit"),
    )
    region_code = models.CharField(_("administrative division code"), max_length=6, blank=True)
    served_regions = models.CharField(
        _("served regions"),
        max_length=1000,
        blank=True,
        validators=[validate_served_regions],
        help_text=_(
            "GB/T 2260 codes of the provinces (such as 510000) or cities (such as 510100) whose website owners this "
            "unit serves, separated by spaces or commas. A new ICP filing goes to the unit that serves the owner's "
            "region most precisely."
        ),
    )
    # Where the unit's customers reach it (shown to website owners who need its help): the public service
    # address and telephone, not a person's.
    address = models.CharField(_("service address"), max_length=300, blank=True)
    phone = models.CharField(_("service telephone"), max_length=50, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("organisation unit")
        verbose_name_plural = _("organisation units")

    def __str__(self) -> str:
        return self.name

    @property
    def served_region_codes(self) -> tuple[str, ...]:
        """The served regions as codes (a malformed entry, which validation refuses, is left out)."""
        return parse_served_regions(self.served_regions)


class Membership(models.Model):
    """A user's role in one organisation unit."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user"))
    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("organisation unit")
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [models.UniqueConstraint(fields=["user", "unit", "role"], name="membership_unique_role")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.unit}: {self.role}"


class TotpDevice(models.Model):
    """A user's TOTP authenticator (RFC 6238), the second factor of staff logins.

    The shared secret is sealed by the personal-data vault (``regdesk.privacy.crypto``) with the user's id in the
    associated data, so a secret copied onto another user's row does not open. ``last_used_step`` is the RFC 6238
    time step of the last accepted code: a code is accepted only for a later step, so an observed code cannot be
    replayed within its 30 seconds.
    """

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="totp_device", verbose_name=_("user"))
    secret_sealed = models.TextField(_("sealed secret"))
    confirmed = models.BooleanField(_("confirmed"), default=False)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    last_used_step = models.BigIntegerField(_("last used time step"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("authenticator")
        verbose_name_plural = _("authenticators")

    def __str__(self) -> str:
        return f"TOTP #{self.pk} ({self.user_id})"


class LoginThrottle(models.Model):
    """Consecutive failed logins for one username, or for one client address and username together, and the
    lockout they caused.

    The pair locks after ``REGDESK_LOGIN_MAX_FAILURES``; the username alone after the larger
    ``REGDESK_LOGIN_USERNAME_MAX_FAILURES``. No lockout covers an address alone: behind one NAT address a single
    attacker would lock out everyone else there (the per-address rate limit bounds guessing instead).
    """

    class Scope(models.TextChoices):
        USERNAME = "username", _("username")
        PAIR = "pair", _("client address and username")

    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices)
    # A pair's key is "<address> <username>": at most 45 + 1 + 150 characters.
    key = models.CharField(_("key"), max_length=200)
    failures = models.PositiveIntegerField(_("consecutive failures"), default=0)
    last_failure_at = models.DateTimeField(_("last failure at"), null=True, blank=True)
    locked_until = models.DateTimeField(_("locked until"), null=True, blank=True)

    class Meta:
        verbose_name = _("login throttle")
        verbose_name_plural = _("login throttles")
        constraints = [models.UniqueConstraint(fields=["scope", "key"], name="login_throttle_unique_key")]

    def __str__(self) -> str:
        return f"{self.scope}:{self.key} ({self.failures})"


class ApiToken(models.Model):
    """A bearer token for integrations. Only the SHA-256 hash of the token is stored; the token is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user"))
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=16, unique=True)
    secret_hash = models.CharField(_("SHA-256 hash"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.prefix} ({self.name})"

    def usable_at(self, moment: datetime) -> bool:
        """Neither revoked nor expired at ``moment``."""
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or self.expires_at > moment
