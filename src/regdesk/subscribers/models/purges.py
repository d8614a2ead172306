"""Evidence of the retention purge: what was removed, when, under which rule — never the data itself."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PurgeRecord(models.Model):
    """One run of the retention purge of real-name registration data.

    ``counts`` maps each kind of record (lines, registrations, registration events, card readings, documents ...)
    to how many were removed; ``ranges`` gives, per kind, the lowest and highest id removed and the earliest and
    latest date that made the records expire (cancellation of the line, end of the registration, time of the
    reading). ``cutoff`` is the moment before which a service had to have ended. Ids and dates only: no number,
    name or document.
    """

    ran_at = models.DateTimeField(_("ran at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    rule_version = models.CharField(_("rule"), max_length=100)
    retention_days = models.PositiveIntegerField(_("retention after the service ended (days)"))
    cutoff = models.DateTimeField(_("services ended before"))
    counts = models.JSONField(_("records removed"), default=dict)
    ranges = models.JSONField(_("ranges removed"), default=dict)
    skipped = models.PositiveIntegerField(_("lines kept because other records still refer to them"), default=0)

    class Meta:
        verbose_name = _("retention purge")
        verbose_name_plural = _("retention purges")
        ordering = ["-ran_at", "-id"]

    def __str__(self) -> str:
        return f"purge #{self.pk} at {self.ran_at:%Y-%m-%d %H:%M}"

    @property
    def total(self) -> int:
        return sum(int(value) for value in self.counts.values())
