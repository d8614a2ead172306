"""The one-ID lookup (一证通查): proving who is asking, and disputing a line the customer does not know.

Every line registered under an ID can be listed to the holder of that ID (``selectors.lines_for_identity``), given
a proof of identity:

* at the counter, a verified reading of the customer's ID card (``proof_from_reading``);
* on a self-service page, an SMS code sent to one of the ID's lines (``lookup_challenge_start`` →
  ``lookup_challenge_verify`` → ``proof_from_grant``). The challenge never tells whether the number belongs to
  the ID: it is issued either way and only a real line receives a code.

``line_dispute`` opens a ``line.dispute`` case for compliance about a line the customer does not know;
``line_dispute_decide`` answers it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from regdesk.accounts.models import OrgUnit
from regdesk.accounts.permissions import unit_ancestor_ids
from regdesk.accounts.roles import UnitKind
from regdesk.audit.services import audit_record
from regdesk.cases.services import TransitionRefused, case_start, case_transition, notice_queue
from regdesk.privacy.crypto import blind_index
from regdesk.rules.identity import validate
from regdesk.subscribers import config
from regdesk.subscribers.models import CardReading, Line, LineDispute, LineStatus, LookupChallenge, LookupGrant
from regdesk.subscribers.models.lines import HELD_STATUSES, RealNameState
from regdesk.subscribers.permissions import can_register_at
from regdesk.subscribers.process import DISPUTE_PROCESS
from regdesk.subscribers.rules import (
    INDIVIDUAL_DOCUMENTS,
    VALIDATOR_OF,
    DocumentType,
    identity_family,
    normalise_line_number,
)
from regdesk.subscribers.services.errors import LookupRefused
from regdesk.subscribers.services.readers import reading_document_type

if TYPE_CHECKING:
    from regdesk.accounts.models import User

CODE_DIGITS = 6
SMS_TEMPLATE = "subscribers_lookup_code"
# Lines that can receive an SMS: a two-way suspended line receives nothing but emergency calls.
SMS_REACHABLE = (LineStatus.ACTIVE, LineStatus.ONE_WAY_SUSPENDED, LineStatus.UNREGISTERED)
MIN_STATEMENT = 4
MAX_STATEMENT = 2000


@dataclass(frozen=True)
class IdentityProof:
    """A proven identity: the document family and the blind index of its number, how it was proven, and the
    outlet where (empty for self-service)."""

    document_family: str
    document_index: str
    via: str
    outlet: OrgUnit | None = None


def proof_from_reading(*, actor: User, reading: CardReading) -> IdentityProof:
    """The identity of a card read at the counter: the actor registers at the reading's outlet and the reading was
    verified within ``REGDESK_READING_USE_SECONDS``."""
    if not can_register_at(actor, reading.outlet):
        raise LookupRefused("forbidden", _("You may not serve customers at this outlet."), status=403)
    if reading.verified_at < timezone.now() - timedelta(seconds=config.reading_use_seconds()):
        raise LookupRefused("reading_expired", _("The card was read too long ago: read it again."), field="reading")
    assert reading.id_number_index is not None  # noqa: S101 - kept on every save
    return IdentityProof(
        document_family=identity_family(reading_document_type(reading)),
        document_index=reading.id_number_index,
        via="reading",
        outlet=reading.outlet,
    )


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def proof_from_grant(*, token: str) -> IdentityProof:
    """The identity a self-service grant was issued for, while the grant lasts."""
    grant = LookupGrant.objects.filter(token_hash=_token_hash(token.strip())).first() if token else None
    if grant is None or grant.expires_at <= timezone.now():
        raise LookupRefused("grant_invalid", _("The verification has expired: ask for a new code."), status=403)
    return IdentityProof(document_family=grant.document_family, document_index=grant.document_index, via="sms")


def _code_hash(public_id: str, code: str) -> str:
    message = f"subscribers.lookup:{public_id}:{code}".encode()
    return hmac.new(settings.SECRET_KEY.encode("utf-8"), message, hashlib.sha256).hexdigest()


def _document_key(document_type: str, number: str) -> tuple[str, str]:
    """The identity key of a typed document, or a refusal naming the field."""
    try:
        kind = DocumentType(document_type)
    except ValueError:
        raise LookupRefused("document_type_unknown", _("Unknown document type."), field="document_type") from None
    if kind not in INDIVIDUAL_DOCUMENTS:
        raise LookupRefused(
            "document_type_not_allowed", _("The lookup lists an individual's lines."), field="document_type"
        )
    result = validate(VALIDATOR_OF[kind], number)
    if not result.valid or not result.normalized:
        raise LookupRefused("document_number_invalid", _("The document number is not valid."), field="document_number")
    value = result.normalized
    if kind == DocumentType.PASSPORT:
        nationality = result.details.get("nationality") or {}
        value = f"{nationality.get('code', '')}:{result.details.get('document_number', '')}"
    return identity_family(kind), blind_index(value, domain="id_number")


def lookup_challenge_start(
    *, actor: User | None, document_type: str, document_number: str, line_number: str
) -> LookupChallenge:
    """Start a self-service verification: if ``line_number`` is a line of the identity that can receive SMS, a
    code is sent to it (after commit, through the notice outbox). A challenge is returned in every case; the page
    shows the same answer whether or not a code went out. At most ``REGDESK_LOOKUP_CHALLENGES_PER_HOUR`` per
    identity. (Typing a resident ID number here is not a registration: it only names whose lines to list.)"""
    family, index = _document_key(document_type, document_number)
    number = normalise_line_number(line_number)
    if not number.isdigit() or not 7 <= len(number) <= 12:
        raise LookupRefused("line_number_invalid", _("Enter one of your phone numbers."), field="line_number")
    now = timezone.now()
    public_id = secrets.token_hex(16)
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    minutes = config.lookup_code_minutes()
    with transaction.atomic():
        recent = LookupChallenge.objects.filter(
            document_family=family, document_index=index, created_at__gte=now - timedelta(hours=1)
        ).count()
        if recent >= config.lookup_challenges_per_hour():
            raise LookupRefused(
                "too_many_challenges", _("Too many codes were asked for this ID: try again in an hour."), status=429
            )
        line = Line.objects.filter(
            number_index=blind_index(number, domain="phone"),
            status__in=SMS_REACHABLE,
            subscriber__identity__document_family=family,
            subscriber__identity__document_index=index,
        ).first()
        challenge = LookupChallenge.objects.create(
            public_id=public_id,
            document_family=family,
            document_index=index,
            line=line,
            code_hash=_code_hash(public_id, code),
            expires_at=now + timedelta(minutes=minutes),
        )
        if line is not None:
            notice_queue(
                actor=actor,
                channel="sms",
                recipient=line.number.reveal(),
                template=SMS_TEMPLATE,
                context={"code": code, "minutes": minutes},
                idempotency_key=f"subscribers.lookup:{public_id}",
            )
        audit_record(
            actor=actor,
            action="line_lookup.challenge",
            object_type="subscribers.lookupchallenge",
            object_id=challenge.pk,
            changes={"document_family": family, "code_sent": line is not None},
        )
    return challenge


def lookup_challenge_verify(*, actor: User | None, public_id: str, code: str) -> tuple[LookupGrant, str]:
    """Check the SMS code of a challenge; on success, a grant and its token (shown once) for
    ``REGDESK_LOOKUP_GRANT_MINUTES``. Wrong codes count against ``REGDESK_LOOKUP_CODE_ATTEMPTS``."""
    challenge = LookupChallenge.objects.filter(public_id=str(public_id)).first() if public_id else None
    if challenge is None:
        raise LookupRefused("challenge_invalid", _("This verification is unknown or has expired."), status=404)
    now = timezone.now()
    if challenge.verified_at is not None or challenge.expires_at <= now:
        raise LookupRefused("challenge_invalid", _("This verification is unknown or has expired."), status=404)
    if challenge.attempts >= config.lookup_code_attempts():
        raise LookupRefused("too_many_attempts", _("Too many wrong codes: ask for a new one."), status=429)
    matches = challenge.line_id is not None and hmac.compare_digest(
        challenge.code_hash, _code_hash(challenge.public_id, "".join(code.split()))
    )
    if not matches:
        with transaction.atomic():
            LookupChallenge.objects.filter(pk=challenge.pk).update(attempts=F("attempts") + 1)
            audit_record(
                actor=actor,
                action="line_lookup.code_refused",
                object_type="subscribers.lookupchallenge",
                object_id=challenge.pk,
                changes={"attempt": challenge.attempts + 1},
            )
        raise LookupRefused("code_invalid", _("The code is not correct."), field="code")
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        updated = LookupChallenge.objects.filter(pk=challenge.pk, verified_at__isnull=True).update(verified_at=now)
        if updated != 1:
            raise LookupRefused("challenge_invalid", _("This verification is unknown or has expired."), status=404)
        grant = LookupGrant.objects.create(
            token_hash=_token_hash(token),
            document_family=challenge.document_family,
            document_index=challenge.document_index,
            challenge=challenge,
            expires_at=now + timedelta(minutes=config.lookup_grant_minutes()),
        )
        audit_record(
            actor=actor,
            action="line_lookup.grant",
            object_type="subscribers.lookupgrant",
            object_id=grant.pk,
            changes={"document_family": challenge.document_family},
        )
    return grant, token


def _dispute_unit(line: Line) -> OrgUnit:
    """Where compliance handles the dispute: the branch above the outlet that sold the line (so the outlet's own
    clerks do not see an investigation of their registrations), or the root."""
    units = {unit.pk: unit for unit in OrgUnit.objects.filter(pk__in=unit_ancestor_ids(line.outlet))}
    chain = [units[unit_id] for unit_id in unit_ancestor_ids(line.outlet) if unit_id in units]
    for unit in chain[1:]:
        if unit.kind in (UnitKind.BRANCH, UnitKind.PROVIDER):
            return unit
    return chain[-1]


def line_dispute(*, actor: User | None, proof: IdentityProof, line: Line, statement: str) -> LineDispute:
    """Open a ``line.dispute`` case: the holder of ``proof`` states that ``line``, registered under their ID, is
    not theirs. One open dispute per line; compliance answers within 15 working days."""
    statement = " ".join(statement.split())
    if not MIN_STATEMENT <= len(statement) <= MAX_STATEMENT:
        raise LookupRefused(
            "statement_invalid",
            _("Say in %(low)s to %(high)s characters why the line is not yours.")
            % {"low": MIN_STATEMENT, "high": MAX_STATEMENT},
            field="statement",
        )
    with transaction.atomic():
        locked = (
            Line.objects.select_for_update(of=("self",))
            .select_related("outlet", "subscriber__identity")
            .get(pk=line.pk)
        )
        identity = locked.subscriber.identity if locked.subscriber is not None else None
        if (
            identity is None
            or (identity.document_family, identity.document_index) != (proof.document_family, proof.document_index)
            or locked.status not in HELD_STATUSES
        ):
            raise LookupRefused("line_not_found", _("No such line is registered under this ID."), status=404)
        if LineDispute.objects.filter(line=locked, case__is_open=True).exists():
            raise LookupRefused("dispute_open", _("This line is already disputed."), status=409)
        unit = _dispute_unit(locked)
        dispute = LineDispute(
            line=locked,
            document_family=proof.document_family,
            document_index=proof.document_index,
            statement=statement,
            opened_by=actor,
        )
        case = case_start(actor=actor, process_key=DISPUTE_PROCESS, unit=unit)
        dispute.case = case
        dispute.save()
        audit_record(
            actor=actor,
            action="line.dispute",
            object_type="subscribers.linedispute",
            object_id=dispute.pk,
            changes={"case": case.reference, "line": locked.pk, "via": proof.via},
            unit=unit,
        )
    return dispute


def line_dispute_decide(*, actor: User, dispute: LineDispute, outcome: str, note: str) -> LineDispute:
    """Answer a dispute (compliance officers over its case): ``confirm`` (the line is not the customer's: it is
    marked "holder is not the user" and enters the remedy for unregistered lines) or ``reject``."""
    if outcome not in ("confirm", "reject"):
        raise LookupRefused("outcome_invalid", _("Confirm or reject."), field="outcome")
    note = " ".join(note.split())
    if not MIN_STATEMENT <= len(note) <= MAX_STATEMENT:
        raise LookupRefused("note_invalid", _("Document the decision in a note."), field="note")
    with transaction.atomic():
        locked = LineDispute.objects.select_for_update(of=("self",)).select_related("case", "line").get(pk=dispute.pk)
        locked.outcome = outcome
        locked.decision_note = note
        locked.decided_by = actor
        locked.decided_at = timezone.now()
        locked.save()
        try:
            case_transition(actor=actor, case=locked.case, action=outcome)
        except TransitionRefused as refused:
            code = "forbidden" if refused.code == "role" else refused.code
            raise LookupRefused(code, refused.message, status=403 if code == "forbidden" else 409) from None
        if outcome == "confirm":
            Line.objects.filter(pk=locked.line_id).update(
                real_name_state=RealNameState.OWNER_NOT_USER, updated_at=timezone.now()
            )
        audit_record(
            actor=actor,
            action="line.dispute_decide",
            object_type="subscribers.linedispute",
            object_id=locked.pk,
            changes={"outcome": outcome, "line": locked.line_id},
            unit=locked.case.unit,
        )
    return locked
