"""Websites (网站, ``Wz_xx``), their domains, pre-approvals (前置审批), accesses (接入) and IP ranges."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from regdesk.filings import personal_data
from regdesk.privacy.fields import BlindIndexField, EncryptedTextField


class AccessStatus(models.TextChoices):
    """Whether the provider gives the website access (先备案后接入: never before it has a record number)."""

    OFF = "off", _("off")
    ON = "on", _("on")


class Website(models.Model):
    """A website of an owner, filed by one filing; its ``record_number`` is the owner's number + ``-n``."""

    owner = models.ForeignKey("filings.Owner", on_delete=models.PROTECT, related_name="websites")
    filing = models.ForeignKey("filings.Filing", on_delete=models.PROTECT, related_name="websites")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    name = models.CharField(_("website name"), max_length=512, blank=True)
    homepage_url = models.CharField(_("homepage URL"), max_length=255, blank=True)
    service_contents = models.JSONField(_("service contents"), default=list, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    content_categories = models.JSONField(_("content needing approval"), default=list, blank=True)
    person_name = EncryptedTextField(
        _("website's person in charge"), personal_field=personal_data.WEBSITE_PERSON_NAME.key, null=True
    )
    person_document_type = models.PositiveSmallIntegerField(_("ID type of the person in charge"), null=True)
    person_document_number = EncryptedTextField(
        _("ID number of the person in charge"),
        personal_field=personal_data.WEBSITE_PERSON_DOCUMENT_NUMBER.key,
        null=True,
    )
    person_document_number_index = BlindIndexField(source="person_document_number")
    person_office_phone = EncryptedTextField(
        _("office phone"), personal_field=personal_data.WEBSITE_PERSON_OFFICE_PHONE.key, null=True
    )
    person_mobile = EncryptedTextField(_("mobile"), personal_field=personal_data.WEBSITE_PERSON_MOBILE.key, null=True)
    person_mobile_index = BlindIndexField(source="person_mobile")
    person_email = EncryptedTextField(_("e-mail"), personal_field=personal_data.WEBSITE_PERSON_EMAIL.key, null=True)
    remarks = models.TextField(_("remarks"), blank=True)
    record_number = models.CharField(_("record number"), max_length=64, blank=True, db_index=True)
    province_record_id = models.BigIntegerField(_("province's website id"), null=True, blank=True)
    access_status = models.CharField(_("access"), max_length=10, choices=AccessStatus.choices, default=AccessStatus.OFF)
    access_changed_at = models.DateTimeField(_("access changed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("website")
        verbose_name_plural = _("websites")
        ordering = ["filing_id", "position", "id"]

    def __str__(self) -> str:
        return self.name or f"#{self.pk}"


class Domain(models.Model):
    """A filed domain: as typed (Unicode), its ASCII form (Punycode) and its registrable part."""

    website = models.ForeignKey(Website, on_delete=models.CASCADE, related_name="domains")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    name = models.CharField(_("domain"), max_length=253)
    ascii_name = models.CharField(_("ASCII form"), max_length=253, blank=True, db_index=True)
    registrable = models.CharField(_("registrable domain"), max_length=253, blank=True)

    class Meta:
        verbose_name = _("domain")
        verbose_name_plural = _("domains")
        ordering = ["website_id", "position", "id"]

    def __str__(self) -> str:
        return self.name


class PreApproval(models.Model):
    """A pre-approval (前置审批) of the competent authority: its type, number and scanned document."""

    website = models.ForeignKey(Website, on_delete=models.CASCADE, related_name="pre_approvals")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    type = models.PositiveSmallIntegerField(_("approval type"), null=True, blank=True)
    number = models.CharField(_("approval number"), max_length=512, blank=True)
    document = models.ForeignKey("cases.Document", on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("pre-approval")
        verbose_name_plural = _("pre-approvals")
        ordering = ["website_id", "position", "id"]

    def __str__(self) -> str:
        return f"{self.type}: {self.number}"


class WebsiteAccess(models.Model):
    """How the provider hosts the website (接入方式) and where its servers are (a GB/T 2260 division code)."""

    website = models.ForeignKey(Website, on_delete=models.CASCADE, related_name="accesses")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    method = models.PositiveSmallIntegerField(_("access method"), null=True, blank=True)
    server_location = models.CharField(_("server location"), max_length=6, blank=True)

    class Meta:
        verbose_name = _("access")
        verbose_name_plural = _("accesses")
        ordering = ["website_id", "position", "id"]

    def __str__(self) -> str:
        return f"{self.website_id}/{self.position}"


class IpRange(models.Model):
    """An IP range the website uses, as text (first and last address)."""

    access = models.ForeignKey(WebsiteAccess, on_delete=models.CASCADE, related_name="ip_ranges")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    start = models.CharField(_("first address"), max_length=45, blank=True)
    end = models.CharField(_("last address"), max_length=45, blank=True)

    class Meta:
        verbose_name = _("IP range")
        verbose_name_plural = _("IP ranges")
        ordering = ["access_id", "position", "id"]

    def __str__(self) -> str:
        return f"{self.start}-{self.end}"
