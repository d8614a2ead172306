"""Self-inspections of real-name registration (自查) and their findings, each followed up on a case."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SelfInspection(models.Model):
    """One periodic self-inspection over a unit's subtree, generated from the data.

    ``sections`` holds the figures the inspection saw (rate, refusals by reason, readers, agents, campaigns), as
    aggregates and codes only; the findings are rows of their own.
    """

    unit = models.ForeignKey("accounts.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    rule_version = models.CharField(_("rule"), max_length=100)
    sections = models.JSONField(_("figures"), default=dict)
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    generated_at = models.DateTimeField(_("generated at"))

    class Meta:
        verbose_name = _("self-inspection")
        verbose_name_plural = _("self-inspections")
        ordering = ["-generated_at", "-id"]

    def __str__(self) -> str:
        return f"self-inspection #{self.pk} ({self.period_start} – {self.period_end})"


class FindingSeverity(models.TextChoices):
    LOW = "low", _("low")
    MEDIUM = "medium", _("medium")
    HIGH = "high", _("high")


class InspectionFinding(models.Model):
    """A problem the inspection found, followed up on a ``realname.inspection_finding`` case.

    ``kind`` and ``subject`` (a unit code, a reader's device id, a channel) identify the problem; the same problem
    found again while its case is still open points at that case (``repeated``) instead of opening another.
    ``details`` holds the figures behind it (counts, rates); the text shown is built from kind and details.
    """

    inspection = models.ForeignKey(SelfInspection, on_delete=models.PROTECT, related_name="findings")
    kind = models.CharField(_("kind"), max_length=40)
    severity = models.CharField(_("severity"), max_length=10, choices=FindingSeverity.choices)
    unit = models.ForeignKey("accounts.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    subject = models.CharField(_("subject"), max_length=100, blank=True)
    details = models.JSONField(_("details"), default=dict)
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("case")
    )
    repeated = models.BooleanField(_("found again while its case is open"), default=False)
    resolution = models.CharField(_("resolution"), max_length=30, blank=True)
    resolution_note = models.TextField(_("note on the resolution"), blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("inspection finding")
        verbose_name_plural = _("inspection findings")
        ordering = ["inspection_id", "id"]
        indexes = [models.Index(fields=["kind", "subject"], name="subscribers_finding_subject")]

    def __str__(self) -> str:
        return f"{self.kind} {self.subject}".strip()
