"""The filter form of the real-name-rate report (page and downloads alike)."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from regdesk.accounts.models import OrgUnit
from regdesk.rules import divisions
from regdesk.subscribers.config import report_default_months, report_max_days
from regdesk.subscribers.models import Channel
from regdesk.subscribers.reports.selectors import CONTEXT, ReportFilters

# A monthly series longer than this draws no readable chart.
MAX_SERIES_MONTHS = 240


def months_back(day: datetime.date, months: int) -> datetime.date:
    """The first day of the month ``months`` before ``day``'s month."""
    index = day.year * 12 + day.month - 1 - months
    return datetime.date(index // 12, index % 12 + 1, 1)


def _tree_order(scope: set[int]) -> list[OrgUnit]:
    """The scope's units depth first, each unit's children by code, the top units by code."""
    units = list(OrgUnit.objects.filter(pk__in=scope))
    children: dict[int | None, list[OrgUnit]] = {}
    for unit in units:
        children.setdefault(unit.parent_id if unit.parent_id in scope else None, []).append(unit)
    ordered: list[OrgUnit] = []
    pending = sorted(children.get(None, []), key=lambda unit: unit.code, reverse=True)
    depth_of: dict[int, int] = {unit.pk: 0 for unit in pending}
    while pending:
        unit = pending.pop()
        ordered.append(unit)
        below = sorted(children.get(unit.pk, []), key=lambda item: item.code, reverse=True)
        for child in below:
            depth_of[child.pk] = depth_of[unit.pk] + 1
        pending.extend(below)
    for unit in ordered:
        unit.tree_depth = depth_of[unit.pk]  # type: ignore[attr-defined]
    return ordered


class RateReportForm(forms.Form):
    unit = forms.ChoiceField(label=pgettext_lazy(CONTEXT, "Unit"), required=False)
    channel = forms.ChoiceField(label=pgettext_lazy(CONTEXT, "Channel"), required=False)
    region = forms.CharField(
        label=_("Region (division code)"),
        required=False,
        max_length=6,
        help_text=_("A province, city or county code, e.g. 110000 or 440300."),
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    granularity = forms.ChoiceField(
        label=_("Series"), required=False, choices=[("month", _("by month")), ("day", _("by day"))]
    )

    def __init__(self, *args: Any, scope: set[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.scope = scope
        self.units = {unit.code: unit for unit in _tree_order(scope)}
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, forms.ChoiceField)  # noqa: S101 - declared above
        unit_field.choices = [("", _("all units in your scope"))] + [
            (code, "\u00a0\u00a0" * getattr(unit, "tree_depth", 0) + f"{unit.name} ({code})")
            for code, unit in self.units.items()
        ]
        channel_field = self.fields["channel"]
        assert isinstance(channel_field, forms.ChoiceField)  # noqa: S101 - declared above
        channel_field.choices = [("", _("all channels")), *Channel.choices]

    def clean_region(self) -> str:
        region: str = (self.cleaned_data.get("region") or "").strip()
        if not region:
            return ""
        if len(region) != 6 or not region.isdigit():
            raise forms.ValidationError(_("Give a six-digit administrative division code."), code="region_format")
        if divisions.lookup(region) is None:
            raise forms.ValidationError(_("There is no administrative division with this code."), code="region_unknown")
        return region

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        today = timezone.localdate()
        date_to = cleaned.get("date_to") or today
        date_from = cleaned.get("date_from")
        granularity = cleaned.get("granularity") or "month"
        if date_to > today:
            self.add_error("date_to", _("The report cannot look into the future: give today or an earlier day."))
            return cleaned
        if date_from is None:
            date_from = (
                months_back(date_to, report_default_months() - 1)
                if granularity == "month"
                else date_to - datetime.timedelta(days=30)
            )
        if date_from > date_to:
            self.add_error("date_to", _("The end date is before the start date."))
            return cleaned
        if granularity == "day" and (date_to - date_from).days + 1 > report_max_days():
            self.add_error(
                "date_from",
                _("A daily series covers at most %(days)d days; choose a later start or a monthly series.")
                % {"days": report_max_days()},
            )
        months = (date_to.year - date_from.year) * 12 + date_to.month - date_from.month + 1
        if granularity == "month" and months > MAX_SERIES_MONTHS:
            self.add_error(
                "date_from",
                _("A monthly series covers at most %(months)d months.") % {"months": MAX_SERIES_MONTHS},
            )
        cleaned.update(date_from=date_from, date_to=date_to, granularity=granularity)
        return cleaned

    def to_filters(self) -> ReportFilters:
        """The filters of a valid form (the defaults for an empty one)."""
        from regdesk.accounts.permissions import unit_descendant_ids

        data = self.cleaned_data
        code = data.get("unit") or ""
        unit_ids = frozenset(unit_descendant_ids([self.units[code].pk]) & self.scope) if code else frozenset(self.scope)
        return ReportFilters(
            unit_ids=unit_ids,
            unit_code=code,
            channel=data.get("channel") or "",
            region=data.get("region") or "",
            date_from=data["date_from"],
            date_to=data["date_to"],
            granularity=data.get("granularity") or "month",
        )
