"""Completing a registration: the per-ID limit under a lock, the subscriber, the line and its history.

The per-ID limit (DOMAIN.md §2, ``REGDESK_LINES_PER_ID``) must hold when registrations for one ID arrive at the
same moment. Each completion first locks the ``SubscriberIdentity`` row of the ID (``SELECT ... FOR UPDATE``,
created on first use under its unique constraint) and only then counts the ID's lines: the second of two
concurrent completions waits for the first to commit and counts its line. The lock is the transaction's first:
taking it after another lock (the audit chain's, a case's) could deadlock against a completion that took them in
the other order.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from regdesk.audit.services import audit_record
from regdesk.privacy.crypto import blind_index
from regdesk.subscribers import config
from regdesk.subscribers.models import (
    Line,
    LineStatus,
    RealNameState,
    Registration,
    RegistrationEvent,
    RegistrationKind,
    Subscriber,
    SubscriberIdentity,
    SubscriberKind,
)
from regdesk.subscribers.models.lines import HELD_STATUSES
from regdesk.subscribers.rules import RefusalReason, identity_family, may_take_new_line
from regdesk.subscribers.services.errors import RegistrationRefused

if TYPE_CHECKING:
    from regdesk.accounts.models import User

# Statuses from which registering the holder restores service at once (DOMAIN.md §2).
RESTORED_ON_REGISTRATION = (LineStatus.UNREGISTERED, LineStatus.ONE_WAY_SUSPENDED, LineStatus.TWO_WAY_SUSPENDED)


def identity_key_of(registration: Registration) -> tuple[str, str]:
    """(document family, blind index of the number) of the registration's subscriber."""
    assert registration.document_number is not None  # noqa: S101 - captured before
    return identity_family(registration.document_type), blind_index(
        registration.document_number.reveal(), domain="id_number"
    )


def held_lines_of(family: str, index: str, *, exclude: Line | None = None) -> int:
    """Lines that are not cancelled held by the identity (suspended ones still count)."""
    lines = Line.objects.filter(
        subscriber__identity__document_family=family,
        subscriber__identity__document_index=index,
        status__in=HELD_STATUSES,
    )
    if exclude is not None:
        lines = lines.exclude(pk=exclude.pk)
    return lines.count()


def gains_line(registration: Registration) -> bool:
    """Whether completing the registration gives its subscriber one more line (a move does not)."""
    return registration.kind != RegistrationKind.FIXED_MOVE


def lock_identity(family: str, index: str) -> SubscriberIdentity:
    """The identity's lock row, created if missing, locked until the transaction ends."""
    identity = (
        SubscriberIdentity.objects.select_for_update().filter(document_family=family, document_index=index).first()
    )
    if identity is not None:
        return identity
    try:
        with transaction.atomic():
            SubscriberIdentity.objects.create(document_family=family, document_index=index)
    except IntegrityError:
        pass  # created concurrently: wait for it below
    return SubscriberIdentity.objects.select_for_update().get(document_family=family, document_index=index)


def _subscriber_for(identity: SubscriberIdentity, registration: Registration) -> Subscriber:
    """The identity's subscriber, created or brought up to the document just shown."""
    subscriber = Subscriber.objects.filter(identity=identity).first() or Subscriber(identity=identity)
    subscriber.kind = registration.subscriber_kind
    subscriber.document_type = registration.document_type
    # Captured before the checks: a registration in checks_passed has all three.
    assert registration.document_number is not None  # noqa: S101
    assert registration.name is not None  # noqa: S101
    assert registration.address is not None  # noqa: S101
    subscriber.document_number = registration.document_number
    subscriber.name = registration.name
    subscriber.address = registration.address
    subscriber.save()
    return subscriber


def _apply_to_line(registration: Registration, subscriber: Subscriber, now: datetime) -> tuple[Line, Subscriber | None]:
    """The line after the registration, and its previous holder."""
    kind = registration.kind
    if kind in (RegistrationKind.OPEN, RegistrationKind.FIXED_INSTALL):
        assert registration.requested_number is not None  # noqa: S101 - required at the start
        number = registration.requested_number.reveal()
        if Line.objects.filter(number_index=blind_index(number, domain="phone"), status__in=HELD_STATUSES).exists():
            raise RegistrationRefused(
                "number_taken", _("This number was given to another line meanwhile."), field="line.number"
            )
        try:
            with transaction.atomic():
                line = Line.objects.create(
                    number=number,
                    kind=registration.line_kind,
                    payment=registration.payment,
                    status=LineStatus.ACTIVE,
                    real_name_state=RealNameState.REGISTERED,
                    outlet=registration.outlet,
                    subscriber=subscriber,
                    installation_address=registration.installation_address,
                    opened_at=now,
                    status_changed_at=now,
                )
        except IntegrityError:
            raise RegistrationRefused(
                "number_taken", _("This number was given to another line meanwhile."), field="line.number"
            ) from None
        return line, None
    assert registration.target_line_id is not None  # noqa: S101 - required at the start
    line = Line.objects.select_for_update().get(pk=registration.target_line_id)
    if line.status == LineStatus.CANCELLED:
        raise RegistrationRefused("line_cancelled", _("This line was cancelled meanwhile."), field="line.target_line")
    previous = line.subscriber
    fields = ["updated_at"]
    if kind == RegistrationKind.FIXED_MOVE:
        line.installation_address = registration.installation_address
        fields.append("installation_address")
    else:
        line.subscriber = subscriber
        line.real_name_state = RealNameState.REGISTERED
        fields += ["subscriber", "real_name_state"]
        if line.status in RESTORED_ON_REGISTRATION:
            line.status = LineStatus.ACTIVE
            line.status_changed_at = now
            fields += ["status", "status_changed_at"]
    line.save(update_fields=fields)
    return line, previous


def registration_complete(*, actor: User, registration: Registration) -> Registration:
    """Complete a registration in ``checks_passed``: the line is opened, installed, transferred, moved or
    registered to the subscriber, the event is written to the line's history, and the case is ``registered``.

    An individual's ID that already holds ``REGDESK_LINES_PER_ID`` lines (not cancelled; the line being
    transferred or re-registered to it aside) is refused instead: the case ends ``refused`` with
    ``per_id_limit_reached`` and the registration is returned. Concurrent completions for one ID are serialised
    on the identity's lock row, so the limit holds on PostgreSQL under any interleaving.
    """
    from regdesk.subscribers.services.outlets import require_open_for_registration
    from regdesk.subscribers.services.registrations import (
        lock_registration,
        refusal,
        require_counter,
        require_state,
        transition,
    )

    require_counter(actor, registration.outlet)
    current = Registration.objects.select_related("case").get(pk=registration.pk)
    # Checked again under the locks below; here it keeps a registration without identity from going further.
    require_state(current, "checks_passed")
    family, index = identity_key_of(current)
    now = timezone.now()
    with transaction.atomic():
        identity = lock_identity(family, index)
        locked = lock_registration(registration)
        require_state(locked, "checks_passed")
        require_open_for_registration(locked.outlet)
        if locked.subscriber_kind == SubscriberKind.INDIVIDUAL and gains_line(locked):
            held = held_lines_of(family, index, exclude=locked.target_line)
            if not may_take_new_line(held, config.lines_per_id()):
                refusal(locked, RefusalReason.PER_ID_LIMIT_REACHED, actor)
                audit_record(
                    actor=actor,
                    action="line_registration.refuse",
                    object_type="subscribers.registration",
                    object_id=locked.pk,
                    changes={"reason": str(RefusalReason.PER_ID_LIMIT_REACHED), "held_lines": held},
                    unit=locked.outlet,
                )
                return locked
        subscriber = _subscriber_for(identity, locked)
        previous_status = (
            Line.objects.select_for_update().filter(pk=locked.target_line_id).values_list("status", flat=True).first()
            if locked.target_line_id is not None
            else None
        )
        line, previous = _apply_to_line(locked, subscriber, now)
        if locked.kind in (RegistrationKind.TRANSFER, RegistrationKind.RE_REGISTRATION):
            from regdesk.subscribers.campaigns.services import line_registered

            # Service back on the network at once, and the line's remediation case closed (DOMAIN.md §2).
            line_registered(line=line, previous_status=previous_status, registration_id=locked.pk)
        RegistrationEvent.objects.create(
            line=line,
            kind=locked.kind,
            subscriber=subscriber,
            previous_subscriber=previous if previous is not None and previous.pk != subscriber.pk else None,
            acting_party=locked.acting_party,
            representative_document_type=locked.representative_document_type,
            representative_document_number=locked.representative_document_number,
            representative_name=locked.representative_name,
            representative_address=locked.representative_address,
            registration=locked,
            outlet=locked.outlet,
            clerk=actor,
            occurred_at=now,
        )
        locked.line = line
        locked.subscriber = subscriber
        locked.completed_at = now
        locked.save(update_fields=["line", "subscriber", "completed_at", "updated_at"])
        transition(actor=actor, registration=locked, action="register", payload={"registration_kind": locked.kind})
        audit_record(
            actor=actor,
            action="line_registration.complete",
            object_type="subscribers.registration",
            object_id=locked.pk,
            changes={"kind": locked.kind, "line": line.pk, "number": str(line.number), "subscriber": subscriber.pk},
            unit=locked.outlet,
        )
    return locked
