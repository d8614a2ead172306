"""The identity checks of a registration and a supervisor's decision on one held for review.

``registration_check`` asks the national identity service about the subscriber and the agent or handler (the
documents it knows: resident identity numbers) and matches the face of the person at the counter against the
photo read from their ID card (DOMAIN.md §2: since 2019 at every physical counter). The outside systems are asked
before the transaction opens, so no lock is held while they answer; their idempotency keys make a retry after a
time-out ask nothing twice.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from regdesk.audit.services import audit_record
from regdesk.cases.files import UnreadableImageError, reencode_image, sniff_content_type
from regdesk.cases.services import DocumentRefused, document_attach
from regdesk.gateways.errors import GatewayError
from regdesk.gateways.face_match import get_face_match_gateway
from regdesk.gateways.identity import IdentityCheckOutcome, get_identity_check_gateway
from regdesk.subscribers import config, process
from regdesk.subscribers.models import ActingParty, Registration, SubscriberKind
from regdesk.subscribers.rules import ONLINE_CHECKED_DOCUMENTS, DocumentType, RefusalReason
from regdesk.subscribers.services.completion import gains_line, held_lines_of, identity_key_of
from regdesk.subscribers.services.errors import RegistrationRefused
from regdesk.subscribers.services.registrations import (
    lock_registration,
    refusal,
    require_counter,
    require_state,
    transition,
)

if TYPE_CHECKING:
    from regdesk.accounts.models import User

NOT_APPLICABLE = "not_applicable"
MANUAL_REVIEW = "manual_review"
MANUAL_REVIEW_DOCUMENTS = frozenset({DocumentType.MILITARY_ID, DocumentType.ARMED_POLICE_ID})
MAX_NOTE = 1000
MIN_NOTE = 4
MAX_LIVE_PHOTO_BYTES = 2 * 1024 * 1024
# The identity service's verdicts on a photo it compared: a match, or the same person's record with another face.
PHOTO_VERDICTS = (IdentityCheckOutcome.MATCH, IdentityCheckOutcome.PHOTO_MISMATCH)


@dataclass(frozen=True)
class CheckOutcome:
    subscriber_check: str
    subscriber_check_id: str
    representative_check: str
    representative_check_id: str
    face_score: int | None
    face_comparison_id: str


def _photo_digest(photo: bytes | None) -> str:
    return hashlib.sha256(photo).hexdigest()[:16] if photo is not None else "none"


def _check_person(
    registration: Registration, *, party: str, document_type: str, name: str, number: str, photo: bytes | None
) -> tuple[str, str]:
    """(outcome, verification id) of the identity service; ``manual_review`` for military and armed-police IDs
    (no public format: a supervisor looks at them), ``not_applicable`` for other documents it does not know."""
    if document_type in MANUAL_REVIEW_DOCUMENTS:
        return MANUAL_REVIEW, ""
    if document_type not in ONLINE_CHECKED_DOCUMENTS:
        return NOT_APPLICABLE, ""
    key = f"regdesk-lrg-{registration.pk}-{party}-{_photo_digest(photo)}"
    try:
        result = get_identity_check_gateway().verify(name=name, id_number=number, photo=photo, idempotency_key=key)
    except GatewayError as error:
        raise RegistrationRefused(
            "identity_service_unavailable",
            _("The identity check service gave no answer (%(reason)s). Try the check again.")
            % {"reason": error.message},
            transient=error.transient,
            status=503,
        ) from None
    outcome = result.outcome
    if result.similarity is not None and outcome in PHOTO_VERDICTS:
        # The service compares the photo with its own threshold; the deployment's one decides (the face match and
        # the ICP on-site check use the same REGDESK_FACE_MATCH_THRESHOLD).
        outcome = PHOTO_VERDICTS[0] if result.similarity >= config.face_match_threshold() else PHOTO_VERDICTS[1]
    return str(outcome), result.verification_id


def _live_photo_ok(live_photo: bytes) -> None:
    content_type = sniff_content_type(live_photo)
    if len(live_photo) > MAX_LIVE_PHOTO_BYTES or content_type not in ("image/jpeg", "image/png"):
        raise RegistrationRefused(
            "live_photo_invalid", _("The photo must be a JPEG or PNG image of at most 2 MB."), field="live_photo"
        )
    try:
        reencode_image(live_photo, content_type)
    except UnreadableImageError:
        raise RegistrationRefused("live_photo_invalid", _("The photo cannot be read."), field="live_photo") from None


def _run_checks(registration: Registration, live_photo: bytes | None) -> CheckOutcome:
    present_is_subscriber = registration.acting_party == ActingParty.SUBSCRIBER
    present_reading = registration.subscriber_reading if present_is_subscriber else registration.representative_reading
    if present_reading is not None and live_photo is None:
        raise RegistrationRefused(
            "live_photo_missing",
            _("Take the photo of the person at the counter: it is matched with the ID card's photo."),
            field="live_photo",
        )
    if live_photo is not None:
        _live_photo_ok(live_photo)
    subscriber_check, subscriber_check_id = NOT_APPLICABLE, ""
    if registration.subscriber_kind == SubscriberKind.INDIVIDUAL:
        assert registration.document_number is not None  # noqa: S101 - captured before the checks
        assert registration.name is not None  # noqa: S101 - captured before the checks
        subscriber_check, subscriber_check_id = _check_person(
            registration,
            party="subscriber",
            document_type=registration.document_type,
            name=registration.name.reveal(),
            number=registration.document_number.reveal(),
            photo=live_photo if present_is_subscriber else None,
        )
    representative_check, representative_check_id = "", ""
    if not present_is_subscriber:
        assert registration.representative_document_number is not None  # noqa: S101
        assert registration.representative_name is not None  # noqa: S101
        representative_check, representative_check_id = _check_person(
            registration,
            party="representative",
            document_type=registration.representative_document_type,
            name=registration.representative_name.reveal(),
            number=registration.representative_document_number.reveal(),
            photo=live_photo,
        )
    face_score: int | None = None
    comparison_id = ""
    if present_reading is not None and live_photo is not None:
        id_photo = base64.b64decode(present_reading.photo.reveal())
        key = f"regdesk-lrg-{registration.pk}-face-{_photo_digest(live_photo)}"
        try:
            result = get_face_match_gateway().compare(live_photo=live_photo, id_photo=id_photo, idempotency_key=key)
        except GatewayError as error:
            raise RegistrationRefused(
                "face_match_unavailable",
                _("The face-match service gave no answer (%(reason)s). Try the check again.")
                % {"reason": error.message},
                transient=error.transient,
                status=503,
            ) from None
        face_score, comparison_id = result.score, result.comparison_id
    return CheckOutcome(
        subscriber_check=subscriber_check,
        subscriber_check_id=subscriber_check_id,
        representative_check=representative_check,
        representative_check_id=representative_check_id,
        face_score=face_score,
        face_comparison_id=comparison_id,
    )


def registration_check(*, actor: User, registration: Registration, live_photo: bytes | None = None) -> Registration:
    """Run the identity checks of a registration in ``identity_captured`` and move it on:

    * an identity the service does not confirm (unknown or cancelled number, another name) → ``refused`` with
      ``identity_check_failed``;
    * a face score below ``REGDESK_FACE_MATCH_THRESHOLD``, the service's own photo mismatch, or a military or
      armed-police ID (no public format to check) → ``awaiting_supervisor``;
    * otherwise → ``checks_passed``.

    ``live_photo`` (JPEG or PNG) is the photo taken at the counter; it is required when the person at the counter
    showed a card that was read, and kept as the case's ``live_photo`` document. An ID that already holds the
    per-ID limit of lines is refused with ``per_id_limit_reached`` before any check is paid for. An organisation
    needs its letter of authorisation attached first. Outside systems that do not answer raise
    ``RegistrationRefused`` with ``transient=True`` and change nothing.
    """
    require_counter(actor, registration.outlet)
    registration = Registration.objects.select_related(
        "case", "outlet", "subscriber_reading", "representative_reading", "target_line"
    ).get(pk=registration.pk)
    require_state(registration, "identity_captured")
    assert registration.case is not None  # noqa: S101 - set when the registration is created
    if (
        registration.subscriber_kind == SubscriberKind.ORGANISATION
        and not registration.case.documents.filter(kind="authorisation_letter").exists()
    ):
        raise RegistrationRefused(
            "authorisation_letter_missing",
            _("Attach the organisation's letter of authorisation first."),
            field="authorisation_letter",
        )
    if registration.subscriber_kind == SubscriberKind.INDIVIDUAL and gains_line(registration):
        family, index = identity_key_of(registration)
        if held_lines_of(family, index, exclude=registration.target_line) >= config.lines_per_id():
            with transaction.atomic():
                locked = lock_registration(registration)
                require_state(locked, "identity_captured")
                refusal(locked, RefusalReason.PER_ID_LIMIT_REACHED, actor)
                _audit_check(actor, locked, refused=str(RefusalReason.PER_ID_LIMIT_REACHED))
            return locked
    outcome = _run_checks(registration, live_photo)
    threshold = config.face_match_threshold()
    with transaction.atomic():
        locked = lock_registration(registration)
        require_state(locked, "identity_captured")
        locked.subscriber_check = outcome.subscriber_check
        locked.subscriber_check_id = outcome.subscriber_check_id
        locked.representative_check = outcome.representative_check
        locked.representative_check_id = outcome.representative_check_id
        locked.face_score = outcome.face_score
        locked.face_comparison_id = outcome.face_comparison_id
        locked.face_threshold = threshold if outcome.face_score is not None else None
        locked.checked_at = timezone.now()
        locked.save()
        assert locked.case is not None  # noqa: S101
        if live_photo is not None:
            try:
                document_attach(
                    actor=actor, case=locked.case, kind="live_photo", filename="live-photo", content=live_photo
                )
            except DocumentRefused as refused:
                raise RegistrationRefused("live_photo_invalid", refused.message, field="live_photo") from None
        payload = {
            "subscriber_check": outcome.subscriber_check,
            "representative_check": outcome.representative_check,
            "face_score": outcome.face_score,
        }
        if process.checks_failed(locked):
            locked.refusal_reason = RefusalReason.IDENTITY_CHECK_FAILED
            locked.save(update_fields=["refusal_reason", "updated_at"])
            transition(
                actor=actor,
                registration=locked,
                action="fail_checks",
                payload={**payload, "reason": str(RefusalReason.IDENTITY_CHECK_FAILED)},
            )
        elif process.needs_review(locked):
            transition(actor=actor, registration=locked, action="hold_for_review", payload=payload)
        else:
            transition(actor=actor, registration=locked, action="pass_checks", payload=payload)
        _audit_check(actor, locked, refused=locked.refusal_reason)
    return locked


def _audit_check(actor: User, registration: Registration, *, refused: str) -> None:
    audit_record(
        actor=actor,
        action="line_registration.check",
        object_type="subscribers.registration",
        object_id=registration.pk,
        changes={
            "subscriber_check": registration.subscriber_check,
            "representative_check": registration.representative_check,
            "face_score": registration.face_score,
            "face_threshold": registration.face_threshold,
            "refusal_reason": refused,
        },
        unit=registration.outlet,
    )


DECISIONS = ("approve", "decline")
DECLINE_REASONS = frozenset(
    {
        RefusalReason.SOMEONE_ELSES_ID,
        RefusalReason.FORGED_OR_ALTERED_ID,
        RefusalReason.IDENTITY_CHECK_FAILED,
        RefusalReason.DATA_WITHHELD,
    }
)


def registration_decide(
    *,
    actor: User,
    registration: Registration,
    decision: str,
    note: str,
    reason: str = RefusalReason.SOMEONE_ELSES_ID,
    evidence: bytes | None = None,
) -> Registration:
    """A supervisor's decision on a registration held for review (低分人像比对): ``approve`` lets it go on to
    ``checks_passed``, ``decline`` refuses it with ``reason`` (someone else's ID by default).

    A compliance officer over the outlet, or a counter clerk whose membership is above the outlet, decides; nobody
    decides on a registration they started. The ``note`` documents the decision (kept sealed); ``evidence`` (a PDF
    or an image) is attached to the case as ``supervisor_evidence``.
    """
    if decision not in DECISIONS:
        raise RegistrationRefused("decision_invalid", _("Approve or decline."), field="decision")
    note = " ".join(note.split())
    if not MIN_NOTE <= len(note) <= MAX_NOTE:
        raise RegistrationRefused(
            "note_invalid",
            _("Document the decision in a note of %(low)s to %(high)s characters.")
            % {"low": MIN_NOTE, "high": MAX_NOTE},
            field="note",
        )
    if decision == "decline" and reason not in {str(item) for item in DECLINE_REASONS}:
        raise RegistrationRefused("reason_invalid", _("Choose the reason for declining."), field="reason")
    with transaction.atomic():
        locked = lock_registration(registration)
        require_state(locked, "awaiting_supervisor")
        locked.decision = decision
        locked.decision_note = note
        locked.decided_by = actor
        locked.decided_at = timezone.now()
        if decision == "decline":
            locked.refusal_reason = reason
        locked.save()
        transition(
            actor=actor,
            registration=locked,
            action=decision,
            payload={"reason": reason} if decision == "decline" else {},
        )
        if evidence is not None:
            assert locked.case is not None  # noqa: S101
            try:
                document_attach(
                    actor=actor, case=locked.case, kind="supervisor_evidence", filename="evidence", content=evidence
                )
            except DocumentRefused as refused:
                raise RegistrationRefused("evidence_invalid", refused.message, field="evidence") from None
        audit_record(
            actor=actor,
            action="line_registration.decide",
            object_type="subscribers.registration",
            object_id=locked.pk,
            changes={"decision": decision, "reason": locked.refusal_reason},
            unit=locked.outlet,
        )
    return locked
