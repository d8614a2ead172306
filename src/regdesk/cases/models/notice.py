"""The notice outbox: messages to send by e-mail or SMS after the transaction that queued them commits."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from regdesk.cases.models.case import Case


class NoticeChannel(models.TextChoices):
    EMAIL = "email", _("e-mail")
    SMS = "sms", _("SMS")


class NoticeStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")


class Notice(models.Model):
    """One message in the outbox.

    The recipient (a phone number or an e-mail address) and the template context are personal data: both are
    sealed with the vault, and the recipient has a blind index for look-ups. ``idempotency_key`` is unique, goes
    to the gateway with every attempt, and is the reason a notice is never sent twice. ``next_attempt_at`` is when
    the next attempt may start; a sender claims a notice by moving it forward (a lease), so two senders never
    attempt the same notice at once. ``last_error`` holds a classified, non-personal reason only.
    """

    case = models.ForeignKey(Case, on_delete=models.PROTECT, null=True, blank=True, related_name="notices")
    channel = models.CharField(_("channel"), max_length=10, choices=NoticeChannel.choices)
    recipient_sealed = models.TextField()
    recipient_index = models.CharField(max_length=64, db_index=True)
    template = models.CharField(_("template"), max_length=100)
    context_sealed = models.TextField()
    idempotency_key = models.CharField(max_length=200, unique=True)
    status = models.CharField(_("status"), max_length=10, choices=NoticeStatus.choices, default=NoticeStatus.QUEUED)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    provider_message_id = models.CharField(max_length=200, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="cases_notice_due")]

    def __str__(self) -> str:
        return f"{self.channel} {self.template} ({self.status})"
