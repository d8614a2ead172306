"""Imports of existing subscriber bases: the jobs, their per-row errors, and each line's record as imported.

The record keeps what the earlier system said about the line's holder (sealed, even when it is bogus) so that the
classification into the groups of unregistered lines (``regdesk.rules.realname``) can be run again at any time,
and the prepaid balance that a cancellation refunds.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from regdesk.privacy.dictionary import Category, PersonalField, register
from regdesk.privacy.fields import BlindIndexField, EncryptedTextField
from regdesk.rules.realname import Group
from regdesk.subscribers import personal_data


def _recorded(key: str, category: Category, label: str | Promise) -> str:
    """Declare a field of the recorded holder: the law's registration data (MIIT Order No. 25 art. 9), kept with
    the line for as long as its registration data."""
    register(
        PersonalField(
            key=key,
            category=category,
            label=label,
            purpose=personal_data.PURPOSE,
            legal_basis=personal_data.LEGAL_BASIS,
            retention=personal_data.REGISTRATION_RETENTION,
        )
    )
    return key


RECORDED_NAME = _recorded(
    "subscribers.recorded_holder_name", Category.NAME, _("holder's name as recorded by the earlier system")
)
RECORDED_DOCUMENT_NUMBER = _recorded(
    "subscribers.recorded_holder_document_number",
    Category.ID_NUMBER,
    _("holder's document number as recorded by the earlier system"),
)
RECORDED_ADDRESS = _recorded(
    "subscribers.recorded_holder_address", Category.ADDRESS, _("holder's address as recorded by the earlier system")
)

GROUP_CHOICES = [
    (Group.REGISTERED.value, _("registered")),
    (Group.TEMPORARY_ACCOUNT.value, _("temporary account")),
    (Group.INCOMPLETE.value, _("incomplete data")),
    (Group.OWNER_NOT_USER.value, _("holder is not the user")),
    (Group.UNIT_NAME.value, _("group line under a unit's or handler's name")),
    (Group.INVALID_DOCUMENT.value, _("invalid document number")),
]


class ImportFormat(models.TextChoices):
    CSV = "csv", "CSV"
    PARQUET = "parquet", "Parquet"


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class ImportJob(models.Model):
    """One import of a subscriber base from a file, with its progress (the desk page polls it)."""

    unit = models.ForeignKey(
        "accounts.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation unit")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    file_format = models.CharField(_("format"), max_length=10, choices=ImportFormat.choices)
    # Where the uploaded file waits for the worker (storage name); emptied once the import has read it.
    stored_file = models.CharField(max_length=300, blank=True)
    file_label = models.CharField(_("file"), max_length=100, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    bytes_total = models.PositiveBigIntegerField(default=0)
    bytes_read = models.PositiveBigIntegerField(default=0)
    rows_total = models.PositiveBigIntegerField(null=True, blank=True)
    rows_read = models.PositiveBigIntegerField(_("rows read"), default=0)
    rows_created = models.PositiveBigIntegerField(_("lines created"), default=0)
    rows_updated = models.PositiveBigIntegerField(_("lines updated"), default=0)
    rows_failed = models.PositiveBigIntegerField(_("rows refused"), default=0)
    groups = models.JSONField(_("lines per group"), default=dict, blank=True)
    error_code = models.CharField(max_length=50, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("subscriber-base import")
        verbose_name_plural = _("subscriber-base imports")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"import #{self.pk}"

    @property
    def percent(self) -> int:
        if self.status == ImportStatus.DONE:
            return 100
        if self.rows_total:
            return min(99, int(100 * self.rows_read / self.rows_total))
        if self.bytes_total:
            return min(99, int(100 * self.bytes_read / self.bytes_total))
        return 0


class ImportRowError(models.Model):
    """A refused row: its number in the file, the column, and a code. Never the value (it may be personal)."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="row_errors")
    row_number = models.PositiveBigIntegerField(_("row"))
    field = models.CharField(_("column"), max_length=40)
    code = models.CharField(_("error"), max_length=40)

    class Meta:
        verbose_name = _("import row error")
        verbose_name_plural = _("import row errors")
        ordering = ["row_number", "id"]

    def __str__(self) -> str:
        return f"row {self.row_number}: {self.field} {self.code}"


class LineRecord(models.Model):
    """A line as the earlier system recorded it, and its classification (``regdesk.rules.realname``)."""

    line = models.OneToOneField("subscribers.Line", on_delete=models.PROTECT, related_name="record")
    job = models.ForeignKey(ImportJob, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    row_number = models.PositiveBigIntegerField(null=True, blank=True)
    holder_kind = models.CharField(_("kind of holder"), max_length=20, blank=True)
    document_type = models.CharField(_("document type"), max_length=40, blank=True)
    document_number = EncryptedTextField(
        _("document number"), personal_field=RECORDED_DOCUMENT_NUMBER, null=True, blank=True
    )
    document_number_index = BlindIndexField(source="document_number")
    name = EncryptedTextField(_("name"), personal_field=RECORDED_NAME, null=True, blank=True)
    address = EncryptedTextField(_("address"), personal_field=RECORDED_ADDRESS, null=True, blank=True)
    unit_line = models.BooleanField(_("group line"), default=False)
    owner_not_user = models.BooleanField(_("holder is not the user"), default=False)
    # Money in fen (分): no rounding on the way to a refund.
    prepaid_balance_fen = models.BigIntegerField(_("prepaid balance (fen)"), default=0)
    group = models.CharField(_("group"), max_length=20, choices=GROUP_CHOICES)
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    classified_at = models.DateTimeField(_("classified at"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("imported line record")
        verbose_name_plural = _("imported line records")
        indexes = [models.Index(fields=["group"], name="subscribers_record_group")]

    def __str__(self) -> str:
        return f"record of line #{self.line_id}"
