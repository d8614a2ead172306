"""Contact verification before the on-site notice, and the on-site verification (当面核验) itself."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ContactChannel(models.TextChoices):
    EMAIL = "email", _("e-mail link")
    SMS = "sms", _("SMS code")
    PHONE_CALL = "phone_call", _("phone call")


class ContactCheckStatus(models.TextChoices):
    PENDING = "pending", _("waiting for the answer")
    CONFIRMED = "confirmed", _("confirmed")
    FAILED = "failed", _("failed")
    SUPERSEDED = "superseded", _("replaced by a newer one")


class CallOutcome(models.TextChoices):
    """What a phone call to the person in charge established."""

    CONFIRMED = "confirmed", _("reached the person in charge, details confirmed")
    NOT_REACHED = "not_reached", _("nobody answered")
    WRONG_PERSON = "wrong_person", _("someone else answered")


class ContactCheck(models.Model):
    """One check of the person in charge's contact details (e-mail link, SMS code or phone call) in one
    submission round of a filing. Only hashes of the link's secret and of the code are kept."""

    filing = models.ForeignKey("filings.Filing", on_delete=models.PROTECT, related_name="contact_checks")
    round = models.PositiveIntegerField(_("submission"))
    channel = models.CharField(_("channel"), max_length=20, choices=ContactChannel.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=ContactCheckStatus.choices, default=ContactCheckStatus.PENDING
    )
    secret_hash = models.CharField(max_length=64, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    max_attempts = models.PositiveIntegerField(_("attempts allowed"), default=0)
    outcome = models.CharField(_("outcome"), max_length=20, choices=CallOutcome.choices, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"))
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("contact check")
        verbose_name_plural = _("contact checks")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.filing_id}/{self.round} {self.channel} {self.status}"


class CheckOutcome(models.TextChoices):
    """The answer of a check against official records (the verification form's wording)."""

    CONSISTENT = "consistent", _("consistent")
    INCONSISTENT = "inconsistent", _("inconsistent")
    NOT_AVAILABLE = "not_available", _("could not be checked")
    NOT_APPLICABLE = "not_applicable", _("not applicable")


class OnsiteVerification(models.Model):
    """One on-site verification (one per on-site notice): originals seen, record checks, photo, form.

    Check details hold only codes and field names (which value did not match), never the values themselves.
    """

    filing = models.ForeignKey("filings.Filing", on_delete=models.PROTECT, related_name="verifications")
    round = models.PositiveIntegerField(_("on-site verification"))
    originals = models.JSONField(_("originals seen"), default=dict, blank=True)
    identity_outcome = models.CharField(_("identity check"), max_length=20, choices=CheckOutcome.choices, blank=True)
    identity_detail = models.JSONField(default=dict, blank=True)
    identity_checked_at = models.DateTimeField(null=True, blank=True)
    registry_outcome = models.CharField(_("registry check"), max_length=20, choices=CheckOutcome.choices, blank=True)
    registry_detail = models.JSONField(default=dict, blank=True)
    registry_checked_at = models.DateTimeField(null=True, blank=True)
    photo_confirmed = models.BooleanField(_("face matches the ID"), default=False)
    photo_confirmed_at = models.DateTimeField(null=True, blank=True)
    form_document = models.ForeignKey(
        "cases.Document", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    form_number = models.CharField(_("form number"), max_length=40, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    specialist = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("on-site verification")
        verbose_name_plural = _("on-site verifications")
        constraints = [models.UniqueConstraint(fields=["filing", "round"], name="filings_one_verification_per_round")]

    def __str__(self) -> str:
        return f"{self.filing_id}/{self.round}"
