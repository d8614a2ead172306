"""``regdesk audit verify``: recompute the hash chain of the audit trail.

Exit codes: 0 when the chain is intact (the number of events is printed), 1 when it is broken (the first broken
event's sequence and the reason are printed), 2 on a usage error.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from regdesk.audit.verification import verify_chain

# Events held in memory at once; a larger number is no faster and a huge one cannot be a query's LIMIT.
MAX_CHUNK_SIZE = 100_000


class Command(BaseCommand):
    help = "Audit trail tools. verify: recompute the hash chain and report the first break."

    def add_arguments(self, parser: CommandParser) -> None:
        subcommands = parser.add_subparsers(dest="subcommand", metavar="{verify}")
        verify = subcommands.add_parser("verify", help="Recompute the hash chain; exit 1 at the first break.")
        verify.add_argument("--chunk-size", type=int, default=2000, help="Events read per database round trip.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options.get("subcommand") != "verify":
            raise CommandError("usage: regdesk audit verify [--chunk-size N]", returncode=2)
        chunk_size = int(options["chunk_size"])
        if not 1 <= chunk_size <= MAX_CHUNK_SIZE:
            raise CommandError(f"--chunk-size must be from 1 to {MAX_CHUNK_SIZE}", returncode=2)
        result = verify_chain(chunk_size=chunk_size)
        if result.intact:
            self.stdout.write(result.explanation())
            return
        raise CommandError(result.explanation(), returncode=1)
