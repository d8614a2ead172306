"""A registration in progress at the counter: the subject of a ``line.registration`` case."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from regdesk.privacy.fields import BlindIndexField, EncryptedTextField
from regdesk.subscribers import personal_data
from regdesk.subscribers.models.lines import (
    DOCUMENT_TYPE_CHOICES,
    ActingParty,
    Line,
    LineKind,
    Payment,
    RegistrationKind,
    Subscriber,
    SubscriberKind,
)
from regdesk.subscribers.models.readings import CardReading


class Registration(models.Model):
    """What the counter captured for one registration, the outcome of its checks, and its result.

    The case (``line.registration``) carries the state and the history; this row carries the data, written by the
    services of ``regdesk.subscribers.services.registrations`` in the transactions that move the case. The guards of
    the process read it, so the case cannot be moved past a step whose data is missing.
    """

    # Set in the transaction that creates the row (the case names the registration as its subject).
    case = models.OneToOneField(
        "cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="line_registration"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=RegistrationKind.choices)
    outlet = models.ForeignKey("accounts.OrgUnit", on_delete=models.PROTECT, related_name="+")
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    # The line asked for (open, fixed installation) or acted on (transfer, move, re-registration).
    line_kind = models.CharField(_("line kind"), max_length=20, choices=LineKind.choices)
    payment = models.CharField(_("payment"), max_length=20, choices=Payment.choices)
    requested_number = EncryptedTextField(_("number"), personal_field=personal_data.LINE_NUMBER, null=True, blank=True)
    requested_number_index = BlindIndexField(source="requested_number")
    installation_address = EncryptedTextField(
        _("installation address"), personal_field=personal_data.INSTALLATION_ADDRESS, null=True, blank=True
    )
    target_line = models.ForeignKey(Line, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    # The subscriber's document, as read or typed.
    subscriber_kind = models.CharField(_("subscriber kind"), max_length=20, choices=SubscriberKind.choices, blank=True)
    document_type = models.CharField(_("document type"), max_length=40, choices=DOCUMENT_TYPE_CHOICES, blank=True)
    document_number = EncryptedTextField(
        _("document number"), personal_field=personal_data.SUBSCRIBER_DOCUMENT_NUMBER, null=True, blank=True
    )
    document_number_index = BlindIndexField(source="document_number")
    name = EncryptedTextField(_("name"), personal_field=personal_data.SUBSCRIBER_NAME, null=True, blank=True)
    address = EncryptedTextField(_("address"), personal_field=personal_data.SUBSCRIBER_ADDRESS, null=True, blank=True)
    subscriber_reading = models.ForeignKey(
        CardReading, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    # Who acted, and their document when it was not the subscriber in person.
    acting_party = models.CharField(_("acting party"), max_length=20, choices=ActingParty.choices, blank=True)
    representative_document_type = models.CharField(
        _("representative's document type"), max_length=40, choices=DOCUMENT_TYPE_CHOICES, blank=True
    )
    representative_document_number = EncryptedTextField(
        _("representative's document number"),
        personal_field=personal_data.REPRESENTATIVE_DOCUMENT_NUMBER,
        null=True,
        blank=True,
    )
    representative_document_number_index = BlindIndexField(source="representative_document_number")
    representative_name = EncryptedTextField(
        _("representative's name"), personal_field=personal_data.REPRESENTATIVE_NAME, null=True, blank=True
    )
    representative_address = EncryptedTextField(
        _("representative's address"), personal_field=personal_data.REPRESENTATIVE_ADDRESS, null=True, blank=True
    )
    representative_reading = models.ForeignKey(
        CardReading, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    captured_at = models.DateTimeField(_("identity captured at"), null=True, blank=True)

    # Outcomes of the checks (codes of the identity check service; 0-100 face score; empty when not run).
    subscriber_check = models.CharField(_("identity check of the subscriber"), max_length=30, blank=True)
    subscriber_check_id = models.CharField(max_length=100, blank=True)
    representative_check = models.CharField(_("identity check of the representative"), max_length=30, blank=True)
    representative_check_id = models.CharField(max_length=100, blank=True)
    face_score = models.PositiveSmallIntegerField(_("face match score"), null=True, blank=True)
    face_comparison_id = models.CharField(max_length=100, blank=True)
    face_threshold = models.PositiveSmallIntegerField(_("face match threshold"), null=True, blank=True)
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)

    # A supervisor's decision on a registration held for review.
    decision = models.CharField(_("decision"), max_length=20, blank=True)
    decision_note = EncryptedTextField(
        _("decision note"), personal_field=personal_data.DECISION_NOTE, null=True, blank=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    refusal_reason = models.CharField(_("reason for refusal"), max_length=30, blank=True)

    # The result.
    line = models.ForeignKey(Line, on_delete=models.PROTECT, null=True, blank=True, related_name="registrations")
    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.PROTECT, null=True, blank=True, related_name="registrations"
    )
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("line registration")
        verbose_name_plural = _("line registrations")

    def __str__(self) -> str:
        return f"registration #{self.pk}"
