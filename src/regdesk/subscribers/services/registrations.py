"""Registering a line at a counter (入网登记): starting the registration, capturing the identity documents,
refusing or abandoning it. The checks and the supervisor's decision are in ``services.checks``, the completion
(per-ID limit, the line and its history) in ``services.completion``.

Each service runs in one transaction: it writes the registration's data, moves the ``line.registration`` case
through ``case_transition`` and writes its own audit event. A refusal (``RegistrationRefused``) changes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from regdesk.audit.services import audit_record
from regdesk.cases.models import Document
from regdesk.cases.services import DocumentRefused, TransitionRefused, case_start, case_transition, document_attach
from regdesk.privacy.crypto import blind_index
from regdesk.privacy.dictionary import mask_value
from regdesk.subscribers import personal_data
from regdesk.subscribers.models import (
    ActingParty,
    CardReading,
    Registration,
    RegistrationKind,
    SubscriberKind,
)
from regdesk.subscribers.permissions import can_register_at
from regdesk.subscribers.process import REGISTRATION_PROCESS
from regdesk.subscribers.rules import (
    CLERK_REFUSALS,
    INDIVIDUAL_DOCUMENTS,
    ORGANISATION_DOCUMENTS,
    RefusalReason,
    identity_family,
)
from regdesk.subscribers.services.documents import CapturedDocument, DocumentInput, capture_document
from regdesk.subscribers.services.errors import RegistrationRefused
from regdesk.subscribers.services.line_requests import LineRequest, line_fields
from regdesk.subscribers.services.outlets import require_open_for_registration

if TYPE_CHECKING:
    from regdesk.accounts.models import OrgUnit, User

_TRANSITION_STATUS = {"unknown_action": 404, "wrong_state": 409, "guard": 409, "role": 403}


@dataclass(frozen=True)
class IdentityCapture:
    """Who the subscriber is and who acts for them.

    An individual shows their own document (``acting_party="subscriber"``) or sends an agent
    (``acting_party="agent"``: both documents). An organisation shows its certificate as ``subscriber`` and its
    handler's document as ``representative`` (``acting_party="handler"``); the letter of authorisation is attached
    to the case before the checks.
    """

    subscriber: DocumentInput
    subscriber_kind: str = SubscriberKind.INDIVIDUAL
    acting_party: str = ActingParty.SUBSCRIBER
    representative: DocumentInput | None = field(default=None)


def transition(
    *, actor: User, registration: Registration, action: str, payload: Mapping[str, Any] | None = None
) -> None:
    """Move the registration's case; the kernel's refusal becomes a ``RegistrationRefused`` with its code."""
    assert registration.case is not None  # noqa: S101 - set when the registration is created
    try:
        case_transition(actor=actor, case=registration.case, action=action, payload=payload or {})
    except TransitionRefused as refused:
        code = "forbidden" if refused.code == "role" else refused.code
        raise RegistrationRefused(code, refused.message, status=_TRANSITION_STATUS.get(refused.code, 409)) from None


def lock_registration(registration: Registration) -> Registration:
    """The registration's row, locked until the transaction ends, with its case."""
    return (
        Registration.objects.select_for_update(of=("self",))
        .select_related("case", "case__unit", "outlet")
        .get(pk=registration.pk)
    )


def require_state(registration: Registration, *states: str) -> None:
    assert registration.case is not None  # noqa: S101 - set when the registration is created
    if registration.case.state not in states:
        raise RegistrationRefused(
            "wrong_state",
            _("This is not possible while the registration is in the state “%(state)s”.")
            % {"state": registration.case.state},
            status=409,
        )


def require_counter(actor: User | None, outlet: OrgUnit) -> User:
    if actor is None or not can_register_at(actor, outlet):
        raise RegistrationRefused("forbidden", _("You may not register lines at this outlet."), status=403)
    return actor


def registration_start(
    *,
    actor: User,
    outlet: OrgUnit,
    kind: str,
    line: LineRequest,
    identity: IdentityCapture | None = None,
) -> Registration:
    """Open a ``line.registration`` case at ``outlet`` for the line in ``line``; with ``identity``, capture the
    documents at once (``registration_identity_capture``), all or nothing.

    The actor is a counter clerk or agent's staff over the outlet; the outlet is configured for registration and
    its agent (if any) is neither suspended nor blacklisted. Returns the registration, its case in ``started`` (or
    ``identity_captured``).
    """
    require_counter(actor, outlet)
    if kind not in RegistrationKind.values:
        raise RegistrationRefused("kind_invalid", _("Unknown kind of registration."), field="kind")
    require_open_for_registration(outlet)
    fields = line_fields(kind, line)
    with transaction.atomic():
        registration = Registration.objects.create(kind=kind, outlet=outlet, started_by=actor, **fields)
        case = case_start(actor=actor, process_key=REGISTRATION_PROCESS, unit=outlet, subject=registration)
        registration.case = case
        registration.save(update_fields=["case"])
        target = registration.target_line
        audit_record(
            actor=actor,
            action="line_registration.start",
            object_type="subscribers.registration",
            object_id=registration.pk,
            changes={
                "case": case.reference,
                "kind": kind,
                "line_kind": registration.line_kind,
                "number": str(registration.requested_number) if registration.requested_number else "",
                "target_line": target.pk if target is not None else None,
            },
            unit=outlet,
        )
        if identity is not None:
            registration = registration_identity_capture(actor=actor, registration=registration, identity=identity)
    return registration


def _identity_key(document: CapturedDocument) -> tuple[str, str]:
    return identity_family(document.document_type), blind_index(document.number, domain="id_number")


def _consume(reading: CardReading | None, now: Any) -> None:
    """Mark a reading used; a reading used concurrently by another registration is refused."""
    if reading is None:
        return
    consumed = CardReading.objects.filter(pk=reading.pk, consumed_at__isnull=True).update(consumed_at=now)
    if consumed != 1:
        raise RegistrationRefused(
            "reading_used", _("This reading served another registration: read the card again."), field="reading"
        )


def _capture_parties(
    registration: Registration, identity: IdentityCapture, now: Any
) -> tuple[CapturedDocument, CapturedDocument | None]:
    organisation = identity.subscriber_kind == SubscriberKind.ORGANISATION
    if identity.subscriber_kind not in SubscriberKind.values:
        raise RegistrationRefused("subscriber_kind_invalid", _("Unknown kind of subscriber."), field="subscriber_kind")
    if identity.acting_party not in ActingParty.values:
        raise RegistrationRefused("acting_party_invalid", _("Say who is at the counter."), field="acting_party")
    if organisation and identity.acting_party != ActingParty.HANDLER:
        raise RegistrationRefused(
            "handler_required",
            _("An organisation registers through its handler, with the letter of authorisation."),
            field="acting_party",
        )
    if not organisation and identity.acting_party == ActingParty.HANDLER:
        raise RegistrationRefused(
            "acting_party_invalid", _("Only an organisation acts through a handler."), field="acting_party"
        )
    allowed = ORGANISATION_DOCUMENTS if organisation else INDIVIDUAL_DOCUMENTS
    subscriber = capture_document(
        identity.subscriber,
        field="subscriber",
        outlet=registration.outlet,
        allowed=allowed,
        now=now,
        organisation=organisation,
    )
    representative = None
    if identity.acting_party != ActingParty.SUBSCRIBER:
        if identity.representative is None:
            raise RegistrationRefused(
                "representative_missing",
                _("Read or enter the document of the person acting for the subscriber as well."),
                field="representative",
            )
        representative = capture_document(
            identity.representative,
            field="representative",
            outlet=registration.outlet,
            allowed=INDIVIDUAL_DOCUMENTS,
            now=now,
        )
        if _identity_key(representative) == _identity_key(subscriber):
            raise RegistrationRefused(
                "representative_is_subscriber",
                _("The subscriber is at the counter: no agent is needed."),
                field="representative",
            )
    elif identity.representative is not None:
        raise RegistrationRefused(
            "representative_unexpected",
            _("Only an agent or an organisation's handler is recorded beside the subscriber."),
            field="representative",
        )
    return subscriber, representative


def registration_identity_capture(
    *, actor: User, registration: Registration, identity: IdentityCapture
) -> Registration:
    """Record the subscriber's document (and the agent's or handler's) on a registration in ``started``.

    A resident ID card comes from a verified reading at this outlet (typed resident-ID data is refused with
    ``resident_id_typed``); other documents are typed and checked. Readings are used up. A fixed-line move needs
    the line's holder; a transfer needs a new holder.
    """
    now = timezone.now()
    with transaction.atomic():
        registration = lock_registration(registration)
        require_counter(actor, registration.outlet)
        require_state(registration, "started")
        subscriber, representative = _capture_parties(registration, identity, now)
        family, index = _identity_key(subscriber)
        target = registration.target_line
        holder = target.subscriber.identity if target is not None and target.subscriber is not None else None
        same_holder = holder is not None and (holder.document_family, holder.document_index) == (family, index)
        if registration.kind == RegistrationKind.FIXED_MOVE and not same_holder:
            raise RegistrationRefused(
                "not_the_holder", _("Only the line's holder moves a fixed line."), field="subscriber"
            )
        if registration.kind == RegistrationKind.TRANSFER and same_holder:
            raise RegistrationRefused(
                "already_the_holder", _("This subscriber already holds the line."), field="subscriber"
            )
        for reading in {subscriber.reading, representative.reading if representative else None} - {None}:
            _consume(reading, now)
        registration.subscriber_kind = identity.subscriber_kind
        registration.document_type = subscriber.document_type
        registration.document_number = subscriber.number
        registration.name = subscriber.name
        registration.address = subscriber.address
        registration.subscriber_reading = subscriber.reading
        registration.acting_party = identity.acting_party
        if representative is not None:
            registration.representative_document_type = representative.document_type
            registration.representative_document_number = representative.number
            registration.representative_name = representative.name
            registration.representative_address = representative.address
            registration.representative_reading = representative.reading
        registration.captured_at = now
        registration.save()
        read_by_reader = subscriber.reading is not None
        transition(
            actor=actor,
            registration=registration,
            action="capture_identity",
            payload={
                "document_type": subscriber.document_type,
                "acting_party": identity.acting_party,
                "read_by_reader": read_by_reader,
            },
        )
        audit_record(
            actor=actor,
            action="line_registration.capture",
            object_type="subscribers.registration",
            object_id=registration.pk,
            changes={
                "document_type": subscriber.document_type,
                "document_number": mask_value(personal_data.SUBSCRIBER_DOCUMENT_NUMBER, subscriber.number),
                "read_by_reader": read_by_reader,
                "acting_party": identity.acting_party,
                "representative_document_type": representative.document_type if representative else "",
            },
            unit=registration.outlet,
        )
    return registration


def refusal(registration: Registration, reason: RefusalReason, actor: User, action: str = "refuse") -> None:
    """Record a refusal and move the case (inside the caller's transaction)."""
    registration.refusal_reason = reason
    registration.save(update_fields=["refusal_reason", "updated_at"])
    transition(actor=actor, registration=registration, action=action, payload={"reason": str(reason)})


def registration_refuse(*, actor: User, registration: Registration, reason: str) -> Registration:
    """Refuse the registration for a reason the clerk judged (MIIT Order No. 25 art. 10): ``no_id_shown``,
    ``data_withheld``, ``someone_elses_id`` or ``forged_or_altered_id``. The other reasons are reached by the checks
    themselves."""
    if reason not in {str(item) for item in CLERK_REFUSALS}:
        raise RegistrationRefused(
            "reason_invalid",
            _("Choose the reason: no ID shown, data withheld, someone else's ID, or a forged or altered ID."),
            field="reason",
        )
    with transaction.atomic():
        registration = lock_registration(registration)
        require_counter(actor, registration.outlet)
        require_state(registration, "started", "identity_captured", "checks_passed")
        refusal(registration, RefusalReason(reason), actor)
        audit_record(
            actor=actor,
            action="line_registration.refuse",
            object_type="subscribers.registration",
            object_id=registration.pk,
            changes={"reason": reason},
            unit=registration.outlet,
        )
    return registration


def registration_abandon(*, actor: User, registration: Registration) -> Registration:
    """Close an open registration that will not be completed (the customer left)."""
    with transaction.atomic():
        registration = lock_registration(registration)
        require_state(registration, "started", "identity_captured", "checks_passed", "awaiting_supervisor")
        transition(actor=actor, registration=registration, action="abandon")
        audit_record(
            actor=actor,
            action="line_registration.abandon",
            object_type="subscribers.registration",
            object_id=registration.pk,
            changes={},
            unit=registration.outlet,
        )
    return registration


# Documents the counter attaches (the live photo and the supervisor's evidence come with their own services).
COUNTER_DOCUMENT_KINDS = ("authorisation_letter", "organisation_certificate", "agency_authorisation")


def registration_document_attach(
    *, actor: User, registration: Registration, kind: str, filename: str, content: bytes | File[Any]
) -> Document:
    """Attach a document the counter collects to an open registration: the organisation's letter of authorisation
    (needed before the checks), a copy of its certificate, or the subscriber's authorisation of an agent. Stored
    sealed by the case kernel (``document_attach``), which also audits it."""
    if kind not in COUNTER_DOCUMENT_KINDS:
        raise RegistrationRefused("document_kind_invalid", _("This kind of document is not taken here."), field="kind")
    registration = Registration.objects.select_related("case", "outlet").get(pk=registration.pk)
    require_counter(actor, registration.outlet)
    require_state(registration, "started", "identity_captured", "checks_passed", "awaiting_supervisor")
    assert registration.case is not None  # noqa: S101 - set when the registration is created
    try:
        return document_attach(actor=actor, case=registration.case, kind=kind, filename=filename, content=content)
    except DocumentRefused as refused:
        raise RegistrationRefused(f"document_{refused.code}", refused.message, field="file") from None
