"""Recomputing the hash chain of the audit trail and holding it against its signed checkpoints.

Every event stores the hash of its own chained fields and the hash of the event before it, and sequences run
1, 2, 3 ... without gaps. So:

- a row whose content no longer matches its hash was **edited**;
- a gap in the sequence means events were **deleted**;
- a ``previous_hash`` that does not match the event before it, with no gap, means an event was **deleted and
  the rest renumbered, or inserted**;
- a chain that ends before the head row's last sequence lost its **last events**; one that ends elsewhere, or
  with another hash, than the head row records had events **appended or rewritten** past the audit service.

All of that holds only against someone who cannot write the database: whoever can, deletes the last events and
moves the head row back, or edits an event and recomputes every hash after it (SHA-256 needs no secret). The
checkpoints, signed with a key outside the database, close that door:

- a checkpoint whose signature does not match was **forged or altered**; a gap in their numbers means one was
  **deleted**;
- a trail with fewer events than a checkpoint recorded was **truncated** (or, with none left, **deleted**);
- an event whose stored hash is no longer the one a checkpoint signed for it belongs to a chain that was
  **recomputed**, even though every link matches.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from regdesk.audit import keys
from regdesk.audit.hashing import GENESIS_HASH, event_hash
from regdesk.audit.models import AuditChainHead, AuditCheckpoint, AuditEvent


class Breach(enum.StrEnum):
    EDITED = "edited"
    GAP = "gap"
    PREVIOUS_HASH = "previous_hash"
    TRUNCATED = "truncated"
    HEAD = "head"
    HEAD_MISSING = "head_missing"
    TRAIL_DELETED = "trail_deleted"
    RECOMPUTED = "recomputed"
    CHECKPOINT_FORGED = "checkpoint_forged"
    CHECKPOINT_MISSING = "checkpoint_missing"


@dataclass(frozen=True)
class VerificationResult:
    """The outcome: ``count`` events checked; on a break, the sequence where it was found and why.

    ``head_hash`` and ``head_occurred_at`` describe the last event that verified, for the next checkpoint;
    ``checkpoint`` is the checkpoint a break was found against (or the last one, when the trail is intact), and
    ``recorded`` the number of events that checkpoint or the head row recorded.
    """

    count: int
    breach: Breach | None = None
    sequence: int | None = None
    expected_sequence: int | None = None
    head_hash: str = GENESIS_HASH
    head_occurred_at: datetime | None = None
    checkpoint: int | None = None
    checkpoint_at: datetime | None = None
    recorded: int | None = None

    @property
    def intact(self) -> bool:
        return self.breach is None

    def _when(self) -> str:
        if self.checkpoint_at is None:
            return ""
        return timezone.localtime(self.checkpoint_at).strftime("%Y-%m-%d %H:%M:%S")

    def explanation(self) -> str:
        """The finding in one sentence, in the active language."""
        return self._sentence() % {
            "count": self.count,
            "sequence": self.sequence,
            "expected": self.expected_sequence,
            "last": (self.expected_sequence or 1) - 1,
            "last_missing": (self.sequence or 0) - 1,
            "checkpoint": self.checkpoint,
            "when": self._when(),
            "recorded": self.recorded,
        }

    def _sentence(self) -> str:
        if self.breach is None and self.checkpoint is None:
            return _("The audit trail is intact: %(count)d events.")
        if self.breach is None:
            return _(
                "The audit trail is intact: %(count)d events, consistent with checkpoint %(checkpoint)d of %(when)s."
            )
        if self.breach is Breach.EDITED:
            return _("Event %(sequence)d does not match its hash: it was edited after it was written.")
        if self.breach is Breach.GAP:
            return _(
                "Gap in the sequence: expected event %(expected)d, found %(sequence)d: events %(expected)d to "
                "%(last_missing)d were deleted."
            )
        if self.breach is Breach.PREVIOUS_HASH:
            return _(
                "Event %(sequence)d does not carry the hash of the event before it: an event before it was deleted, "
                "inserted or rewritten."
            )
        if self.breach is Breach.TRUNCATED and self.checkpoint is not None:
            return _(
                "The chain ends at event %(count)d but checkpoint %(checkpoint)d, signed at %(when)s, recorded "
                "%(recorded)d events: the last events were deleted."
            )
        if self.breach is Breach.TRUNCATED:
            return _(
                "The chain ends at event %(last)d but the chain head records event %(sequence)d: the last events "
                "were deleted."
            )
        if self.breach is Breach.TRAIL_DELETED and self.checkpoint is not None:
            return _(
                "The audit trail is empty but checkpoint %(checkpoint)d, signed at %(when)s, recorded %(recorded)d "
                "events: the whole trail was deleted."
            )
        if self.breach is Breach.TRAIL_DELETED:
            return _(
                "The audit trail is empty but the chain head records %(recorded)d events: the whole trail was deleted."
            )
        if self.breach is Breach.HEAD_MISSING:
            return _(
                "The chain head row is missing although the trail holds %(count)d events: it was deleted, and the "
                "events after the last one may have been deleted with it."
            )
        if self.breach is Breach.RECOMPUTED:
            return _(
                "Event %(sequence)d no longer has the hash that checkpoint %(checkpoint)d, signed at %(when)s, "
                "recorded for it, although the chain links up: the chain was rewritten and its hashes recomputed."
            )
        if self.breach is Breach.CHECKPOINT_FORGED:
            return _(
                "Checkpoint %(checkpoint)d does not carry a valid signature: it was forged or altered, or signed "
                "with another key than the one configured."
            )
        if self.breach is Breach.CHECKPOINT_MISSING:
            return _(
                "Gap in the checkpoints: expected checkpoint %(expected)d, found %(checkpoint)d: checkpoints were "
                "deleted."
            )
        return _(
            "Event %(sequence)d does not match the chain head: events were appended or rewritten outside the "
            "audit service."
        )


def _verified_checkpoints() -> tuple[list[AuditCheckpoint], VerificationResult | None]:
    """Every checkpoint in number order, or the first forged or missing one."""
    checkpoints = list(AuditCheckpoint.objects.order_by("number"))
    if not checkpoints:
        return [], None
    key = keys.load_checkpoint_key()
    for expected, checkpoint in enumerate(checkpoints, start=1):
        if not keys.signature_matches(checkpoint.signed_fields(), checkpoint.signature, key):
            return [], VerificationResult(
                count=0,
                breach=Breach.CHECKPOINT_FORGED,
                checkpoint=checkpoint.number,
                checkpoint_at=checkpoint.created_at,
            )
        if checkpoint.number != expected:
            return [], VerificationResult(
                count=0,
                breach=Breach.CHECKPOINT_MISSING,
                checkpoint=checkpoint.number,
                checkpoint_at=checkpoint.created_at,
                expected_sequence=expected,
            )
    return checkpoints, None


def verify_chain(*, chunk_size: int = 2000) -> VerificationResult:
    """Check the checkpoints, walk the trail in sequence order, and report the first break, if any.

    Read-only: ``regdesk audit verify`` signs a new checkpoint when the trail is intact
    (``regdesk.audit.services.audit_checkpoint_sign``).
    """
    checkpoints, forged = _verified_checkpoints()
    if forged is not None:
        return forged
    # Checkpoints whose head is a given event; several verifications without new events share one head.
    signed_heads: dict[int, list[AuditCheckpoint]] = {}
    for checkpoint in checkpoints:
        signed_heads.setdefault(checkpoint.head_sequence, []).append(checkpoint)
    expected_sequence = 1
    previous_hash = GENESIS_HASH
    head_occurred_at: datetime | None = None
    count = 0
    events = AuditEvent.objects.order_by("sequence").iterator(chunk_size=chunk_size)
    for event in events:
        if event.sequence != expected_sequence:
            return VerificationResult(
                count=count, breach=Breach.GAP, sequence=event.sequence, expected_sequence=expected_sequence
            )
        if event.previous_hash != previous_hash:
            return VerificationResult(count=count, breach=Breach.PREVIOUS_HASH, sequence=event.sequence)
        if event_hash(event.chained_fields()) != event.hash:
            return VerificationResult(count=count, breach=Breach.EDITED, sequence=event.sequence)
        for checkpoint in signed_heads.get(event.sequence, ()):
            if checkpoint.head_hash != event.hash:
                return VerificationResult(
                    count=count,
                    breach=Breach.RECOMPUTED,
                    sequence=event.sequence,
                    checkpoint=checkpoint.number,
                    checkpoint_at=checkpoint.created_at,
                )
        count += 1
        expected_sequence += 1
        previous_hash = event.hash
        head_occurred_at = event.occurred_at
    intact = VerificationResult(count=count, head_hash=previous_hash, head_occurred_at=head_occurred_at)
    return _against_checkpoints_and_head(intact, checkpoints, expected_sequence)


def _against_checkpoints_and_head(
    walked: VerificationResult, checkpoints: list[AuditCheckpoint], expected_sequence: int
) -> VerificationResult:
    """The walked chain against the most events any signed checkpoint recorded, then against the head row."""
    count = walked.count
    longest = max(checkpoints, key=lambda checkpoint: checkpoint.event_count, default=None)
    if longest is not None and longest.event_count > count:
        return VerificationResult(
            count=count,
            breach=Breach.TRAIL_DELETED if count == 0 else Breach.TRUNCATED,
            sequence=longest.head_sequence,
            checkpoint=longest.number,
            checkpoint_at=longest.created_at,
            recorded=longest.event_count,
        )
    head = AuditChainHead.objects.filter(id=1).first()
    if head is None:
        # The migration makes the row and every writer keeps it; only a flushed, empty database lacks it.
        if count > 0:
            return VerificationResult(count=count, breach=Breach.HEAD_MISSING)
    elif head.last_sequence != count or head.last_hash != walked.head_hash:
        if head.last_sequence > count:
            return VerificationResult(
                count=count,
                breach=Breach.TRAIL_DELETED if count == 0 else Breach.TRUNCATED,
                sequence=head.last_sequence,
                expected_sequence=expected_sequence,
                recorded=head.last_sequence,
            )
        return VerificationResult(count=count, breach=Breach.HEAD, sequence=count)
    last = checkpoints[-1] if checkpoints else None
    if last is None:
        return walked
    return VerificationResult(
        count=count,
        head_hash=walked.head_hash,
        head_occurred_at=walked.head_occurred_at,
        checkpoint=last.number,
        checkpoint_at=last.created_at,
    )
