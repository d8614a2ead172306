"""Forms of the owner portal.

``SpecForm`` is one part of the application (the owner, a person in charge, a website, a website's access) built
from the field specs of ``fields``. It does not judge the values itself: the backend's rules do
(``regdesk.filings.validation``), and their errors — each at a field path — are put under the matching field with
``add_rule_errors``. Every field is optional here, since a draft may be incomplete.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from regdesk.filings.portal import choices
from regdesk.filings.portal.fields import (
    FieldSpec,
    display_value,
    initial_value,
    item_message,
    join,
    json_value,
    message_of,
    spec_matches,
    value_at,
)
from regdesk.rules.icp import CodeEntry, FieldError

TEXTAREA_ROWS = 3


class CertificateTypeSelect(forms.Select):
    """The owner's certificate types, each option naming the natures that may present it (``data-natures``), so
    that choosing a nature leaves only the certificates of that kind of organisation (static/filings/portal.js)."""

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option: dict[str, Any] = super().create_option(*args, **kwargs)
        natures = choices.certificate_natures().get(str(option["value"]))
        if natures is not None:
            option["attrs"]["data-natures"] = natures
        return option


def _widget(spec: FieldSpec, choice_list: Any) -> forms.Widget:
    attrs: dict[str, str] = {}
    if spec.input_mode:
        attrs["inputmode"] = spec.input_mode
    if spec.autocomplete:
        attrs["autocomplete"] = spec.autocomplete
    if spec.key == "certificate.type":
        return CertificateTypeSelect(choices=choice_list, attrs=attrs)
    if spec.kind in ("select", "division", "location"):
        return forms.Select(choices=choice_list, attrs=attrs)
    if spec.kind == "checkboxes":
        return forms.CheckboxSelectMultiple(choices=choice_list, attrs=attrs)
    if spec.kind in ("lines", "ip_ranges", "textarea"):
        return forms.Textarea(attrs={**attrs, "rows": str(TEXTAREA_ROWS)})
    return forms.TextInput(attrs=attrs)


@dataclass
class ApprovalRow:
    """One pre-approval type in the website form: does the website offer this content, and the approval's number."""

    entry: CodeEntry
    checked: bool
    number: str
    checkbox_name: str
    number_name: str
    document_id: int | None

    @property
    def label(self) -> str:
        return choices.entry_name(self.entry)


@dataclass
class FieldRow:
    """What a template needs to show one field: the bound field (or a read-only value) and its errors."""

    spec: FieldSpec
    path: str
    bound: forms.BoundField | None
    errors: list[str]
    error_id: str
    editable: bool
    display: str = ""
    approvals: list[ApprovalRow] = field(default_factory=list)

    @property
    def group(self) -> str:
        """``person`` for the fields of a website's person in charge (shown in their own fieldset)."""
        return "person" if self.spec.key.startswith("person_in_charge.") else "main"

    @property
    def shows_data(self) -> bool:
        """The read-only value is what the owner entered (a name, a number, an address), alike in every language."""
        return self.spec.kind in ("text", "textarea", "lines", "ip_ranges") and not self.spec.table


class SpecForm(forms.Form):
    """One part of the application (see the module docstring).

    ``base`` is the part's path (``owner``, ``websites[0]``, ``websites[0].access[0]``); ``document`` the filing's
    JSON form whose values fill the form when it is not bound (plain values for editable fields, masked ones for
    read-only display); ``editable(spec)`` says which fields may change (all of them in a draft).
    """

    def __init__(
        self,
        specs: Sequence[FieldSpec],
        *,
        base: str,
        document: Mapping[str, Any] | None = None,
        display_document: Mapping[str, Any] | None = None,
        data: Mapping[str, Any] | None = None,
        prefix: str | None = None,
        editable: Callable[[FieldSpec], bool] | None = None,
        title: str = "",
    ) -> None:
        self.specs = list(specs)
        self.base = base
        self.title = title
        self.document = document or {}
        self.display_document = display_document if display_document is not None else self.document
        self.is_editable = editable or (lambda spec: True)
        self.rule_errors: dict[str, list[str]] = {}
        self.general_errors: list[str] = []
        initial = {
            spec.name: initial_value(spec, value_at(self.document, join(base, spec.key)))
            for spec in self.specs
            if spec.kind != "approvals"
        }
        super().__init__(data=data, initial=initial, prefix=prefix)
        for spec in self.specs:
            if spec.kind == "approvals" or not self.is_editable(spec):
                continue
            choice_list = self._choices(spec)
            widget = _widget(spec, choice_list)
            if spec.kind == "checkboxes":
                self.fields[spec.name] = forms.MultipleChoiceField(
                    label=str(spec.label), required=False, choices=choice_list, widget=widget
                )
            else:
                self.fields[spec.name] = forms.CharField(
                    label=str(spec.label), required=False, strip=False, widget=widget, max_length=4096
                )

    # -- choices ---------------------------------------------------------------------------------------------

    def _raw(self, spec: FieldSpec) -> Any:
        if self.is_bound:
            return self.data.get(self.add_prefix(spec.name), "")
        return self.initial.get(spec.name, "")

    def _choices(self, spec: FieldSpec) -> Any:
        if spec.kind == "division":
            parent = ""
            if spec.parent:
                parent_spec = next(item for item in self.specs if item.key == spec.parent)
                parent = str(self._raw(parent_spec) or "")
                if not parent:
                    return [("", _("— choose the level above first —"))]
            options = choices.division_children(parent)
            current = str(self._raw(spec) or "")
            if current and current not in {code for code, _label in options}:
                # A stored code that is no longer current stays visible, so that its error can be seen.
                options.append((current, choices.division_name(current)))
            return options
        return spec.choices() if spec.choices is not None else []

    # -- values ----------------------------------------------------------------------------------------------

    def approval_rows(self, spec: FieldSpec) -> list[ApprovalRow]:
        """The rows of the pre-approval block, from the submitted form or from the stored website."""
        website = value_at(self.document, self.base) or {}
        stored = {str(item.get("type")): item for item in website.get("pre_approvals") or [] if isinstance(item, dict)}
        categories = {str(code) for code in website.get("content_categories") or []}
        rows = []
        for entry in choices.pre_approval_types():
            code = str(entry.code)
            checkbox_name = self.add_prefix(f"{spec.name}-{code}")
            number_name = self.add_prefix(f"{spec.name}-{code}-number")
            held = stored.get(code) or {}
            if self.is_bound:
                checked = bool(self.data.get(checkbox_name))
                number = str(self.data.get(number_name, "") or "")
            else:
                checked = code in categories or code in stored
                number = str(held.get("number") or "")
            rows.append(
                ApprovalRow(entry, checked, number, checkbox_name, number_name, held.get("document_id") or None)
            )
        return rows

    def json_values(self) -> dict[str, Any]:
        """``{absolute path: JSON value}`` of every editable field of the bound form."""
        values: dict[str, Any] = {}
        for spec in self.specs:
            if not self.is_editable(spec):
                continue
            if spec.kind == "approvals":
                rows = [row for row in self.approval_rows(spec) if row.checked]
                values[join(self.base, "content_categories")] = [str(row.entry.code) for row in rows]
                values[join(self.base, "pre_approvals")] = [
                    {"type": str(row.entry.code), "number": row.number.strip() or None, "document_id": row.document_id}
                    for row in rows
                ]
                continue
            if spec.kind == "checkboxes":
                raw: Any = self.data.getlist(self.add_prefix(spec.name)) if hasattr(self.data, "getlist") else []
            else:
                raw = self.data.get(self.add_prefix(spec.name), "")
            values[join(self.base, spec.key)] = json_value(spec, raw)
        return values

    # -- errors ----------------------------------------------------------------------------------------------

    def add_rule_errors(
        self, errors: Sequence[FieldError], *, skip_codes: frozenset[str] = frozenset()
    ) -> list[FieldError]:
        """Put each error under its field; errors about the part as a whole become general errors. Returns the
        errors that are about none of this form's fields."""
        others: list[FieldError] = []
        for error in errors:
            if error.code in skip_codes:
                continue
            for spec in self.specs:
                rest = spec_matches(spec, self.base, error.field)
                if rest is not None:
                    self.rule_errors.setdefault(spec.name, []).append(item_message(rest, message_of(error)))
                    break
            else:
                if self.base == error.field or self.base.startswith((error.field + ".", error.field + "[")):
                    self.general_errors.append(message_of(error))
                else:
                    others.append(error)
        return others

    def error_id(self, spec: FieldSpec) -> str:
        return f"error-{self.add_prefix(spec.name)}"

    def rows(self) -> list[FieldRow]:
        website = value_at(self.display_document, self.base.split(".access")[0]) or {}
        result = []
        for spec in self.specs:
            path = join(self.base, spec.key)
            editable = self.is_editable(spec)
            bound = self[spec.name] if editable and spec.name in self.fields else None
            if bound is not None:
                attrs = bound.field.widget.attrs
                attrs["aria-describedby"] = self.error_id(spec)
                if self.rule_errors.get(spec.name):
                    attrs["aria-invalid"] = "true"
                if spec.key == "nature" and "certificate-type" in self.fields:
                    attrs["data-certificate-types"] = self["certificate-type"].id_for_label
                child = next((item for item in self.specs if item.parent == spec.key), None)
                if child is not None and child.name in self.fields:
                    # The cascade of divisions: choosing a province loads its cities (static/filings/portal.js).
                    attrs["data-division-child"] = self[child.name].id_for_label
                    attrs["data-division-url"] = reverse("filings_portal:divisions")
            row = FieldRow(
                spec=spec,
                path=path,
                bound=bound,
                errors=self.rule_errors.get(spec.name, []),
                error_id=self.error_id(spec),
                editable=editable,
            )
            if spec.kind == "approvals":
                if editable:
                    row.approvals = self.approval_rows(spec)
                else:
                    row.display = display_value(spec, None, website=website)
            elif not editable:
                row.display = display_value(spec, value_at(self.display_document, path))
            result.append(row)
        return result

    @property
    def has_rule_errors(self) -> bool:
        return bool(self.general_errors) or any(self.rule_errors.values())


class DocumentUploadForm(forms.Form):
    """One scan of the application (or a pre-approval's scan)."""

    kind = forms.CharField(max_length=40)
    website = forms.IntegerField(required=False, min_value=0)
    approval = forms.IntegerField(required=False, min_value=0)
    file = forms.FileField(label=pgettext_lazy("owner portal", "File"), allow_empty_file=False)


class SmsCodeForm(forms.Form):
    code = forms.CharField(label=_("Verification code"), max_length=12, strip=True)


class WithdrawForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Yes, withdraw this application. I understand that it cannot be resumed."), required=True
    )
