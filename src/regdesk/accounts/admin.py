"""What the configuration site (``/admin/``) sets in the accounts app: the organisation units and the roles staff
hold in them.

Units: name, place in the tree, region, the regions served, the service address and telephone, active or not
(``org_unit_create`` / ``org_unit_change``); never deleted. Memberships: a staff role granted to an account in a
unit, or revoked (``membership_grant`` / ``membership_revoke``); a revoked one stays, inactive, for the record.
Website owners' memberships (customers) are not shown, and accounts are named by username only: no personal
field appears here. Each form checks its fields with the service's own check, so a refusal is a field error and
changes nothing.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from regdesk.accounts import services
from regdesk.accounts.admin_site import ConfigurationAdmin
from regdesk.accounts.errors import AccountsError
from regdesk.accounts.models import Membership, OrgUnit, User
from regdesk.accounts.roles import STAFF_ROLES, Role

STAFF_ROLE_VALUES = [str(role) for role in STAFF_ROLES]


def _actor(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # noqa: S101 - the configuration site admits authenticated staff only
    return request.user


def _add_service_error(form: forms.BaseForm, error: AccountsError) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, str(error.message))


class OrgUnitForm(forms.ModelForm[OrgUnit]):
    class Meta:
        model = OrgUnit
        fields = ["code", "name", "kind", "parent", "region_code", "served_regions", "address", "phone", "active"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        existing = self.instance if self.instance.pk else None
        try:
            services.org_unit_check(
                unit=existing,
                code=existing.code if existing else cleaned.get("code", "").strip(),
                name=cleaned.get("name", "").strip(),
                kind=existing.kind if existing else cleaned.get("kind", ""),
                parent=cleaned.get("parent"),
                region_code=cleaned.get("region_code", ""),
                served_regions=cleaned.get("served_regions", ""),
                address=cleaned.get("address", "").strip(),
                phone=cleaned.get("phone", "").strip(),
                active=bool(cleaned.get("active", True)) if existing else True,
            )
        except AccountsError as error:
            _add_service_error(self, error)
        return cleaned

    def validate_unique(self) -> None:
        # The service's check covers the code; Django's own message would duplicate it.
        return


@admin.register(OrgUnit)
class OrgUnitAdmin(ConfigurationAdmin, admin.ModelAdmin[OrgUnit]):
    form = OrgUnitForm
    list_display = ["code", "name", "kind", "parent", "region_code", "served_regions", "phone", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["code", "name", "served_regions"]
    ordering = ["code"]

    def get_fields(self, request: HttpRequest, obj: OrgUnit | None = None) -> tuple[str, ...]:
        fields = ("code", "name", "kind", "parent", "region_code", "served_regions", "address", "phone")
        # A new unit starts active; deactivating one is a change.
        return (*fields, "active") if obj is not None else fields

    def get_readonly_fields(self, request: HttpRequest, obj: OrgUnit | None = None) -> list[str]:
        # The code is what other records and the configuration name the unit by; the kind decides its duties.
        return ["code", "kind"] if obj is not None else []

    def save_model(self, request: HttpRequest, obj: OrgUnit, form: forms.ModelForm[OrgUnit], change: bool) -> None:
        data = form.cleaned_data
        if change:
            saved = services.org_unit_change(
                actor=_actor(request),
                unit=obj,
                name=data["name"],
                parent=data.get("parent"),
                region_code=data.get("region_code", ""),
                served_regions=data.get("served_regions", ""),
                address=data.get("address", ""),
                phone=data.get("phone", ""),
                active=bool(data.get("active")),
            )
        else:
            saved = services.org_unit_create(
                actor=_actor(request),
                code=data["code"],
                name=data["name"],
                kind=data["kind"],
                parent=data.get("parent"),
                region_code=data.get("region_code", ""),
                served_regions=data.get("served_regions", ""),
                address=data.get("address", ""),
                phone=data.get("phone", ""),
            )
        obj.pk = saved.pk


class MembershipAddForm(forms.ModelForm[Membership]):
    """Grant a staff role: the account by its username (no list of every account, which would include customers)."""

    username = forms.CharField(label=_("username"), max_length=150)

    class Meta:
        model = Membership
        fields = ["unit", "role"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        role_field = self.fields["role"]
        assert isinstance(role_field, forms.ChoiceField)  # noqa: S101 - a choices model field gives a ChoiceField
        role_field.choices = [(value, label) for value, label in Role.choices if value in STAFF_ROLE_VALUES]
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, forms.ModelChoiceField)  # noqa: S101 - a foreign key gives a ModelChoiceField
        unit_field.queryset = OrgUnit.objects.filter(active=True).order_by("code")
        self.order_fields(["username", "unit", "role"])

    def clean_username(self) -> User:
        username = self.cleaned_data["username"].strip()
        user = User.objects.filter(username__iexact=username, is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("No active account has this username."))
        return user

    def validate_unique(self) -> None:
        # Granting a role held before re-activates that membership (``membership_grant``).
        return


class MembershipChangeForm(forms.ModelForm[Membership]):
    class Meta:
        model = Membership
        fields = ["active"]


@admin.register(Membership)
class MembershipAdmin(ConfigurationAdmin, admin.ModelAdmin[Membership]):
    list_display = ["username", "unit", "role", "active", "created_at"]
    list_filter = ["role", "active", "unit"]
    search_fields = ["user__username", "unit__code", "unit__name"]
    list_select_related = ["user", "unit"]
    ordering = ["unit__code", "user__username", "role"]

    @admin.display(description=_("username"), ordering="user__username")
    def username(self, membership: Membership) -> str:
        return membership.user.username

    def get_queryset(self, request: HttpRequest) -> QuerySet[Membership]:
        # Customers' memberships are their accounts, not configuration.
        return super().get_queryset(request).filter(role__in=STAFF_ROLE_VALUES)

    def get_form(self, request: HttpRequest, obj: Membership | None = None, change: bool = False, **kwargs: Any) -> Any:
        kwargs["form"] = MembershipChangeForm if obj is not None else MembershipAddForm
        return super().get_form(request, obj, change, **kwargs)

    def get_fields(self, request: HttpRequest, obj: Membership | None = None) -> tuple[str, ...]:
        return ("username", "unit", "role", "active") if obj is not None else ("username", "unit", "role")

    def get_readonly_fields(self, request: HttpRequest, obj: Membership | None = None) -> list[str]:
        return ["username", "unit", "role"] if obj is not None else []

    def save_model(
        self, request: HttpRequest, obj: Membership, form: forms.ModelForm[Membership], change: bool
    ) -> None:
        if not change:
            granted = services.membership_grant(
                actor=_actor(request),
                user=form.cleaned_data["username"],
                unit=form.cleaned_data["unit"],
                role=form.cleaned_data["role"],
            )
            obj.pk, obj.user, obj.active, obj.created_at = granted.pk, granted.user, granted.active, granted.created_at
            return
        stored = Membership.objects.select_related("user", "unit").get(pk=obj.pk)
        if form.cleaned_data["active"] and not stored.active:
            services.membership_grant(actor=_actor(request), user=stored.user, unit=stored.unit, role=stored.role)
        elif not form.cleaned_data["active"] and stored.active:
            services.membership_revoke(actor=_actor(request), membership=stored)
