"""Forms of the self-inspection pages."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from regdesk.accounts.models import OrgUnit
from regdesk.subscribers.inspection.selectors import RESOLUTION_LABELS
from regdesk.subscribers.inspection.services import RESOLUTIONS
from regdesk.subscribers.reports.selectors import CONTEXT

DATE = forms.DateInput(attrs={"type": "date"})


class InspectionRunForm(forms.Form):
    unit = forms.ChoiceField(label=pgettext_lazy(CONTEXT, "Unit"))
    period_start = forms.DateField(label=_("Period from"), widget=DATE)
    period_end = forms.DateField(label=_("Period to"), widget=DATE)

    def __init__(self, *args: Any, units: list[OrgUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.units = {unit.code: unit for unit in units}
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, forms.ChoiceField)  # noqa: S101 - declared above
        unit_field.choices = [(code, f"{unit.name} ({code})") for code, unit in self.units.items()]
        today = timezone.localdate()
        self.fields["period_end"].initial = today - datetime.timedelta(days=1)
        self.fields["period_start"].initial = today - datetime.timedelta(days=92)

    def chosen_unit(self) -> OrgUnit:
        return self.units[self.cleaned_data["unit"]]


class FindingCloseForm(forms.Form):
    resolution = forms.ChoiceField(
        label=_("Resolution"), choices=[(value, RESOLUTION_LABELS[value]) for value in RESOLUTIONS]
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What was done or why nothing is needed, without personal data."),
    )
