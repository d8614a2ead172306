"""Documents attached to cases, stored encrypted, and the record of every view."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from regdesk.cases.models.case import Case


class Document(models.Model):
    """A file attached to a case.

    The bytes live in Django's default storage (``var/media`` in development), sealed with the vault
    (AES-256-GCM) under a random storage name: the database stays small, backups of files and rows are separate,
    and a file copied elsewhere is unreadable without the key ring. The associated data binds each blob to its
    storage name, so blobs cannot be swapped between documents. The original file name may name a person, so it
    is sealed too.
    """

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(_("kind"), max_length=50)
    filename_sealed = models.TextField()
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    storage_name = models.CharField(max_length=200, unique=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"))

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"


class DocumentView(models.Model):
    """One opening of a document, with its stated purpose (also written to the audit trail)."""

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="views")
    viewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    purpose = models.CharField(_("purpose"), max_length=500)
    viewed_at = models.DateTimeField(_("viewed at"))

    class Meta:
        verbose_name = _("document view")
        verbose_name_plural = _("document views")

    def __str__(self) -> str:
        return f"{self.document_id} viewed {self.viewed_at:%Y-%m-%d %H:%M}"
