"""Reads of real-name registration: what the counter pages show, and the one-ID lookup.

Everything returned here is masked (numbers, names, addresses); plain values go through
``regdesk.privacy.services.personal_value_reveal``. The one-ID lookup writes an audit event: it is a read of
personal data on the customer's behalf.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Max
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from regdesk.accounts.models import OrgUnit, User
from regdesk.accounts.permissions import AnyUser
from regdesk.audit.services import audit_record
from regdesk.cases.selectors import allowed_actions
from regdesk.privacy.crypto import blind_index
from regdesk.subscribers import config
from regdesk.subscribers.models import CardReader, CardReading, Line, Registration
from regdesk.subscribers.models.lines import HELD_STATUSES
from regdesk.subscribers.permissions import units_for_roles
from regdesk.subscribers.rules import RefusalReason, normalise_line_number
from regdesk.subscribers.services.lookups import IdentityProof

REFUSAL_MESSAGES: dict[str, str | Promise] = {
    RefusalReason.NO_ID_SHOWN: _("The customer did not show a valid identity document."),
    RefusalReason.DATA_WITHHELD: _("The customer would not give the data written on the document."),
    RefusalReason.SOMEONE_ELSES_ID: _("The document belongs to someone else."),
    RefusalReason.FORGED_OR_ALTERED_ID: _("The document is forged or altered."),
    RefusalReason.IDENTITY_CHECK_FAILED: _("The national identity service did not confirm the identity."),
}

# The service action that takes each transition of ``line.registration`` (the checks pick one of three).
SERVICE_ACTIONS = {
    "capture_identity": "capture_identity",
    "pass_checks": "check",
    "hold_for_review": "check",
    "fail_checks": "check",
    "approve": "approve",
    "decline": "decline",
    "register": "complete",
    "refuse": "refuse",
    "abandon": "abandon",
}


def refusal_message(reason: str) -> str:
    """The translated sentence for a refusal reason code (empty for none). The per-ID limit names the number of
    lines, so the clerk can tell the customer exactly why ("this ID already holds 5 active lines")."""
    if reason == RefusalReason.PER_ID_LIMIT_REACHED:
        return gettext("This ID already holds %(count)s active lines, the most allowed at this operator.") % {
            "count": config.lines_per_id()
        }
    message = REFUSAL_MESSAGES.get(reason)
    return str(message) if message is not None else ""


def registration_actions(registration: Registration, user: AnyUser | None) -> list[str]:
    """The service actions the user may take on the registration now (``capture_identity``, ``check``,
    ``approve``, ``decline``, ``complete``, ``refuse``, ``abandon``), in the process's order."""
    if registration.case is None:
        return []
    actions: list[str] = []
    for transition in allowed_actions(registration.case, user):
        action = SERVICE_ACTIONS.get(transition.name)
        if action is not None and action not in actions:
            actions.append(action)
    return actions


@dataclass(frozen=True)
class RegistrationView:
    """A registration as the counter shows it (masked)."""

    id: int
    reference: str
    state: str
    kind: str
    outlet: str
    line_kind: str
    payment: str
    number: str
    subscriber_kind: str
    document_type: str
    document_number: str
    name: str
    read_by_reader: bool
    acting_party: str
    representative_document_type: str
    representative_document_number: str
    representative_name: str
    subscriber_check: str
    representative_check: str
    face_score: int | None
    face_threshold: int | None
    decision: str
    refusal_reason: str
    refusal_message: str
    line_id: int | None
    completed_at: datetime | None
    actions: list[str]


def _masked(value: object) -> str:
    return str(value) if value is not None else ""


def registration_view(registration: Registration, user: AnyUser | None) -> RegistrationView:
    """The registration with masked personal data and the actions ``user`` may take now."""
    case = registration.case
    number = registration.requested_number
    if number is None and registration.target_line is not None:
        number = registration.target_line.number
    return RegistrationView(
        id=registration.pk,
        reference=case.reference if case is not None else "",
        state=case.state if case is not None else "",
        kind=registration.kind,
        outlet=registration.outlet.code,
        line_kind=registration.line_kind,
        payment=registration.payment,
        number=_masked(number),
        subscriber_kind=registration.subscriber_kind,
        document_type=registration.document_type,
        document_number=_masked(registration.document_number),
        name=_masked(registration.name),
        read_by_reader=registration.subscriber_reading_id is not None,
        acting_party=registration.acting_party,
        representative_document_type=registration.representative_document_type,
        representative_document_number=_masked(registration.representative_document_number),
        representative_name=_masked(registration.representative_name),
        subscriber_check=registration.subscriber_check,
        representative_check=registration.representative_check,
        face_score=registration.face_score,
        face_threshold=registration.face_threshold,
        decision=registration.decision,
        refusal_reason=registration.refusal_reason,
        refusal_message=refusal_message(registration.refusal_reason),
        line_id=registration.line_id,
        completed_at=registration.completed_at,
        actions=registration_actions(registration, user),
    )


@dataclass(frozen=True)
class ReadingView:
    """A verified card reading as the counter shows it before registering (masked)."""

    id: int
    device_id: str
    outlet: str
    name: str
    id_number: str
    address: str
    read_at: datetime
    verified_at: datetime
    used: bool


def reading_view(reading: CardReading) -> ReadingView:
    return ReadingView(
        id=reading.pk,
        device_id=reading.reader.device_id,
        outlet=reading.outlet.code,
        name=str(reading.name),
        id_number=str(reading.id_number),
        address=str(reading.address),
        read_at=reading.read_at,
        verified_at=reading.verified_at,
        used=reading.consumed_at is not None,
    )


def readers_at(outlet: OrgUnit) -> list[CardReader]:
    """The outlet's readers, active first."""
    return list(CardReader.objects.filter(outlet=outlet).order_by("-active", "device_id"))


def reading_for_counter(user: AnyUser | None, reading_id: object) -> CardReading | None:
    """A reading verified at an outlet where the user registers lines, or ``None``."""
    try:
        key = int(str(reading_id))
    except ValueError:
        return None
    return (
        CardReading.objects.select_related("reader", "outlet")
        .filter(pk=key, outlet_id__in=units_for_roles(user, ("counter_clerk", "agent")))
        .first()
    )


def line_for_counter(*, actor: AnyUser | None, number: str) -> Line | None:
    """The line that holds ``number`` now (not cancelled), for a transfer, move or re-registration at any outlet
    of the operator; ``None`` when there is none or the actor registers lines nowhere."""
    if not units_for_roles(actor, ("counter_clerk", "agent")):
        return None
    value = normalise_line_number(number)
    if not value.isdigit():
        return None
    return (
        Line.objects.filter(number_index=blind_index(value, domain="phone"), status__in=HELD_STATUSES)
        .select_related("subscriber", "outlet")
        .first()
    )


@dataclass(frozen=True)
class LineSummary:
    """One line of the one-ID lookup: the number masked, where and when it was registered."""

    id: int
    number: str
    kind: str
    payment: str
    status: str
    outlet: str
    channel: str
    opened_at: datetime
    registered_at: datetime | None


def lines_for_identity(*, actor: User | None, proof: IdentityProof) -> list[LineSummary]:
    """Every line (not cancelled) registered under the proven identity, numbers masked (一证通查).

    ``proof`` comes from ``services.proof_from_reading`` (counter) or ``services.proof_from_grant``
    (self-service). The lookup is written to the audit trail with how the identity was proven.
    """
    lines = (
        Line.objects.filter(
            subscriber__identity__document_family=proof.document_family,
            subscriber__identity__document_index=proof.document_index,
            status__in=HELD_STATUSES,
        )
        .select_related("outlet", "outlet__outlet_profile")
        .annotate(registered_at=Max("registration_events__occurred_at"))
        .order_by("opened_at", "pk")
    )
    summaries = [
        LineSummary(
            id=line.pk,
            number=str(line.number),
            kind=line.kind,
            payment=line.payment,
            status=line.status,
            outlet=line.outlet.name,
            channel=getattr(getattr(line.outlet, "outlet_profile", None), "channel", ""),
            opened_at=line.opened_at,
            registered_at=getattr(line, "registered_at", None),
        )
        for line in lines
    ]
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="line_lookup.list",
            object_type="subscribers.subscriberidentity",
            object_id=proof.document_index[:16],
            changes={"via": proof.via, "lines": len(summaries)},
            purpose="one-ID lookup for the holder",
            unit=proof.outlet,
        )
    return summaries
