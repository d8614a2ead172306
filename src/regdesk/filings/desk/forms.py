"""Forms of the filings desk. They check the shape of the input (which field, what is wrong); the rules themselves
are the services' — a form that passes may still be refused by a service, and the page shows why."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from regdesk.filings.desk.queue import OPEN_FILTER, state_choices
from regdesk.filings.models import AttachmentKind, CallOutcome
from regdesk.filings.services.onsite import COPY_KINDS, ORIGINALS

ORIGINAL_LABELS = {
    "owner_certificate": gettext_lazy("The owner's certificate (business licence or other)"),
    "person_in_charge_id": gettext_lazy("The ID document of the person in charge, compared with the person present"),
    "website_person_in_charge_ids": gettext_lazy("The ID documents of the websites' persons in charge"),
    "domain_certificates": gettext_lazy("The domain certificates"),
    "pre_approvals": gettext_lazy("The pre-approval documents (where a website needs them)"),
}
MAX_REASONS = 30


class QueueFilterForm(forms.Form):
    state = forms.ChoiceField(label=gettext_lazy("State"), required=False)
    q = forms.CharField(
        label=gettext_lazy("Reference or organisation name"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "ICP-2026-000001"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        state = self.fields["state"]
        assert isinstance(state, forms.ChoiceField)  # noqa: S101 - declared above
        state.choices = state_choices()

    def state_value(self) -> str:
        if self.is_valid():
            return str(self.cleaned_data.get("state") or OPEN_FILTER)
        return OPEN_FILTER

    def text_value(self) -> str:
        return str(self.cleaned_data.get("q") or "") if self.is_valid() else ""


class IdentifierForm(forms.Form):
    number = forms.CharField(
        label=gettext_lazy("Certificate, ID or mobile number (exact)"),
        min_length=5,
        max_length=40,
        help_text=gettext_lazy("Sent in the request body, never in the address; compared through its blind index."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


class RevealForm(forms.Form):
    """The purpose is judged by the vault (which also records a refused reveal), so the form only bounds it."""

    target = forms.CharField(widget=forms.HiddenInput, max_length=80)
    purpose = forms.CharField(
        label=gettext_lazy("Purpose"),
        required=False,
        max_length=500,
        help_text=gettext_lazy("Why you need the plain value; it is written to the audit trail."),
    )


class PurposeForm(forms.Form):
    purpose = forms.CharField(
        label=gettext_lazy("Purpose"),
        max_length=500,
        help_text=gettext_lazy("Why you open this document; it is written to the audit trail."),
    )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason of the rejection"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("The owner receives this reason by e-mail."),
    )


@dataclass
class ReasonRow:
    """One row of the return form: a field of the filing and the reason it must change."""

    path: str = ""
    reason: str = ""
    errors: list[str] = field(default_factory=list)


class ReturnForm:
    """The rows of "return for changes": each names a field (from the filing's own field list) and its reason.

    Not a Django form because the number of rows varies; ``rows`` keep what was entered, with each row's errors.
    """

    def __init__(self, data: QueryDict | None, *, choices: Sequence[tuple[str, str]], blank_rows: int = 3) -> None:
        self.choices = list(choices)
        self.paths = {path for path, _label in self.choices}
        self.errors: list[str] = []
        if data is None:
            self.rows = [ReasonRow() for _index in range(blank_rows)]
            return
        paths, reasons = data.getlist("field"), data.getlist("reason")
        count = min(max(len(paths), len(reasons)), MAX_REASONS)
        self.rows = [
            ReasonRow(
                path=(paths[index] if index < len(paths) else "").strip(),
                reason=(reasons[index] if index < len(reasons) else "").strip(),
            )
            for index in range(count)
        ]

    def is_valid(self) -> bool:
        seen: set[str] = set()
        filled = [row for row in self.rows if row.path or row.reason]
        for row in filled:
            if not row.path:
                row.errors.append(_("Choose the field that must change."))
            elif row.path not in self.paths:
                row.errors.append(_("There is no such field in the filing."))
            elif row.path in seen:
                row.errors.append(_("This field is already named above."))
            if not row.reason:
                row.errors.append(_("Give the reason this field must change."))
            elif len(row.reason) > 500:
                row.errors.append(_("Keep the reason within 500 characters."))
            seen.add(row.path)
        if not filled:
            self.errors.append(_("Name at least one field to change, with its reason."))
        return not self.errors and not any(row.errors for row in self.rows)

    @property
    def reasons(self) -> dict[str, str]:
        return {row.path: row.reason for row in self.rows if row.path and row.reason}

    def add_service_errors(self, fields: dict[str, list[str]]) -> None:
        """Errors of the service (``reasons.<path>``) at their rows; others above the rows."""
        for name, messages in fields.items():
            path = name.removeprefix("reasons.")
            rows = [row for row in self.rows if row.path == path]
            if rows and name != "reasons":
                rows[0].errors.extend(messages)
            else:
                self.errors.extend(messages)


class SmsCodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code read out by the person in charge"),
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


class PhoneCallForm(forms.Form):
    outcome = forms.ChoiceField(label=gettext_lazy("Outcome of the call"), choices=CallOutcome.choices)
    note = forms.CharField(
        label=gettext_lazy("Note"),
        required=False,
        max_length=500,
        help_text=gettext_lazy("No personal data here (no names or numbers): it is shown on the desk."),
    )


class ChecklistForm(forms.Form):
    """The originals the specialist inspected (the verification form's checklist)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key in ORIGINALS:
            self.fields[key] = forms.BooleanField(label=ORIGINAL_LABELS.get(key, key), required=False)

    def originals(self) -> dict[str, bool]:
        return {key: bool(self.cleaned_data.get(key)) for key in ORIGINALS}


def copy_kind_choices() -> list[tuple[str, str]]:
    return [(str(kind.value), str(kind.label)) for kind in AttachmentKind if kind in COPY_KINDS]


class CopyForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Copy of"))
    website = forms.IntegerField(required=False, widget=forms.HiddenInput)
    file = forms.FileField(
        label=gettext_lazy("Scan or photo of the original (JPEG, PNG or PDF)"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,application/pdf"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)  # noqa: S101 - declared above
        kind.choices = copy_kind_choices()


class PhotoForm(forms.Form):
    photo = forms.FileField(
        label=gettext_lazy("Full-face colour photo of the person in charge (JPEG or PNG, at least 800×600)"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png", "capture": "user"}),
    )


class PhotoConfirmForm(forms.Form):
    face_matches = forms.BooleanField(
        label=gettext_lazy("I compared the person present with the photo on the ID: it is the same person."),
        required=False,
    )


class VerificationFormForm(forms.Form):
    place = forms.CharField(
        label=gettext_lazy("Place of the verification"),
        max_length=200,
        help_text=gettext_lazy("The office where the person in charge came, as printed on the form."),
    )
