"""The website owner (主办者, XSD ``Zt_xx``) and its person in charge (主体负责人)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from regdesk.filings import personal_data
from regdesk.privacy.fields import BlindIndexField, EncryptedTextField


class OwnerKind(models.TextChoices):
    ORGANISATION = "organisation", _("organisation")
    INDIVIDUAL = "individual", _("individual")


class Owner(models.Model):
    """An organisation or a person that files websites through the provider.

    Personal data is sealed by the vault; an organisation's name is public (the MIIT register shows it), so it is
    also kept in ``public_name`` for lists, while an individual's name stays sealed only. Codes (nature,
    certificate type, divisions) are those of the MIIT code tables (``regdesk.rules.icp.codes``).
    """

    unit = models.ForeignKey(
        "accounts.OrgUnit", on_delete=models.PROTECT, related_name="icp_owners", verbose_name=_("unit")
    )
    portal_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="icp_owners",
        verbose_name=_("portal user"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=OwnerKind.choices, default=OwnerKind.ORGANISATION)
    public_name = models.CharField(_("organisation name"), max_length=255, blank=True)
    name = EncryptedTextField(_("name"), personal_field=personal_data.OWNER_NAME.key, null=True)
    nature = models.PositiveSmallIntegerField(_("nature"), null=True, blank=True)
    certificate_type = models.PositiveSmallIntegerField(_("certificate type"), null=True, blank=True)
    certificate_number = EncryptedTextField(
        _("certificate number"), personal_field=personal_data.OWNER_CERTIFICATE_NUMBER.key, null=True
    )
    certificate_number_index = BlindIndexField(source="certificate_number")
    certificate_address = EncryptedTextField(
        _("address on the certificate"), personal_field=personal_data.OWNER_CERTIFICATE_ADDRESS.key, null=True
    )
    province_code = models.CharField(_("province"), max_length=6, blank=True)
    city_code = models.CharField(_("city"), max_length=6, blank=True)
    county_code = models.CharField(_("county"), max_length=6, blank=True)
    postal_address = EncryptedTextField(
        _("postal address"), personal_field=personal_data.OWNER_POSTAL_ADDRESS.key, null=True
    )
    investor = EncryptedTextField(
        _("investor or superior unit"), personal_field=personal_data.OWNER_INVESTOR.key, null=True
    )
    person_name = EncryptedTextField(
        _("person in charge"), personal_field=personal_data.OWNER_PERSON_NAME.key, null=True
    )
    person_document_type = models.PositiveSmallIntegerField(_("ID type of the person in charge"), null=True)
    person_document_number = EncryptedTextField(
        _("ID number of the person in charge"),
        personal_field=personal_data.OWNER_PERSON_DOCUMENT_NUMBER.key,
        null=True,
    )
    person_document_number_index = BlindIndexField(source="person_document_number")
    person_office_phone = EncryptedTextField(
        _("office phone"), personal_field=personal_data.OWNER_PERSON_OFFICE_PHONE.key, null=True
    )
    person_mobile = EncryptedTextField(_("mobile"), personal_field=personal_data.OWNER_PERSON_MOBILE.key, null=True)
    person_mobile_index = BlindIndexField(source="person_mobile")
    person_email = EncryptedTextField(_("e-mail"), personal_field=personal_data.OWNER_PERSON_EMAIL.key, null=True)
    reporting_mode = models.PositiveSmallIntegerField(_("reporting mode"), null=True, blank=True)
    remarks = models.TextField(_("remarks"), blank=True)
    national_level = models.BooleanField(
        _("national body"), default=False, help_text=_("Confirmed by a specialist: the owner is a national body.")
    )
    aliases = models.JSONField(_("other names"), default=list, blank=True)
    record_number = models.CharField(_("record number"), max_length=64, blank=True, db_index=True)
    province_record_id = models.BigIntegerField(_("province's owner id"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("website owner")
        verbose_name_plural = _("website owners")
        constraints = [
            # One owner record per certificate: its operations (one in flight at a time) hang off one row.
            models.UniqueConstraint(
                fields=["certificate_type", "certificate_number_index"],
                condition=models.Q(certificate_number_index__isnull=False),
                name="filings_one_owner_per_certificate",
            )
        ]

    def __str__(self) -> str:
        return self.public_name or f"#{self.pk}"

    @property
    def is_individual(self) -> bool:
        return self.kind == OwnerKind.INDIVIDUAL
