"""Calendar years imported by administrators, and alerts for years computed without data.

An imported year replaces the chinesecalendar package's schedule for that year (see ``selectors.working_calendar``).
Rows change only through ``regdesk.calendars.services``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("Public holiday")
    WORKDAY = "workday", _("Make-up working day")


class ImportedYear(models.Model):
    """One year's schedule as announced by the State Council (国务院办公厅关于部分节假日安排的通知)."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    source = models.TextField(_("source notice"), blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    imported_at = models.DateTimeField(_("imported at"))
    # Incremented by every re-import, so that caches in other processes notice a replacement.
    revision = models.PositiveIntegerField(_("revision"), default=1)

    class Meta:
        verbose_name = _("imported calendar year")
        verbose_name_plural = _("imported calendar years")
        ordering = ["year"]

    def __str__(self) -> str:
        return str(self.year)


class ImportedDay(models.Model):
    """A public holiday or a make-up working day (调休上班) of an imported year."""

    imported_year = models.ForeignKey(
        ImportedYear, verbose_name=_("year"), on_delete=models.CASCADE, related_name="days"
    )
    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=DayKind.choices)
    name = models.CharField(_("name"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("imported calendar day")
        verbose_name_plural = _("imported calendar days")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.kind}"


class CalendarAlert(models.Model):
    """A year that a working-day computation needed but that has no schedule: results there are provisional.

    At most one open alert per year (the partial unique constraint makes ``get_or_create`` safe under
    concurrency); importing the year closes it.
    """

    year = models.PositiveSmallIntegerField(_("year"))
    opened_at = models.DateTimeField(_("opened at"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by_import = models.ForeignKey(
        ImportedYear,
        verbose_name=_("closed by import"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="closed_alerts",
    )

    class Meta:
        verbose_name = _("calendar alert")
        verbose_name_plural = _("calendar alerts")
        ordering = ["year", "opened_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["year"], condition=models.Q(closed_at__isnull=True), name="calendar_alert_one_open_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} ({'open' if self.closed_at is None else 'closed'})"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None
