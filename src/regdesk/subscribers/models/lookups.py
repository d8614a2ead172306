"""The one-ID lookup (一证通查): self-service proofs of identity, and disputes of lines a customer does not know."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from regdesk.privacy.fields import EncryptedTextField
from regdesk.subscribers import personal_data
from regdesk.subscribers.models.lines import Line


class LookupChallenge(models.Model):
    """A code sent by SMS to a line of an identity, to prove that the person asking holds that line.

    ``public_id`` names the challenge to the client. ``line`` is empty when the number given is not a line of that
    identity: the client gets a challenge all the same (it cannot learn which numbers belong to which ID), no code is
    sent, and no code will verify. Only the HMAC of the code is kept.
    """

    public_id = models.CharField(max_length=40, unique=True)
    document_family = models.CharField(max_length=40)
    document_index = models.CharField(max_length=64, db_index=True)
    line = models.ForeignKey(Line, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    code_hash = models.CharField(max_length=64)
    attempts = models.PositiveSmallIntegerField(default=0)
    expires_at = models.DateTimeField()
    verified_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lookup challenge")
        verbose_name_plural = _("lookup challenges")

    def __str__(self) -> str:
        return f"challenge {self.public_id[:8]}"


class LookupGrant(models.Model):
    """A short-lived permission to list the lines of one identity, earned by a verified SMS code.

    The client holds the token; only its SHA-256 is kept.
    """

    token_hash = models.CharField(max_length=64, unique=True)
    document_family = models.CharField(max_length=40)
    document_index = models.CharField(max_length=64)
    challenge = models.OneToOneField(LookupChallenge, on_delete=models.PROTECT, related_name="grant")
    expires_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lookup grant")
        verbose_name_plural = _("lookup grants")

    def __str__(self) -> str:
        return f"grant #{self.pk}"


class LineDispute(models.Model):
    """A customer's statement that a line registered under their ID is not theirs: the subject of a
    ``line.dispute`` case that compliance answers."""

    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="line_dispute")
    line = models.ForeignKey(Line, on_delete=models.PROTECT, related_name="disputes")
    document_family = models.CharField(max_length=40)
    document_index = models.CharField(max_length=64)
    statement = EncryptedTextField(_("statement"), personal_field=personal_data.DISPUTE_STATEMENT)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    outcome = models.CharField(_("outcome"), max_length=20, blank=True)
    decision_note = EncryptedTextField(
        _("decision note"), personal_field=personal_data.DECISION_NOTE, null=True, blank=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("line dispute")
        verbose_name_plural = _("line disputes")

    def __str__(self) -> str:
        return f"dispute #{self.pk}"
