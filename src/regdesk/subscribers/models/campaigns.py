"""Remediation campaigns for unregistered lines (DOMAIN.md §2): notify → one-way stop → remind → two-way stop →
cancel, with intervals set per campaign; each line's run is a ``line.remediation`` case on the kernel.

Commands to the network go through an outbox (``ProvisioningCommand``): written in the transaction that decides
them, sent after commit with their idempotency key, retried by the campaign sweep. Billing holds and refunds are
recorded as ``LineBillingEvent`` rows for the billing system to read.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from regdesk.rules.realname import Group


class IntervalUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("working days")
    CALENDAR_DAYS = "calendar_days", _("calendar days")


class NoticeChannel(models.TextChoices):
    SMS = "sms", _("SMS")
    LETTER = "letter", _("letter")


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    RUNNING = "running", _("running")
    CLOSED = "closed", _("closed")


CAMPAIGN_GROUP_CHOICES = [
    (Group.TEMPORARY_ACCOUNT.value, _("temporary account")),
    (Group.INCOMPLETE.value, _("incomplete data")),
    (Group.OWNER_NOT_USER.value, _("holder is not the user")),
    (Group.UNIT_NAME.value, _("group line under a unit's or handler's name")),
    (Group.INVALID_DOCUMENT.value, _("invalid document number")),
]


class Campaign(models.Model):
    """A remediation campaign for one group of unregistered lines sold under one organisation unit.

    Each interval counts from the step before it, in working days (Chinese calendar, 调休 included) or calendar
    days: notice → ``one_way_after`` → one-way stop → ``reminder_after`` → reminder → ``two_way_after`` → two-way
    stop → ``cancel_after`` → cancellation.
    """

    name = models.CharField(_("name"), max_length=100)
    group = models.CharField(_("group"), max_length=20, choices=CAMPAIGN_GROUP_CHOICES)
    unit = models.ForeignKey(
        "accounts.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation unit")
    )
    notice_channel = models.CharField(_("notice by"), max_length=10, choices=NoticeChannel.choices)
    one_way_after = models.PositiveIntegerField(_("one-way stop after"))
    one_way_unit = models.CharField(max_length=20, choices=IntervalUnit.choices)
    reminder_after = models.PositiveIntegerField(_("reminder after"))
    reminder_unit = models.CharField(max_length=20, choices=IntervalUnit.choices)
    two_way_after = models.PositiveIntegerField(_("two-way stop after"))
    two_way_unit = models.CharField(max_length=20, choices=IntervalUnit.choices)
    cancel_after = models.PositiveIntegerField(_("cancellation after"))
    cancel_unit = models.CharField(max_length=20, choices=IntervalUnit.choices)
    status = models.CharField(_("status"), max_length=10, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    launched_at = models.DateTimeField(_("launched at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("remediation campaign")
        verbose_name_plural = _("remediation campaigns")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name

    def interval(self, step: str) -> tuple[int, str]:
        """(amount, unit) of the wait before ``step``: one_way, reminder, two_way or cancel."""
        return int(getattr(self, f"{step}_after")), str(getattr(self, f"{step}_unit"))


class Stage(models.TextChoices):
    """Where a line stands in its campaign (the state of its ``line.remediation`` case)."""

    NOTIFIED = "notified", _("notified")
    ONE_WAY_SUSPENDED = "one_way_suspended", _("one-way suspended")
    REMINDED = "reminded", _("reminded")
    TWO_WAY_SUSPENDED = "two_way_suspended", _("two-way suspended")
    CANCELLED = "cancelled", _("cancelled")
    REGISTERED = "registered", _("registered")
    WITHDRAWN = "withdrawn", _("withdrawn")


OPEN_STAGES = (Stage.NOTIFIED, Stage.ONE_WAY_SUSPENDED, Stage.REMINDED, Stage.TWO_WAY_SUSPENDED)


class CampaignLine(models.Model):
    """One line in a campaign: its stage, its case, and when its next step is due (``next_step_at``, which the
    campaign sweep looks for)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="lines")
    line = models.ForeignKey("subscribers.Line", on_delete=models.PROTECT, related_name="campaign_entries")
    case = models.OneToOneField(
        "cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="campaign_line"
    )
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.NOTIFIED)
    is_open = models.BooleanField(default=True)
    next_step = models.CharField(max_length=20, blank=True)
    next_step_at = models.DateTimeField(null=True, blank=True)
    next_step_provisional = models.BooleanField(default=False)
    billing_held = models.BooleanField(_("billing held"), default=False)
    entered_at = models.DateTimeField(_("entered at"))
    stage_changed_at = models.DateTimeField(_("stage changed at"))

    class Meta:
        verbose_name = _("line in a campaign")
        verbose_name_plural = _("lines in campaigns")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "line"], name="subscribers_campaign_line_once"),
            # A line is in one open campaign at a time: two would suspend and restore it against each other.
            models.UniqueConstraint(fields=["line"], condition=Q(is_open=True), name="subscribers_campaign_one_open"),
        ]
        indexes = [
            models.Index(fields=["campaign", "stage"], name="subscribers_campaign_stage"),
            models.Index(fields=["is_open", "next_step_at"], name="subscribers_campaign_due"),
        ]

    def __str__(self) -> str:
        return f"line #{self.line_id} in campaign #{self.campaign_id}"


class CampaignLetter(models.Model):
    """A notice or reminder to send by post (campaigns with ``notice_channel=letter``), until it is printed."""

    entry = models.ForeignKey(CampaignLine, on_delete=models.PROTECT, related_name="letters")
    step = models.CharField(_("step"), max_length=20)
    created_at = models.DateTimeField(_("created at"))
    printed_at = models.DateTimeField(_("printed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("campaign letter")
        verbose_name_plural = _("campaign letters")
        constraints = [models.UniqueConstraint(fields=["entry", "step"], name="subscribers_campaign_letter_once")]

    def __str__(self) -> str:
        return f"{self.step} letter of {self.entry_id}"


class CommandStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")


class ProvisioningCommand(models.Model):
    """A line-service command for the network (``gateways.provisioning.line_service``), kept until it is sent.

    ``idempotency_key`` goes with every attempt, so a retry after a lost answer acts once. ``line_ref`` is our
    opaque reference of the line (never its number).
    """

    line = models.ForeignKey("subscribers.Line", on_delete=models.PROTECT, related_name="provisioning_commands")
    entry = models.ForeignKey(
        CampaignLine, on_delete=models.PROTECT, null=True, blank=True, related_name="provisioning_commands"
    )
    mode = models.CharField(_("mode"), max_length=20)
    idempotency_key = models.CharField(max_length=200, unique=True)
    status = models.CharField(_("status"), max_length=10, choices=CommandStatus.choices, default=CommandStatus.QUEUED)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    receipt_id = models.CharField(max_length=100, blank=True)
    last_error = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(_("created at"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("provisioning command")
        verbose_name_plural = _("provisioning commands")
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="subscribers_provisioning_due")]

    def __str__(self) -> str:
        return f"{self.mode} for line #{self.line_id}"


class BillingEventKind(models.TextChoices):
    # DOMAIN.md §2: no fees while a line is suspended.
    HOLD = "hold", _("billing held")
    RELEASE = "release", _("billing resumed")
    # DOMAIN.md §2: the prepaid balance is refunded on cancellation.
    REFUND = "refund", _("prepaid balance refunded")


class LineBillingEvent(models.Model):
    """A billing fact for the billing system: fees held, resumed, or a prepaid balance refunded (in fen)."""

    line = models.ForeignKey("subscribers.Line", on_delete=models.PROTECT, related_name="billing_events")
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    kind = models.CharField(_("kind"), max_length=10, choices=BillingEventKind.choices)
    amount_fen = models.BigIntegerField(_("amount (fen)"), default=0)
    idempotency_key = models.CharField(max_length=200, unique=True)
    occurred_at = models.DateTimeField(_("time"))

    class Meta:
        verbose_name = _("billing event")
        verbose_name_plural = _("billing events")
        ordering = ["occurred_at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} of line #{self.line_id}"
