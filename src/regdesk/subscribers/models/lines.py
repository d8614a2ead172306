"""Subscribers, their lines and the history of each line's registrations."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from regdesk.privacy.fields import BlindIndexField, EncryptedTextField
from regdesk.subscribers import personal_data
from regdesk.subscribers.rules import DocumentType

DOCUMENT_TYPE_CHOICES = [
    (DocumentType.RESIDENT_ID.value, _("resident ID card")),
    (DocumentType.TEMPORARY_RESIDENT_ID.value, _("temporary resident ID card")),
    (DocumentType.HOUSEHOLD_REGISTER.value, _("household register")),
    (DocumentType.MILITARY_ID.value, _("military ID")),
    (DocumentType.ARMED_POLICE_ID.value, _("armed police ID")),
    (DocumentType.HK_MACAU_PERMIT.value, _("Hong Kong / Macau travel permit")),
    (DocumentType.TAIWAN_PERMIT.value, _("Taiwan travel permit")),
    (DocumentType.PASSPORT.value, _("passport")),
    (DocumentType.RESIDENCE_PERMIT.value, _("residence permit for Hong Kong, Macau and Taiwan residents")),
    (DocumentType.PERMANENT_RESIDENCE.value, _("foreigner's permanent residence ID card")),
    (DocumentType.USCC.value, _("unified social credit code")),
    (DocumentType.ORG_CODE.value, _("organisation code certificate")),
    (DocumentType.BUSINESS_REGISTRATION_NUMBER.value, _("business registration number")),
]


class SubscriberKind(models.TextChoices):
    INDIVIDUAL = "individual", _("individual")
    ORGANISATION = "organisation", _("organisation")


class SubscriberIdentity(models.Model):
    """One identity document as the per-ID limit sees it: the document family and the blind index of the number.

    No personal data, only the index. Every registration that gives a line to an identity locks this row first
    (``SELECT ... FOR UPDATE``), so two registrations for the same ID cannot both see four lines and both add a
    fifth and a sixth.
    """

    document_family = models.CharField(_("document family"), max_length=40)
    document_index = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("subscriber identity")
        verbose_name_plural = _("subscriber identities")
        constraints = [
            models.UniqueConstraint(fields=["document_family", "document_index"], name="subscribers_identity_unique")
        ]

    def __str__(self) -> str:
        return f"{self.document_family}:{self.document_index[:8]}"


class Subscriber(models.Model):
    """The registered holder of lines (机主): a person or an organisation, as on the document last registered."""

    identity = models.OneToOneField(SubscriberIdentity, on_delete=models.PROTECT, related_name="subscriber")
    kind = models.CharField(_("kind"), max_length=20, choices=SubscriberKind.choices)
    document_type = models.CharField(_("document type"), max_length=40, choices=DOCUMENT_TYPE_CHOICES)
    document_number = EncryptedTextField(_("document number"), personal_field=personal_data.SUBSCRIBER_DOCUMENT_NUMBER)
    document_number_index = BlindIndexField(source="document_number")
    name = EncryptedTextField(_("name"), personal_field=personal_data.SUBSCRIBER_NAME)
    address = EncryptedTextField(_("address"), personal_field=personal_data.SUBSCRIBER_ADDRESS)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")

    def __str__(self) -> str:
        return f"subscriber #{self.pk}"


class LineKind(models.TextChoices):
    MOBILE = "mobile", _("mobile line")
    DATA_CARD = "data_card", _("data card")
    FIXED = "fixed", _("fixed line")


class Payment(models.TextChoices):
    PREPAID = "prepaid", _("prepaid")
    POSTPAID = "postpaid", _("postpaid")


class LineStatus(models.TextChoices):
    """The service state of a line (DOMAIN.md §2: notify → one-way stop → two-way stop → cancel)."""

    ACTIVE = "active", _("active")
    # No outgoing calls, SMS or data; incoming calls and emergency numbers still work.
    ONE_WAY_SUSPENDED = "one_way_suspended", _("one-way suspended")
    # Only emergency numbers.
    TWO_WAY_SUSPENDED = "two_way_suspended", _("two-way suspended")
    CANCELLED = "cancelled", _("cancelled")
    # An existing line in service without a proper registration, waiting for the holder to register.
    UNREGISTERED = "unregistered", _("in service, not registered")


# Lines that still belong to their holder: everything but cancelled ones.
HELD_STATUSES = (
    LineStatus.ACTIVE,
    LineStatus.ONE_WAY_SUSPENDED,
    LineStatus.TWO_WAY_SUSPENDED,
    LineStatus.UNREGISTERED,
)


class RealNameState(models.TextChoices):
    """Whether the line is properly registered, and if not, which of the four groups of DOMAIN.md §2 it is in."""

    REGISTERED = "registered", _("registered")
    # (1) "临时账户", "某某代办": a temporary account or an agent's name instead of the user's.
    TEMPORARY_ACCOUNT = "temporary_account", _("temporary account")
    # (2) Incomplete registration data.
    INCOMPLETE = "incomplete", _("incomplete data")
    # (3) The registered holder is not the actual user.
    OWNER_NOT_USER = "owner_not_user", _("holder is not the user")
    # (4) Group lines registered under the unit's or the handler's name.
    UNIT_NAME = "unit_name", _("group line under a unit's or handler's name")


class Line(models.Model):
    """A phone or data line (MSISDN or fixed number) the provider sells.

    The number is personal data once it is tied to a person: it is sealed, and looked up through its blind index.
    A number is held by at most one line that is not cancelled (a cancelled number may be issued again later).
    """

    number = EncryptedTextField(_("number"), personal_field=personal_data.LINE_NUMBER)
    number_index = BlindIndexField(source="number")
    kind = models.CharField(_("kind"), max_length=20, choices=LineKind.choices)
    payment = models.CharField(_("payment"), max_length=20, choices=Payment.choices)
    status = models.CharField(_("status"), max_length=20, choices=LineStatus.choices)
    real_name_state = models.CharField(_("registration"), max_length=20, choices=RealNameState.choices)
    outlet = models.ForeignKey(
        "accounts.OrgUnit", on_delete=models.PROTECT, related_name="lines_sold", verbose_name=_("sold through")
    )
    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.PROTECT, null=True, blank=True, related_name="lines", verbose_name=_("holder")
    )
    installation_address = EncryptedTextField(
        _("installation address"), personal_field=personal_data.INSTALLATION_ADDRESS, null=True, blank=True
    )
    opened_at = models.DateTimeField(_("opened at"))
    status_changed_at = models.DateTimeField(_("status changed at"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("line")
        verbose_name_plural = _("lines")
        constraints = [
            models.UniqueConstraint(
                fields=["number_index"],
                condition=~Q(status="cancelled"),
                name="subscribers_line_number_held_once",
            )
        ]
        indexes = [
            models.Index(fields=["subscriber", "status"], name="subscribers_line_holder"),
            models.Index(fields=["real_name_state", "status"], name="subscribers_line_realname"),
        ]

    def __str__(self) -> str:
        return f"line #{self.pk}"


class RegistrationKind(models.TextChoices):
    """The acts that need real-name registration (MIIT Order No. 25 art. 3: 入网)."""

    OPEN = "open", _("new mobile line or data card")
    TRANSFER = "transfer", _("transfer to a new holder")
    FIXED_INSTALL = "fixed_install", _("fixed line installation")
    FIXED_MOVE = "fixed_move", _("fixed line move")
    RE_REGISTRATION = "re_registration", _("registration of an existing line")


class ActingParty(models.TextChoices):
    """Who stood at the counter."""

    SUBSCRIBER = "subscriber", _("the subscriber in person")
    # Art. 6: an agent acting for the user shows both IDs; both are verified and recorded.
    AGENT = "agent", _("an agent acting for the subscriber")
    # Art. 8: an organisation's handler with the letter of authorisation.
    HANDLER = "handler", _("the organisation's handler")


class RegistrationEvent(models.Model):
    """One registration in a line's history: who the holder became, who acted, where, through which case.

    Written once by the services and never changed. ``registration`` is empty for lines taken over from earlier
    systems.
    """

    line = models.ForeignKey(Line, on_delete=models.PROTECT, related_name="registration_events")
    kind = models.CharField(_("kind"), max_length=20, choices=RegistrationKind.choices)
    subscriber = models.ForeignKey(Subscriber, on_delete=models.PROTECT, related_name="registration_events")
    previous_subscriber = models.ForeignKey(
        Subscriber, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    acting_party = models.CharField(_("acting party"), max_length=20, choices=ActingParty.choices)
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
    registration = models.ForeignKey(
        "subscribers.Registration", on_delete=models.PROTECT, null=True, blank=True, related_name="events"
    )
    outlet = models.ForeignKey("accounts.OrgUnit", on_delete=models.PROTECT, related_name="+")
    clerk = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    occurred_at = models.DateTimeField(_("time"))

    class Meta:
        verbose_name = _("registration event")
        verbose_name_plural = _("registration events")
        ordering = ["occurred_at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} of line #{self.line_id}"
