"""Configuration of ICP filing in ``/admin/``: the offices of the on-site verification and their time slots.

Administrators configure them by their role (``ConfigurationAdmin``). Saves go through the services (audited);
nothing is deleted here — an office or a slot no longer used is made inactive, so that the appointments booked in
it keep their place and time.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest

from regdesk.accounts.admin_site import ConfigurationAdmin
from regdesk.accounts.models import User
from regdesk.filings.models import OnsiteOffice, OnsiteSlot
from regdesk.filings.services.booking import onsite_office_save, onsite_slot_save


class OnsiteSlotInline(ConfigurationAdmin, admin.TabularInline[OnsiteSlot, OnsiteOffice]):
    model = OnsiteSlot
    fields = ["weekday", "starts_at", "ends_at", "capacity", "active"]
    extra = 1


@admin.register(OnsiteOffice)
class OnsiteOfficeAdmin(ConfigurationAdmin, admin.ModelAdmin[OnsiteOffice]):
    list_display = ["name", "unit", "address", "opening_hours", "phone", "active"]
    list_filter = ["active"]
    search_fields = ["name", "address"]
    fields = ["unit", "name", "address", "opening_hours", "phone", "directions", "active"]
    inlines = [OnsiteSlotInline]

    def save_model(self, request: HttpRequest, obj: OnsiteOffice, form: ModelForm[OnsiteOffice], change: bool) -> None:
        assert isinstance(request.user, User)  # noqa: S101 - the admin site admits authenticated staff only
        onsite_office_save(actor=request.user, office=obj, changed=list(form.changed_data))

    def save_formset(
        self,
        request: HttpRequest,
        form: ModelForm[OnsiteOffice],
        formset: BaseInlineFormSet[Any, Any, Any],
        change: bool,
    ) -> None:
        assert isinstance(request.user, User)  # noqa: S101 - the admin site admits authenticated staff only
        for slot_form in formset.forms:
            if not slot_form.has_changed() or not slot_form.is_valid():
                continue
            slot = slot_form.save(commit=False)
            slot.office = form.instance
            onsite_slot_save(actor=request.user, slot=slot, changed=list(slot_form.changed_data))
