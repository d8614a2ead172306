"""Cases, their append-only history, the recorded process versions and the reference-number sequences."""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class ProcessVersion(models.Model):
    """The snapshot of a process definition (states and transitions, no callables), recorded on first use."""

    key = models.CharField(_("process"), max_length=100)
    version = models.PositiveIntegerField(_("version"))
    snapshot = models.JSONField(_("definition"))
    digest = models.CharField(max_length=64)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("process version")
        verbose_name_plural = _("process versions")
        constraints = [models.UniqueConstraint(fields=["key", "version"], name="cases_process_version_unique")]

    def __str__(self) -> str:
        return f"{self.key}@{self.version}"


class CaseReferenceSequence(models.Model):
    """The last reference number per prefix and year. Incremented under a row lock in the transaction that creates
    the case, so a rolled-back case gives its number back: the numbers have no gaps."""

    prefix = models.CharField(max_length=8)
    year = models.PositiveIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("reference sequence")
        verbose_name_plural = _("reference sequences")
        constraints = [models.UniqueConstraint(fields=["prefix", "year"], name="cases_reference_sequence_unique")]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.year}: {self.last_number}"


class Case(models.Model):
    """One run of a regulated process (案件), pinned to the process version it started under."""

    process_key = models.CharField(_("process"), max_length=100)
    process_version = models.PositiveIntegerField(_("process version"))
    reference = models.CharField(_("reference"), max_length=32, unique=True)
    state = models.CharField(_("state"), max_length=50)
    is_open = models.BooleanField(_("open"), default=True, help_text=_("False once the case is in a terminal state."))
    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    subject_id = models.CharField(max_length=64, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    unit = models.ForeignKey("accounts.OrgUnit", on_delete=models.PROTECT, related_name="cases", verbose_name=_("unit"))
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_cases",
        verbose_name=_("assignee"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            models.Index(fields=["process_key", "state"], name="cases_case_process_state"),
            models.Index(fields=["subject_type", "subject_id"], name="cases_case_subject"),
            models.Index(fields=["assignee", "is_open"], name="cases_case_assignee_open"),
        ]

    def __str__(self) -> str:
        return self.reference


class AppendOnlyError(RuntimeError):
    """History rows are inserted once and never changed or removed."""


class CaseEventQuerySet(models.QuerySet["CaseEvent"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("case events cannot be updated")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("case events cannot be deleted")

    def bulk_update(self, objs: Any, fields: Any, batch_size: int | None = None) -> NoReturn:
        raise AppendOnlyError("case events cannot be updated")


class CaseEvent(models.Model):
    """One step of a case's history: an action, the states before and after, who took it in which role.

    Append-only: the queryset refuses ``update``/``delete``, ``save`` refuses an existing row and ``delete`` refuses
    always; the foreign key to the case protects the history from a cascade.
    """

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(_("action"), max_length=50)
    from_state = models.CharField(_("from"), max_length=50, blank=True)
    to_state = models.CharField(_("to"), max_length=50)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    role = models.CharField(_("role"), max_length=30, blank=True)
    payload = models.JSONField(_("details"), default=dict, blank=True)
    occurred_at = models.DateTimeField(_("time"))

    objects = CaseEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["occurred_at", "id"]

    def __str__(self) -> str:
        return f"{self.action}: {self.from_state} → {self.to_state}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("case events cannot be updated")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("case events cannot be deleted")
