"""Forms of the counter pages. They only shape the input: every rule (document numbers, line numbers, who may do
what) is the services' to judge, and their refusals are shown at the field they name."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from regdesk.subscribers.counter.common import DOCUMENT_LABELS, REFUSAL_LABELS
from regdesk.subscribers.models import ActingParty, Payment, RegistrationKind
from regdesk.subscribers.models.lines import SubscriberKind
from regdesk.subscribers.rules import (
    CLERK_REFUSALS,
    INDIVIDUAL_DOCUMENTS,
    ORGANISATION_DOCUMENTS,
    DocumentType,
    RefusalReason,
)
from regdesk.subscribers.services.checks import DECLINE_REASONS, MAX_NOTE
from regdesk.subscribers.services.lookups import MAX_STATEMENT
from regdesk.subscribers.services.registrations import COUNTER_DOCUMENT_KINDS

# What the customer asks for at the counter, and the registration it starts: (kind, line kind).
SERVICES: dict[str, tuple[str, str]] = {
    "open_mobile": (RegistrationKind.OPEN, "mobile"),
    "open_data_card": (RegistrationKind.OPEN, "data_card"),
    "fixed_install": (RegistrationKind.FIXED_INSTALL, "fixed"),
    "transfer": (RegistrationKind.TRANSFER, ""),
    "re_registration": (RegistrationKind.RE_REGISTRATION, ""),
    "fixed_move": (RegistrationKind.FIXED_MOVE, ""),
}
SERVICE_CHOICES = [
    ("open_mobile", _("Open a mobile line")),
    ("open_data_card", _("Open a data card")),
    ("fixed_install", _("Install a fixed line")),
    ("transfer", _("Transfer a line to a new holder (过户)")),
    ("re_registration", _("Register an existing line to its user")),
    ("fixed_move", _("Move a fixed line")),
]
# The order in which documents are offered: the ones most often shown first.
_INDIVIDUAL_ORDER = (
    DocumentType.RESIDENT_ID,
    DocumentType.TEMPORARY_RESIDENT_ID,
    DocumentType.HOUSEHOLD_REGISTER,
    DocumentType.PASSPORT,
    DocumentType.HK_MACAU_PERMIT,
    DocumentType.TAIWAN_PERMIT,
    DocumentType.RESIDENCE_PERMIT,
    DocumentType.PERMANENT_RESIDENCE,
    DocumentType.MILITARY_ID,
    DocumentType.ARMED_POLICE_ID,
)
_ORGANISATION_ORDER = (DocumentType.USCC, DocumentType.ORG_CODE, DocumentType.BUSINESS_REGISTRATION_NUMBER)
assert set(_INDIVIDUAL_ORDER) == INDIVIDUAL_DOCUMENTS  # noqa: S101 - a new document type must be offered
assert set(_ORGANISATION_ORDER) == ORGANISATION_DOCUMENTS  # noqa: S101
INDIVIDUAL_DOCUMENT_CHOICES = [(str(kind), DOCUMENT_LABELS[kind]) for kind in _INDIVIDUAL_ORDER]
TYPED_DOCUMENT_CHOICES = [
    ("", _("— choose the document shown —")),
    (pgettext_lazy("counter", "Individuals"), INDIVIDUAL_DOCUMENT_CHOICES),
    (pgettext_lazy("counter", "Organisations"), [(str(kind), DOCUMENT_LABELS[kind]) for kind in _ORGANISATION_ORDER]),
]
SOURCE_CHOICES = [
    ("reading", _("the resident ID card read on the card reader")),
    ("typed", _("another document, typed from the document")),
]
REFUSAL_ORDER = (
    RefusalReason.NO_ID_SHOWN,
    RefusalReason.DATA_WITHHELD,
    RefusalReason.SOMEONE_ELSES_ID,
    RefusalReason.FORGED_OR_ALTERED_ID,
    RefusalReason.IDENTITY_CHECK_FAILED,
    RefusalReason.PER_ID_LIMIT_REACHED,
)
# The reasons only the checks reach: shown in the refusal form, not chosen there.
CHECK_REFUSALS = frozenset(REFUSAL_ORDER) - CLERK_REFUSALS


class StartForm(forms.Form):
    """What the customer asks for, and the line: a new number, or the number of an existing line."""

    service = forms.ChoiceField(label=_("The customer wants to"), choices=SERVICE_CHOICES)
    number = forms.CharField(
        label=pgettext_lazy("counter", "Number"),
        max_length=40,
        help_text=_("The new number, or the number of the existing line to transfer, register or move."),
    )
    payment = forms.ChoiceField(
        label=_("Payment (new lines)"), choices=Payment.choices, initial=Payment.PREPAID, required=False
    )
    installation_address = forms.CharField(
        label=_("Installation address (fixed lines)"), max_length=400, required=False
    )


class ReadingForm(forms.Form):
    """A signed reading of a resident ID card: pasted, or uploaded as the file the reader wrote."""

    reading = forms.CharField(
        label=_("Signed reading (JSON printed by the card reader)"),
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false", "autocomplete": "off"}),
        # The size is checked on the bytes (``common.reading_document``), with its own message.
        required=False,
    )
    reading_file = forms.FileField(label=_("or the reading's file"), required=False)


class IdentityForm(forms.Form):
    """Who is at the counter, and the documents: a card read on the reader, or a typed document, for the
    subscriber and (agent, organisation's handler) for the person acting for them."""

    subscriber_kind = forms.ChoiceField(
        label=pgettext_lazy("counter", "Subscriber"), choices=SubscriberKind.choices, initial=SubscriberKind.INDIVIDUAL
    )
    acting_party = forms.ChoiceField(
        label=pgettext_lazy("counter", "At the counter"), choices=ActingParty.choices, initial=ActingParty.SUBSCRIBER
    )
    subscriber_source = forms.ChoiceField(
        label=_("Subscriber's document"), choices=SOURCE_CHOICES, widget=forms.RadioSelect, initial="reading"
    )
    subscriber_document_type = forms.ChoiceField(
        label=pgettext_lazy("counter", "Document"), choices=TYPED_DOCUMENT_CHOICES, required=False
    )
    subscriber_number = forms.CharField(
        label=pgettext_lazy("counter", "Document number"), max_length=100, required=False
    )
    subscriber_name = forms.CharField(label=_("Name as on the document"), max_length=250, required=False)
    subscriber_address = forms.CharField(label=_("Address as on the document"), max_length=250, required=False)
    representative_source = forms.ChoiceField(
        label=_("Document of the agent or handler"),
        choices=SOURCE_CHOICES,
        widget=forms.RadioSelect,
        initial="reading",
    )
    representative_document_type = forms.ChoiceField(
        label=pgettext_lazy("counter", "Document"),
        choices=[("", _("— choose the document shown —")), *INDIVIDUAL_DOCUMENT_CHOICES],
        required=False,
    )
    representative_number = forms.CharField(
        label=pgettext_lazy("counter", "Document number"), max_length=100, required=False
    )
    representative_name = forms.CharField(label=_("Name as on the document"), max_length=250, required=False)
    representative_address = forms.CharField(label=_("Address as on the document"), max_length=250, required=False)

    def typed(self, party: str) -> dict[str, str]:
        """The typed document of ``party`` (subscriber or representative)."""
        data: dict[str, Any] = self.cleaned_data
        return {
            "document_type": str(data.get(f"{party}_document_type") or ""),
            "number": str(data.get(f"{party}_number") or ""),
            "name": str(data.get(f"{party}_name") or ""),
            "address": str(data.get(f"{party}_address") or ""),
        }


class LivePhotoForm(forms.Form):
    live_photo = forms.FileField(
        label=_("Photo of the person at the counter"),
        required=False,
        help_text=_("Taken with the counter camera now (JPEG or PNG, at most 2 MB); it is matched with the ID photo."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png", "capture": "user"}),
    )


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(
        label=pgettext_lazy("counter", "Document"),
        choices=[
            (kind, label)
            for kind, label in (
                ("authorisation_letter", _("organisation's letter of authorisation")),
                ("organisation_certificate", _("copy of the organisation's certificate")),
                ("agency_authorisation", _("the subscriber's authorisation of the agent")),
            )
            if kind in COUNTER_DOCUMENT_KINDS
        ],
    )
    file = forms.FileField(label=_("File (PDF or image)"))


class RefuseForm(forms.Form):
    reason = forms.ChoiceField(
        label=pgettext_lazy("counter", "Reason"),
        choices=[(str(reason), REFUSAL_LABELS[reason]) for reason in REFUSAL_ORDER],
        widget=forms.RadioSelect,
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=pgettext_lazy("counter", "Decision"),
        choices=[
            ("approve", _("Approve: the person is the cardholder")),
            ("decline", pgettext_lazy("counter", "Decline")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.ChoiceField(
        label=_("Reason for declining"),
        choices=[(str(reason), REFUSAL_LABELS[reason]) for reason in REFUSAL_ORDER if reason in DECLINE_REASONS],
        initial=RefusalReason.SOMEONE_ELSES_ID,
        required=False,
    )
    note = forms.CharField(
        label=_("Note (what you compared and why you decided so)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=MAX_NOTE * 2,
    )
    evidence = forms.FileField(label=_("Evidence (optional: PDF or image)"), required=False)


class DisputeForm(forms.Form):
    line = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    statement = forms.CharField(
        label=_("Why is this line not yours?"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=MAX_STATEMENT * 2,
    )


class ChallengeForm(forms.Form):
    """The self-service lookup: whose lines (the document) and where to send the code (one of the lines)."""

    document_type = forms.ChoiceField(
        label=_("Your identity document"), choices=INDIVIDUAL_DOCUMENT_CHOICES, initial=DocumentType.RESIDENT_ID
    )
    document_number = forms.CharField(label=pgettext_lazy("counter", "Document number"), max_length=100)
    line_number = forms.CharField(
        label=_("One of your mobile numbers"),
        max_length=40,
        help_text=_("A code is sent by SMS to this number if it is one of your lines."),
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from the SMS"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
