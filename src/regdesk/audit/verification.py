"""Recomputing the hash chain of the audit trail.

Every event stores the hash of its own chained fields and the hash of the event before it, and sequences run
1, 2, 3 ... without gaps. So:

- a row whose content no longer matches its hash was **edited**;
- a gap in the sequence means events were **deleted**;
- a ``previous_hash`` that does not match the event before it, with no gap, means an event was **deleted and
  the rest renumbered, or inserted**;
- a chain that ends before the head row's last sequence lost its **last events**; one that ends elsewhere, or
  with another hash, than the head row records had events **appended or rewritten** past the audit service.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from django.utils.translation import gettext as _

from regdesk.audit.hashing import GENESIS_HASH, event_hash
from regdesk.audit.models import AuditChainHead, AuditEvent


class Breach(enum.StrEnum):
    EDITED = "edited"
    GAP = "gap"
    PREVIOUS_HASH = "previous_hash"
    TRUNCATED = "truncated"
    HEAD = "head"


@dataclass(frozen=True)
class VerificationResult:
    """The outcome: ``count`` events checked; on a break, the sequence where it was found and why."""

    count: int
    breach: Breach | None = None
    sequence: int | None = None
    expected_sequence: int | None = None

    @property
    def intact(self) -> bool:
        return self.breach is None

    def explanation(self) -> str:
        if self.breach is None:
            return _("The audit trail is intact: %(count)d events.") % {"count": self.count}
        if self.breach is Breach.EDITED:
            return _("Event %(sequence)d does not match its hash: it was edited after it was written.") % {
                "sequence": self.sequence
            }
        if self.breach is Breach.GAP:
            return _(
                "Gap in the sequence: expected event %(expected)d, found %(sequence)d: events %(expected)d to "
                "%(last_missing)d were deleted."
            ) % {
                "expected": self.expected_sequence,
                "sequence": self.sequence,
                "last_missing": (self.sequence or 0) - 1,
            }
        if self.breach is Breach.PREVIOUS_HASH:
            return _(
                "Event %(sequence)d does not carry the hash of the event before it: an event before it was deleted, "
                "inserted or rewritten."
            ) % {"sequence": self.sequence}
        if self.breach is Breach.TRUNCATED:
            return _(
                "The chain ends at event %(last)d but the chain head records event %(sequence)d: the last events "
                "were deleted."
            ) % {"last": (self.expected_sequence or 1) - 1, "sequence": self.sequence}
        return _(
            "Event %(sequence)d does not match the chain head: events were appended or rewritten outside the "
            "audit service."
        ) % {"sequence": self.sequence}


def verify_chain(*, chunk_size: int = 2000) -> VerificationResult:
    """Walk the trail in sequence order and report the first break, if any."""
    expected_sequence = 1
    previous_hash = GENESIS_HASH
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
        count += 1
        expected_sequence += 1
        previous_hash = event.hash
    head = AuditChainHead.objects.filter(id=1).first()
    if head is not None and (head.last_sequence != count or head.last_hash != previous_hash):
        if head.last_sequence > count:
            return VerificationResult(
                count=count,
                breach=Breach.TRUNCATED,
                sequence=head.last_sequence,
                expected_sequence=expected_sequence,
            )
        return VerificationResult(count=count, breach=Breach.HEAD, sequence=count)
    return VerificationResult(count=count)
