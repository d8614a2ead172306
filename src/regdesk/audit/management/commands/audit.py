"""``regdesk audit verify``: recompute the hash chain of the audit trail and hold it against its signed checkpoints.

When the trail is intact, a new checkpoint is signed (so every verification, and the daily housekeeping that runs
one, moves the signed mark forward). Exit codes: 0 when the chain is intact (the number of events and the new
checkpoint are printed), 1 when it is broken (the first break and its kind are printed: edit, deletion, truncation,
recomputation, forged or deleted checkpoint), 2 on a usage error or when the checkpoint key cannot be read.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from regdesk.audit.keys import CheckpointKeyError
from regdesk.audit.services import audit_checkpoint_sign
from regdesk.audit.verification import verify_chain

# Events held in memory at once; a larger number is no faster and a huge one cannot be a query's LIMIT.
MAX_CHUNK_SIZE = 100_000


class Command(BaseCommand):
    help = "Audit trail tools. verify: check the hash chain and its signed checkpoints; sign a new checkpoint."

    def add_arguments(self, parser: CommandParser) -> None:
        subcommands = parser.add_subparsers(dest="subcommand", metavar="{verify}")
        verify = subcommands.add_parser(
            "verify", help="Check the hash chain against the signed checkpoints; exit 1 at the first break."
        )
        verify.add_argument("--chunk-size", type=int, default=2000, help="Events read per database round trip.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options.get("subcommand") != "verify":
            raise CommandError("usage: regdesk audit verify [--chunk-size N]", returncode=2)
        chunk_size = int(options["chunk_size"])
        if not 1 <= chunk_size <= MAX_CHUNK_SIZE:
            raise CommandError(f"--chunk-size must be from 1 to {MAX_CHUNK_SIZE}", returncode=2)
        try:
            result = verify_chain(chunk_size=chunk_size)
            if not result.intact:
                raise CommandError(result.explanation(), returncode=1)
            checkpoint = audit_checkpoint_sign(
                actor=None,
                event_count=result.count,
                head_sequence=result.count,
                head_hash=result.head_hash,
                head_occurred_at=result.head_occurred_at,
            )
        except CheckpointKeyError as error:
            raise CommandError(str(error), returncode=2) from None
        self.stdout.write(result.explanation())
        self.stdout.write(
            _("Checkpoint %(number)d signed: %(count)d events.") % {"number": checkpoint.number, "count": result.count}
        )
