"""Django admin of the organisation units: what the configuration site sets on a unit.

Only the regions a unit serves are changed here (``org_unit_served_regions_set``, validated and audited like every
write); units are added to the tree through the services, so the other fields are shown read-only.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.forms import ModelForm
from django.http import HttpRequest

from regdesk.accounts import services
from regdesk.accounts.models import OrgUnit, User


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin[OrgUnit]):
    list_display = ["code", "name", "kind", "parent", "region_code", "served_regions", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["code", "name", "served_regions"]
    fields = ["code", "name", "kind", "parent", "region_code", "served_regions", "active"]
    readonly_fields = ["code", "name", "kind", "parent", "region_code", "active"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: OrgUnit, form: ModelForm[OrgUnit], change: bool) -> None:
        actor = request.user if isinstance(request.user, User) else None
        services.org_unit_served_regions_set(actor=actor, unit=obj, served_regions=obj.served_regions)
