"""Verified readings of resident ID cards."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from regdesk.privacy.fields import BlindIndexField, EncryptedTextField
from regdesk.subscribers import personal_data
from regdesk.subscribers.models.outlets import CardReader


class CardReading(models.Model):
    """One reading of a resident ID card by an enrolled reader, stored after its signature, freshness, nonce and
    outlet were checked (``reading_verify``). Only such a reading lets a resident ID card into a registration.

    ``(reader, nonce)`` is unique: that constraint is what refuses a replayed reading. A reading serves at most one
    registration (``consumed_at``); one-ID look-ups may use it while it is fresh.
    """

    reader = models.ForeignKey(CardReader, on_delete=models.PROTECT, related_name="readings")
    outlet = models.ForeignKey("accounts.OrgUnit", on_delete=models.PROTECT, related_name="+")
    nonce = models.CharField(_("nonce"), max_length=64)
    read_at = models.DateTimeField(_("read at (reader's clock)"))
    verified_at = models.DateTimeField(_("verified at"))
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    signature_sha256 = models.CharField(_("SHA-256 of the signed reading"), max_length=64)
    name = EncryptedTextField(_("name"), personal_field=personal_data.READING_NAME)
    id_number = EncryptedTextField(_("ID number"), personal_field=personal_data.READING_ID_NUMBER)
    id_number_index = BlindIndexField(source="id_number")
    address = EncryptedTextField(_("address"), personal_field=personal_data.READING_ADDRESS)
    birth_date = EncryptedTextField(_("birth date"), personal_field=personal_data.READING_BIRTH_DATE)
    photo = EncryptedTextField(_("photo"), personal_field=personal_data.READING_PHOTO)
    details = EncryptedTextField(_("other card data"), personal_field=personal_data.READING_DETAILS)
    consumed_at = models.DateTimeField(_("used by a registration at"), null=True, blank=True)

    class Meta:
        verbose_name = _("ID card reading")
        verbose_name_plural = _("ID card readings")
        constraints = [models.UniqueConstraint(fields=["reader", "nonce"], name="subscribers_reading_nonce_unique")]

    def __str__(self) -> str:
        return f"reading #{self.pk} ({self.reader_id})"
