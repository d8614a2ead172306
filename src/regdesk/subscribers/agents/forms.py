"""Forms of the agent supervision pages. The services check everything again and name the field at fault."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from regdesk.subscribers.config import agent_audit_max_sample, document_max_bytes
from regdesk.subscribers.models import AgentStatus, AuditFinding
from regdesk.subscribers.services.errors import RegistrationRefused

DATE = forms.DateInput(attrs={"type": "date"})


def add_refusal(form: forms.Form, refused: RegistrationRefused) -> None:
    """Show a service's refusal at the field it names (or above the form)."""
    field = refused.field if refused.field in form.fields else None
    form.add_error(field, refused.message)


class AgentStatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("New status"),
        choices=[
            (AgentStatus.SUSPENDED, _("suspend")),
            (AgentStatus.BLACKLISTED, _("blacklist (industry-wide; cannot be undone here)")),
            (AgentStatus.ACTIVE, _("reinstate")),
        ],
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the agent did, without personal data (no names, ID or phone numbers)."),
    )


class AgreementForm(forms.Form):
    reference = forms.CharField(label=_("Agreement number"), max_length=50)
    valid_from = forms.DateField(label=_("Valid from"), widget=DATE)
    valid_until = forms.DateField(label=_("Valid until"), widget=DATE)
    signed_on = forms.DateField(label=_("Signed on"), widget=DATE)
    duties_version = forms.CharField(label=_("Version of the real-name duties"), max_length=30)
    duties_text = forms.CharField(label=_("Real-name duties"), widget=forms.Textarea(attrs={"rows": 5}))
    forbids_sub_delegation = forms.BooleanField(
        label=_("The agreement forbids sub-delegation"), required=False, initial=True
    )
    document = forms.FileField(label=_("Signed agreement (PDF)"), required=False)

    def clean_document(self) -> Any:
        document = self.cleaned_data.get("document")
        if document is not None and document.size > document_max_bytes():
            raise forms.ValidationError(_("The file is too large."), code="document_too_large")
        return document


class AuditStartForm(forms.Form):
    period_from = forms.DateField(label=_("Registrations from"), widget=DATE)
    period_to = forms.DateField(label=_("Registrations to"), widget=DATE)
    sample_size = forms.IntegerField(label=_("Sample size"), min_value=1, initial=20)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The limit is configuration: read when the form is made, not when the module is imported.
        self.fields["sample_size"].validators.append(MaxValueValidator(agent_audit_max_sample()))
        self.fields["sample_size"].widget.attrs["max"] = str(agent_audit_max_sample())


class FindingForm(forms.Form):
    finding = forms.ChoiceField(label=_("Finding"), choices=AuditFinding.choices)
