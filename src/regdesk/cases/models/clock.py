"""Clocks (时限): a budget, a start, a ledger of pauses, derived due and rung times, and the rungs fired."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from regdesk.cases.definitions import BudgetUnit
from regdesk.cases.models.case import Case


class ClockState(models.TextChoices):
    RUNNING = "running", _("running")
    PAUSED = "paused", _("paused")
    STOPPED = "stopped", _("stopped")
    BREACHED = "breached", _("breached")


class Clock(models.Model):
    """A running deadline of a case.

    ``due_at`` and ``schedule`` (each rung's firing time) are derived from the definition, ``started_at`` and the
    pause ledger, and recomputed whenever the ledger changes; ``next_rung_at`` is the earliest unfired rung of a
    running clock, which is what the sweep looks for.
    """

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="clocks")
    name = models.CharField(_("clock"), max_length=50)
    budget_amount = models.PositiveIntegerField(_("budget"))
    budget_unit = models.CharField(
        _("unit"),
        max_length=20,
        choices=[
            (BudgetUnit.WORKING_DAYS.value, _("working days")),
            (BudgetUnit.HOURS.value, _("hours")),
            (BudgetUnit.CALENDAR_DAYS.value, _("calendar days")),
        ],
    )
    state = models.CharField(_("state"), max_length=20, choices=ClockState.choices, default=ClockState.RUNNING)
    started_at = models.DateTimeField(_("started at"))
    due_at = models.DateTimeField(_("due at"))
    schedule = models.JSONField(_("rungs"), default=list, blank=True)
    next_rung_at = models.DateTimeField(null=True, blank=True, db_index=True)
    paused_working_days = models.PositiveIntegerField(default=0)
    paused_seconds = models.PositiveBigIntegerField(default=0)
    provisional = models.BooleanField(
        _("provisional"), default=False, help_text=_("The due time rests on a year whose holidays are not announced.")
    )
    missing_years = models.JSONField(default=list, blank=True)
    breached_at = models.DateTimeField(_("breached at"), null=True, blank=True)
    stopped_at = models.DateTimeField(_("stopped at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("clock")
        verbose_name_plural = _("clocks")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "name"],
                condition=Q(state__in=["running", "paused"]),
                name="cases_clock_one_active_per_name",
            )
        ]
        indexes = [models.Index(fields=["state", "due_at"], name="cases_clock_state_due")]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.name} ({self.state})"


class ClockPause(models.Model):
    """One pause of a clock (the provider waits on the applicant). The lost time is recorded on resume."""

    clock = models.ForeignKey(Clock, on_delete=models.PROTECT, related_name="pauses")
    paused_at = models.DateTimeField(_("paused at"))
    resumed_at = models.DateTimeField(_("resumed at"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    lost_working_days = models.PositiveIntegerField(null=True, blank=True)
    lost_seconds = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("clock pause")
        verbose_name_plural = _("clock pauses")
        ordering = ["paused_at", "id"]

    def __str__(self) -> str:
        return f"{self.clock_id} paused {self.paused_at:%Y-%m-%d %H:%M}"


class ClockRungFired(models.Model):
    """A rung that fired. The unique (clock, rung) pair is what makes each rung fire exactly once."""

    clock = models.ForeignKey(Clock, on_delete=models.PROTECT, related_name="fired_rungs")
    rung = models.CharField(_("rung"), max_length=50)
    fired_at = models.DateTimeField(_("fired at"))
    outcome = models.CharField(_("outcome"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("fired rung")
        verbose_name_plural = _("fired rungs")
        constraints = [models.UniqueConstraint(fields=["clock", "rung"], name="cases_clock_rung_fired_once")]

    def __str__(self) -> str:
        return f"{self.clock_id}:{self.rung}"
