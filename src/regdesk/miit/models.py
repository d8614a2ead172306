"""Uploads to and downloads from the province system, and the upload sequence counter.

Documents carry personal data, so they are stored sealed with the vault (``regdesk.privacy.crypto``) and bound to
their row's identity through the associated data; a purge removes them after the retention period and keeps the
row (sequence, hashes, answers) as the record of what was sent.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

FILE_NAME_VALIDATOR = RegexValidator(
    r"^[A-Za-z0-9]{1,128}\Z",
    # "上报的数据文件名必须使用英文字母或数字，文件名长度不超过128个字节" (specification §3-3-1-3).
    message=_("A file name has 1 to 128 ASCII letters or digits."),
)


class MiitSequence(models.Model):
    """The one counter row (id 1) of upload sequence numbers, and the lease of the single sender.

    ``last_allocated`` is read and raised under ``SELECT ... FOR UPDATE`` in the transaction that creates the
    upload row, so numbers are strictly increasing and gap-free. ``send_lease_until`` and ``send_lease_token``
    let one process at a time send uploads, in order, without holding a database lock across the network call.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_allocated = models.PositiveBigIntegerField(_("last allocated sequence"), default=0)
    send_lease_until = models.DateTimeField(_("send lease until"), null=True, blank=True)
    send_lease_token = models.CharField(_("send lease token"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("MIIT upload sequence")
        verbose_name_plural = _("MIIT upload sequences")
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="miit_sequence_single_row")]

    def __str__(self) -> str:
        return f"{self.last_allocated}"


class UploadOperation(models.TextChoices):
    """The upload operations of ``upload.xsd`` (ICP part)."""

    XZBA = "XZBA", _("New filing")
    XZWZ = "XZWZ", _("New website")
    XZJR = "XZJR", _("New access")
    BGBA = "BGBA", _("Change")
    ZXBA = "ZXBA", _("Cancellation")
    XZHYD = "XZHYD", _("Verification materials")
    HSJG = "HSJG", _("Check result")
    WBACLJG = "WBACLJG", _("Unfiled website handling")


class UploadStatus(models.TextChoices):
    PREPARED = "prepared", _("Prepared")
    SENT = "sent", _("Sent")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    UNKNOWN = "unknown", _("Outcome unknown")


class MiitUpload(models.Model):
    """One ``UploadData`` file and its journey: prepared → sent → accepted / rejected / unknown.

    ``rejected`` means the province answered a ``msg_code`` other than 0: the file was not taken and its
    sequence number not consumed, so the same number is sent again (see ``services.miit_upload_send``).
    """

    sequence = models.PositiveBigIntegerField(_("sequence"), unique=True)
    file_name = models.CharField(_("file name"), max_length=128, unique=True, validators=[FILE_NAME_VALIDATOR])
    operation = models.CharField(_("operation"), max_length=16, choices=UploadOperation.choices)
    record_count = models.PositiveIntegerField(_("records"), default=0)
    record_keys = models.JSONField(_("record keys"), default=list, blank=True)
    related = models.CharField(_("related object"), max_length=200, blank=True)
    document = models.BinaryField(_("document (sealed)"), null=True, blank=True, editable=False)
    sha256 = models.CharField(_("SHA-256 of the document"), max_length=64)
    size_bytes = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    status = models.CharField(_("status"), max_length=16, choices=UploadStatus.choices, default=UploadStatus.PREPARED)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    response_code = models.IntegerField(_("response code"), null=True, blank=True)
    response_message = models.TextField(_("response message"), blank=True)
    error_code = models.CharField(_("last transport error"), max_length=32, blank=True)
    missing_sequences = models.JSONField(_("missing sequences"), default=list, blank=True)
    prepared_at = models.DateTimeField(_("prepared at"))
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    kept_until = models.DateTimeField(_("kept until"))
    purged_at = models.DateTimeField(_("purged at"), null=True, blank=True)

    class Meta:
        verbose_name = _("MIIT upload")
        verbose_name_plural = _("MIIT uploads")
        ordering = ["sequence"]
        indexes = [models.Index(fields=["status", "sequence"], name="miit_upload_status_seq")]
        constraints = [models.CheckConstraint(condition=models.Q(sequence__gte=1), name="miit_upload_sequence_min")]

    def __str__(self) -> str:
        return f"{self.sequence} {self.operation} {self.status}"

    def associated_data(self) -> bytes:
        """What the sealed document is bound to: its sequence and file name."""
        return f"miit.upload:{self.sequence}:{self.file_name}".encode("ascii")


class DownloadStatus(models.TextChoices):
    HANDLED = "handled", _("Handled")
    INVALID = "invalid", _("Does not match the XSD")


class MiitDownload(models.Model):
    """One file downloaded with ``isp_download``, stored (sealed) before it is acknowledged."""

    file_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256 of the document"), max_length=64)
    document = models.BinaryField(_("document (sealed)"), null=True, blank=True, editable=False)
    size_bytes = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    kinds = models.JSONField(_("kinds"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=DownloadStatus.choices)
    problems = models.JSONField(_("problems"), default=list, blank=True)
    received_at = models.DateTimeField(_("received at"))
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)

    class Meta:
        verbose_name = _("MIIT download")
        verbose_name_plural = _("MIIT downloads")
        ordering = ["received_at", "id"]
        constraints = [models.UniqueConstraint(fields=["file_name", "sha256"], name="miit_download_once")]

    def __str__(self) -> str:
        return self.file_name

    def associated_data(self) -> bytes:
        return f"miit.download:{self.file_name}:{self.sha256}".encode()


class MiitPoll(models.Model):
    """The one row (id 1) that records when the province last answered a download poll: the health check reports
    its age, so that a poller that has stopped, or a province that no longer answers, is noticed."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_success_at = models.DateTimeField(_("last successful poll"), null=True, blank=True)

    class Meta:
        verbose_name = _("MIIT download poll")
        verbose_name_plural = _("MIIT download polls")
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="miit_poll_single_row")]

    def __str__(self) -> str:
        return f"{self.last_success_at}"
