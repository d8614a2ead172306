"""A filing (one operation with the regulator, here XZBA 新增备案) and what belongs to it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from regdesk.filings import personal_data
from regdesk.privacy.fields import BlindIndexField, EncryptedTextField


class FilingState(models.TextChoices):
    """The states of process ``icp.new_filing`` v1 (DOMAIN.md §1.4)."""

    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    NEEDS_CHANGES = "needs_changes", _("needs changes")
    AWAITING_ONSITE = "awaiting_onsite", _("awaiting on-site verification")
    VERIFIED = "verified", _("verified")
    SUBMITTED_TO_REGULATOR = "submitted_to_regulator", _("submitted to the regulator")
    REGULATOR_RETURNED = "regulator_returned", _("returned by the regulator")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")
    # With a context: the subscriber catalogue's "withdrawn" means a line taken out of a campaign.
    WITHDRAWN = "withdrawn", pgettext_lazy("filing state", "withdrawn")
    LAPSED = "lapsed", _("lapsed")


TERMINAL_STATES = (FilingState.APPROVED, FilingState.REJECTED, FilingState.WITHDRAWN, FilingState.LAPSED)
# An operation is "in flight" from its submission until it ends (province code 1003: one per owner at a time).
# A draft is not: the owner may keep one aside, and submitting it is what the rule limits.
IN_FLIGHT_STATES = (
    FilingState.SUBMITTED,
    FilingState.NEEDS_CHANGES,
    FilingState.AWAITING_ONSITE,
    FilingState.VERIFIED,
    FilingState.SUBMITTED_TO_REGULATOR,
    FilingState.REGULATOR_RETURNED,
)


class Filing(models.Model):
    """One operation with the Communications Administration for an owner — a new filing (XZBA) — run as one case
    of process ``icp.new_filing``. ``state`` mirrors the case's state (kept by an effect of every transition) so
    that the database itself can refuse a second operation in flight for the same owner."""

    operation = models.CharField(_("operation"), max_length=10, default="XZBA")
    owner = models.ForeignKey("filings.Owner", on_delete=models.PROTECT, related_name="filings")
    case = models.OneToOneField(
        "cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="icp_filing"
    )
    state = models.CharField(_("state"), max_length=30, choices=FilingState.choices, default=FilingState.DRAFT)
    submissions = models.PositiveIntegerField(_("submissions"), default=0)
    onsite_rounds = models.PositiveIntegerField(_("on-site verifications"), default=0)
    returned_fields = models.JSONField(_("fields returned for changes"), default=dict, blank=True)
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    rejection_reason = models.TextField(_("reason of the rejection"), blank=True)
    upload = models.ForeignKey("miit.MiitUpload", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    upload_ready = models.BooleanField(default=False)
    regulator_codes = models.JSONField(_("regulator's result codes"), default=list, blank=True)
    regulator_opinion = models.TextField(_("regulator's opinion"), blank=True)
    regulator_result_at = models.DateTimeField(_("regulator's result received at"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("filing")
        verbose_name_plural = _("filings")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner"],
                condition=Q(state__in=[str(state) for state in IN_FLIGHT_STATES]),
                name="filings_one_operation_in_flight",
            )
        ]

    def __str__(self) -> str:
        return self.case.reference if self.case is not None else f"filing #{self.pk}"


class AttachmentKind(models.TextChoices):
    """The verification materials of a filing (DOMAIN.md §1.3), each a document of the filing's case."""

    OWNER_CERTIFICATE = "owner_certificate", _("colour scan of the owner's certificate")
    OWNER_PERSON_ID_FRONT = "owner_person_id_front", _("ID of the person in charge, front")
    OWNER_PERSON_ID_BACK = "owner_person_id_back", _("ID of the person in charge, back")
    WEBSITE_PERSON_ID_FRONT = "website_person_id_front", _("ID of the website's person in charge, front")
    WEBSITE_PERSON_ID_BACK = "website_person_id_back", _("ID of the website's person in charge, back")
    DOMAIN_CERTIFICATE = "domain_certificate", _("domain certificate")
    PRE_APPROVAL = "pre_approval", _("pre-approval document")
    VERIFICATION_FORM = "verification_form", _("verification form")
    PHOTO_ORIGINAL = "photo_original", _("photo of the person in charge, as taken")
    PHOTO_UPLOAD = "photo_upload", _("photo of the person in charge, upload copy")


# Kinds that belong to one website (the others belong to the owner).
WEBSITE_ATTACHMENT_KINDS = frozenset(
    {
        AttachmentKind.WEBSITE_PERSON_ID_FRONT,
        AttachmentKind.WEBSITE_PERSON_ID_BACK,
        AttachmentKind.DOMAIN_CERTIFICATE,
        AttachmentKind.PRE_APPROVAL,
    }
)


class Attachment(models.Model):
    """A verification material: a case document, marked "for filing use only" with its purpose and date (a copy
    of an ID may not serve any other purpose)."""

    filing = models.ForeignKey(Filing, on_delete=models.PROTECT, related_name="attachments")
    kind = models.CharField(_("kind"), max_length=40, choices=AttachmentKind.choices)
    website = models.ForeignKey(
        "filings.Website", on_delete=models.SET_NULL, null=True, blank=True, related_name="attachments"
    )
    document = models.OneToOneField("cases.Document", on_delete=models.PROTECT, related_name="icp_attachment")
    purpose = models.CharField(_("purpose"), max_length=200)
    marked_on = models.DateField(_("marked on"))
    onsite_round = models.PositiveIntegerField(_("on-site verification"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"


class ContactMobile(models.Model):
    """One mobile number of an owner's contacts (its person in charge and its websites'), kept for the rule "one
    mobile number belongs to one owner" (DOMAIN.md §1.3): found by its blind index, never by its value."""

    owner = models.ForeignKey("filings.Owner", on_delete=models.CASCADE, related_name="contact_mobiles")
    number = EncryptedTextField(_("mobile"), personal_field=personal_data.CONTACT_MOBILE.key)
    number_index = BlindIndexField(source="number")

    class Meta:
        verbose_name = _("contact mobile")
        verbose_name_plural = _("contact mobiles")

    def __str__(self) -> str:
        return f"{self.owner_id}: {self.number}"


class FilingCertificate(models.Model):
    """An electronic certificate (``bazs.cert``) issued for a filed website. It holds nothing personal (the owner's
    name only for organisations), so the signed file is kept as it is."""

    serial = models.CharField(_("serial"), max_length=64, unique=True)
    website = models.ForeignKey("filings.Website", on_delete=models.PROTECT, related_name="certificates")
    record_number = models.CharField(_("record number"), max_length=64)
    content = models.TextField(_("certificate file"))
    key_fingerprint = models.CharField(_("key fingerprint"), max_length=80)
    issued_at = models.DateTimeField(_("issued at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("electronic certificate")
        verbose_name_plural = _("electronic certificates")
        ordering = ["-issued_at", "-id"]

    def __str__(self) -> str:
        return self.serial
