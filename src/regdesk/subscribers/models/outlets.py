"""Outlets and agents (营业网点, 代理商) as the organisation tree sees them, and the ID-card readers enrolled there."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    """The sales channel of an outlet, as the real-name rate is reported by channel (DOMAIN.md §2)."""

    OWN_HALL = "own_hall", _("own business hall")
    COOPERATING_HALL = "cooperating_hall", _("cooperating hall")
    AGENT = "agent", _("agent outlet")
    ONLINE = "online", _("online channel")


class OutletProfile(models.Model):
    """What real-name registration needs to know about an outlet: an ``OrgUnit`` of kind outlet or agent, and the
    channel it sells through. Only units with a profile register lines."""

    unit = models.OneToOneField(
        "accounts.OrgUnit", on_delete=models.PROTECT, related_name="outlet_profile", verbose_name=_("unit")
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("outlet")
        verbose_name_plural = _("outlets")

    def __str__(self) -> str:
        return f"{self.unit_id} ({self.channel})"


class AgentStatus(models.TextChoices):
    ACTIVE = "active", _("active")
    # Registrations through its outlets stop while the operator investigates.
    SUSPENDED = "suspended", _("suspended")
    # False registration, bulk opening or card farming: the agency is lost and the agent blacklisted industry-wide.
    BLACKLISTED = "blacklisted", _("blacklisted")


class Agent(models.Model):
    """An agent (代理商): an ``OrgUnit`` of kind agent, supervised by the operator. Registrations through any
    outlet below a suspended or blacklisted agent are refused."""

    unit = models.OneToOneField(
        "accounts.OrgUnit", on_delete=models.PROTECT, related_name="agent_profile", verbose_name=_("unit")
    )
    status = models.CharField(_("status"), max_length=20, choices=AgentStatus.choices, default=AgentStatus.ACTIVE)
    status_reason = models.CharField(_("reason"), max_length=500, blank=True)
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("agent")
        verbose_name_plural = _("agents")

    def __str__(self) -> str:
        return f"{self.unit_id} ({self.status})"


class CardReader(models.Model):
    """A second-generation ID card reader (二代身份证阅读器) enrolled at one outlet.

    The reader signs every reading with its Ed25519 key; the server keeps the public key. The device id is derived
    from the public key (``regdesk.subscribers.readers.device_id_for``), so a device id cannot be re-used for
    another key. A reader is moved by deactivating it and enrolling it again.
    """

    device_id = models.CharField(_("device id"), max_length=40, unique=True)
    public_key = models.CharField(_("public key (base64)"), max_length=64)
    outlet = models.ForeignKey(
        "accounts.OrgUnit", on_delete=models.PROTECT, related_name="card_readers", verbose_name=_("outlet")
    )
    label = models.CharField(_("label"), max_length=100, blank=True)
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    enrolled_at = models.DateTimeField(_("enrolled at"))
    active = models.BooleanField(_("active"), default=True)
    deactivated_at = models.DateTimeField(_("deactivated at"), null=True, blank=True)
    deactivated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    deactivation_reason = models.CharField(_("reason for deactivation"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("ID card reader")
        verbose_name_plural = _("ID card readers")

    def __str__(self) -> str:
        return self.device_id
