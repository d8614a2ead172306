"""The desk's routing panel: which unit works the filing, which administration reviews it, and the compliance
officer's reassignment form (重新分派)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy, pgettext_lazy

from regdesk.accounts.models import OrgUnit, User
from regdesk.accounts.permissions import active_memberships, unit_descendant_ids
from regdesk.accounts.roles import Role
from regdesk.filings.models import Filing
from regdesk.filings.permissions import routing_summary
from regdesk.filings.services.routing import FINISHED_STATES, MINIMUM_REASON_LENGTH


def reassign_targets(user: User, filing: Filing) -> list[OrgUnit]:
    """The active units the compliance officer may move the filing to (those under their compliance roles),
    the filing's own unit left out; empty for anybody who may not reassign it."""
    unit_ids = set(active_memberships(user).filter(role=Role.COMPLIANCE_OFFICER).values_list("unit_id", flat=True))
    covered = unit_descendant_ids(unit_ids)
    if filing.owner.unit_id not in covered or filing.state in FINISHED_STATES:
        return []
    return list(OrgUnit.objects.filter(pk__in=covered, active=True).exclude(pk=filing.owner.unit_id).order_by("code"))


class ReassignForm(forms.Form):
    unit = forms.ChoiceField(label=gettext_lazy("Move to the unit"))
    reason = forms.CharField(
        label=pgettext_lazy("filings desk", "Reason"),
        min_length=MINIMUM_REASON_LENGTH,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"min_length": gettext_lazy("State why the filing is reassigned (at least four characters).")},
    )

    def __init__(self, *args: Any, units: list[OrgUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 - declared above
        field.choices = [("", "—"), *((unit.code, f"{unit.name} ({unit.code})") for unit in units)]


def routing_context(user: User, filing: Filing, *, form: ReassignForm | None = None) -> dict[str, Any]:
    """What the routing panel shows: the summary, and the reassignment form for those who may use it."""
    units = reassign_targets(user, filing)
    return {
        "routing": routing_summary(filing),
        "reassign_form": form or (ReassignForm(units=units) if units else None),
    }
