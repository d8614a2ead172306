"""Forms of the campaign and import desk pages. Units are offered by code among those the user may act for."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from regdesk.accounts.models import OrgUnit
from regdesk.subscribers.campaigns.services import MAX_INTERVAL_DAYS, Intervals
from regdesk.subscribers.models import ImportFormat, IntervalUnit, NoticeChannel
from regdesk.subscribers.models.campaigns import CAMPAIGN_GROUP_CHOICES


class _UnitField(forms.ModelChoiceField):  # type: ignore[type-arg]  # generic in django-stubs only
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} · {obj.name}"


class ImportForm(forms.Form):
    unit = _UnitField(queryset=OrgUnit.objects.none(), to_field_name="code", label=_("Organisation unit"))
    file_format = forms.ChoiceField(label=_("Format"), choices=ImportFormat.choices)
    file = forms.FileField(
        label=_("File"), help_text=_("CSV with a header row (UTF-8), or Parquet; the columns are listed below.")
    )

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    group = forms.ChoiceField(label=_("Group of lines"), choices=CAMPAIGN_GROUP_CHOICES)
    unit = _UnitField(queryset=OrgUnit.objects.none(), to_field_name="code", label=_("Organisation unit"))
    notice_channel = forms.ChoiceField(label=_("Notice by"), choices=NoticeChannel.choices)
    one_way_after = forms.IntegerField(label=_("One-way stop after"), min_value=1, max_value=MAX_INTERVAL_DAYS)
    one_way_unit = forms.ChoiceField(label=_("unit"), choices=IntervalUnit.choices)
    reminder_after = forms.IntegerField(label=_("Reminder after"), min_value=1, max_value=MAX_INTERVAL_DAYS)
    reminder_unit = forms.ChoiceField(label=_("unit"), choices=IntervalUnit.choices)
    two_way_after = forms.IntegerField(label=_("Two-way stop after"), min_value=1, max_value=MAX_INTERVAL_DAYS)
    two_way_unit = forms.ChoiceField(label=_("unit"), choices=IntervalUnit.choices)
    cancel_after = forms.IntegerField(label=_("Cancellation after"), min_value=1, max_value=MAX_INTERVAL_DAYS)
    cancel_unit = forms.ChoiceField(label=_("unit"), choices=IntervalUnit.choices)

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        if not self.is_bound:
            defaults = Intervals.defaults()
            for name in Intervals.__dataclass_fields__:
                self.fields[name].initial = getattr(defaults, name)

    def intervals(self) -> Intervals:
        data = self.cleaned_data
        return Intervals(**{name: data[name] for name in Intervals.__dataclass_fields__})
