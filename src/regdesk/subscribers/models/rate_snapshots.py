"""Daily snapshots of the real-name rate, from which the report draws its time series.

The past rate cannot be recomputed from the lines as they are now: a line keeps only its current status and
registration state (a line whose holder turned out not to be the user goes back from registered to unregistered
without a registration event), lines taken over from earlier systems carry no registration event at all, and the
retention purge removes cancelled lines two years after their service ended. So the rate is recorded once a day
(task ``realname_rate_snapshot``), one row per outlet, with the outlet's channel and region as they were that day.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RealNameRateSnapshot(models.Model):
    """Lines in service and registered lines sold through one outlet, as of one day (Asia/Shanghai).

    Aggregates only: no line, number or person. A later snapshot of the same day replaces the earlier one, so the
    row holds the state at the last run of the day.
    """

    day = models.DateField(_("day"))
    outlet = models.ForeignKey(
        "accounts.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("sold through")
    )
    channel = models.CharField(_("channel"), max_length=20, blank=True)
    region_code = models.CharField(_("administrative division code"), max_length=6, blank=True)
    lines_total = models.PositiveIntegerField(_("lines in service"))
    lines_registered = models.PositiveIntegerField(_("registered lines"))
    taken_at = models.DateTimeField(_("taken at"))

    class Meta:
        verbose_name = _("real-name rate snapshot")
        verbose_name_plural = _("real-name rate snapshots")
        constraints = [
            models.UniqueConstraint(fields=["day", "outlet"], name="subscribers_rate_snapshot_day_outlet"),
            models.CheckConstraint(
                condition=models.Q(lines_registered__lte=models.F("lines_total")),
                name="subscribers_rate_snapshot_registered_within_total",
            ),
        ]
        indexes = [models.Index(fields=["day"], name="subscribers_rate_snapshot_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.outlet_id}: {self.lines_registered}/{self.lines_total}"
