"""Configuration of real-name registration in ``/admin/``: which units are outlets and their sales channel, and the
ID-card readers enrolled at each outlet.

Administrators (and only they, by their role: ``ConfigurationAdmin``) configure here; each save calls the service
(``outlet_configure``, ``reader_enrol``, ``reader_deactivate``: scoped to the administrator's units and audited).
Nothing is deleted: a reader out of service is deactivated with its reason, and lines keep naming their outlet.
Agents' status (suspension, blacklisting) is a compliance decision and stays on the desk.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from regdesk.accounts.admin_site import ConfigurationAdmin
from regdesk.accounts.models import OrgUnit, User
from regdesk.accounts.permissions import has_role
from regdesk.subscribers import readers
from regdesk.subscribers.models import CardReader, OutletProfile
from regdesk.subscribers.permissions import can_manage_readers_at
from regdesk.subscribers.services import outlet_configure, reader_deactivate, reader_enrol
from regdesk.subscribers.services.outlets import OUTLET_ADMIN_ROLES, OUTLET_KINDS


def _actor(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # noqa: S101 - the configuration site admits authenticated staff only
    return request.user


class OutletProfileForm(forms.ModelForm[OutletProfile]):
    actor: User

    class Meta:
        model = OutletProfile
        fields = ["unit", "channel"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "unit" in self.fields:
            unit_field = self.fields["unit"]
            assert isinstance(unit_field, forms.ModelChoiceField)  # noqa: S101 - a foreign key gives this field
            unit_field.queryset = OrgUnit.objects.filter(
                kind__in=[str(kind) for kind in OUTLET_KINDS], active=True, outlet_profile__isnull=True
            ).order_by("code")

    def clean_unit(self) -> OrgUnit:
        unit: OrgUnit = self.cleaned_data["unit"]
        if not has_role(self.actor, *OUTLET_ADMIN_ROLES, unit=unit):
            raise forms.ValidationError(_("You may not manage this outlet."))
        return unit


@admin.register(OutletProfile)
class OutletProfileAdmin(ConfigurationAdmin, admin.ModelAdmin[OutletProfile]):
    form = OutletProfileForm
    list_display = ["unit", "channel", "updated_at"]
    list_filter = ["channel"]
    search_fields = ["unit__code", "unit__name"]
    list_select_related = ["unit"]
    ordering = ["unit__code"]

    def get_readonly_fields(self, request: HttpRequest, obj: OutletProfile | None = None) -> list[str]:
        return ["unit"] if obj is not None else []

    def get_form(
        self, request: HttpRequest, obj: OutletProfile | None = None, change: bool = False, **kwargs: Any
    ) -> Any:
        # The form checks the administrator's scope: a class of this request's own, with its actor.
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (form,), {"actor": _actor(request)})

    def save_model(
        self, request: HttpRequest, obj: OutletProfile, form: forms.ModelForm[OutletProfile], change: bool
    ) -> None:
        saved = outlet_configure(actor=_actor(request), unit=obj.unit, channel=form.cleaned_data["channel"])
        obj.pk = saved.pk


class CardReaderAddForm(forms.ModelForm[CardReader]):
    """Enrol a reader: the outlet and the reader's public key (``regdesk reader-sim enrol`` prints it)."""

    actor: User

    class Meta:
        model = CardReader
        fields = ["outlet", "public_key", "label"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        outlet_field = self.fields["outlet"]
        assert isinstance(outlet_field, forms.ModelChoiceField)  # noqa: S101 - a foreign key gives this field
        outlet_field.queryset = OrgUnit.objects.filter(active=True, outlet_profile__isnull=False).order_by("code")

    def clean_outlet(self) -> OrgUnit:
        outlet: OrgUnit = self.cleaned_data["outlet"]
        if not can_manage_readers_at(self.actor, outlet):
            raise forms.ValidationError(_("You may not enrol card readers at this outlet."))
        return outlet

    def clean_public_key(self) -> str:
        public_key: str = self.cleaned_data["public_key"].strip()
        try:
            readers.load_public_key(public_key)
        except ValueError:
            raise forms.ValidationError(_("The public key is not a base64 Ed25519 key of 32 bytes.")) from None
        return public_key

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        outlet, public_key = cleaned.get("outlet"), cleaned.get("public_key")
        if outlet is not None and public_key:
            elsewhere = CardReader.objects.filter(device_id=readers.device_id_for(public_key), active=True).exclude(
                outlet=outlet
            )
            if elsewhere.exists():
                self.add_error("public_key", _("This reader is enrolled at another outlet; deactivate it there first."))
        return cleaned

    def validate_unique(self) -> None:
        # Enrolling a reader known before re-activates it (``reader_enrol``).
        return


class CardReaderChangeForm(forms.ModelForm[CardReader]):
    """Take a reader out of service, with the reason (a reader is moved by deactivating it and enrolling it again)."""

    class Meta:
        model = CardReader
        fields = ["active", "deactivation_reason"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (
            self.instance.active
            and not cleaned.get("active")
            and not " ".join(str(cleaned.get("deactivation_reason", "")).split())
        ):
            self.add_error("deactivation_reason", _("Give the reason for deactivating the reader."))
        if not self.instance.active and cleaned.get("active"):
            self.add_error("active", _("Enrol the reader again to put it back into service."))
        return cleaned


@admin.register(CardReader)
class CardReaderAdmin(ConfigurationAdmin, admin.ModelAdmin[CardReader]):
    list_display = ["device_id", "outlet", "label", "enrolled_at", "active"]
    list_filter = ["active"]
    search_fields = ["device_id", "label", "outlet__code", "outlet__name"]
    list_select_related = ["outlet"]
    ordering = ["outlet__code", "device_id"]

    def get_form(self, request: HttpRequest, obj: CardReader | None = None, change: bool = False, **kwargs: Any) -> Any:
        kwargs["form"] = CardReaderChangeForm if obj is not None else CardReaderAddForm
        # The form checks the administrator's scope: a class of this request's own, with its actor.
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (form,), {"actor": _actor(request)})

    def get_fields(self, request: HttpRequest, obj: CardReader | None = None) -> tuple[str, ...]:
        if obj is None:
            return ("outlet", "public_key", "label")
        return ("device_id", "outlet", "label", "enrolled_at", "active", "deactivation_reason", "deactivated_at")

    def get_readonly_fields(self, request: HttpRequest, obj: CardReader | None = None) -> tuple[str, ...]:
        if obj is None:
            return ()
        fixed = ("device_id", "outlet", "label", "enrolled_at", "deactivated_at")
        return fixed if obj.active else (*fixed, "deactivation_reason")

    def save_model(
        self, request: HttpRequest, obj: CardReader, form: forms.ModelForm[CardReader], change: bool
    ) -> None:
        data = form.cleaned_data
        if not change:
            saved = reader_enrol(
                actor=_actor(request), outlet=data["outlet"], public_key=data["public_key"], label=data.get("label", "")
            )
            obj.pk, obj.device_id = saved.pk, saved.device_id
            return
        stored = CardReader.objects.select_related("outlet").get(pk=obj.pk)
        if stored.active and not data.get("active"):
            reader_deactivate(actor=_actor(request), reader=stored, reason=data.get("deactivation_reason", ""))
