"""``regdesk vault``: the personal-data vault's key ring.

- ``regdesk vault status``: key ids (the active one marked) and the number of stored values sealed by each key;
- ``regdesk vault rotate [--new-key-id ID] [--batch-size N] [--actor USERNAME]``: add a key, make it active and
  reseal every value with it, printing a progress line per batch;
- ``regdesk vault reencrypt [--batch-size N] [--actor USERNAME]``: reseal what is not under the active key yet
  (finishes a rotation that stopped halfway).

Exit codes: 0 done, 2 usage error.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from regdesk.privacy import keys
from regdesk.privacy.rotation import key_usage
from regdesk.privacy.services import vault_reencrypt, vault_rotate


def _validation_text(error: ValidationError) -> str:
    if hasattr(error, "message_dict"):
        return "; ".join(f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items())
    return " ".join(error.messages)


class Command(BaseCommand):
    help = "The personal-data vault: status, rotate, reencrypt."

    def add_arguments(self, parser: CommandParser) -> None:
        subcommands = parser.add_subparsers(dest="subcommand", metavar="{status,rotate,reencrypt}")
        subcommands.add_parser("status", help="Key ids and the number of values sealed by each.")
        rotate = subcommands.add_parser("rotate", help="Add a key, make it active, reseal every value.")
        rotate.add_argument("--new-key-id", default=None, help="Identifier of the new key (default: the next k<n>).")
        reencrypt = subcommands.add_parser("reencrypt", help="Reseal values not under the active key.")
        for sub in (rotate, reencrypt):
            sub.add_argument("--batch-size", type=int, default=500, help="Rows per transaction (default 500).")
            sub.add_argument("--actor", default="", help="User name recorded in the audit trail (default: system).")

    def handle(self, *args: Any, **options: Any) -> None:
        subcommand = options.get("subcommand")
        try:
            if subcommand == "status":
                self._status()
            elif subcommand == "rotate":
                self._rotate(options)
            elif subcommand == "reencrypt":
                self._reencrypt(options)
            else:
                raise CommandError("usage: regdesk vault {status,rotate,reencrypt} ...", returncode=2)
        except ValidationError as error:
            raise CommandError(_validation_text(error), returncode=2) from None
        except keys.KeyRingError as error:
            raise CommandError(str(error), returncode=2) from None

    def _actor(self, username: str) -> Any:
        if not username:
            return None
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no user named {username!r}", returncode=2)
        return user

    def _progress(self, line: str) -> None:
        self.stdout.write(line)
        self.stdout.flush()

    def _status(self) -> None:
        ring = keys.load_key_ring()
        usage = key_usage()
        totals: Counter[str] = Counter()
        for counts in usage.values():
            totals.update(counts)
        self.stdout.write(f"key ring: {keys.key_ring_path()}")
        for key_id in sorted(ring.keys):
            marker = " (active)" if key_id == ring.active else ""
            self.stdout.write(f"{key_id}{marker}: {totals.get(key_id, 0)} values")
        unknown = sorted(set(totals) - set(ring.keys))
        for key_id in unknown:
            self.stdout.write(f"{key_id} (not in the ring!): {totals[key_id]} values")
        for label, counts in sorted(usage.items()):
            detail = ", ".join(f"{key_id}={count}" for key_id, count in sorted(counts.items())) or "empty"
            self.stdout.write(f"  {label}: {detail}")

    def _rotate(self, options: dict[str, Any]) -> None:
        result = vault_rotate(
            actor=self._actor(options["actor"]),
            new_key_id=options["new_key_id"],
            batch_size=options["batch_size"],
            progress=self._progress,
        )
        self.stdout.write(
            f"active key: {result.new_key_id} (was {result.previous_key_id}); "
            f"{result.report.resealed} of {result.report.checked} values resealed"
        )

    def _reencrypt(self, options: dict[str, Any]) -> None:
        report = vault_reencrypt(
            actor=self._actor(options["actor"]), batch_size=options["batch_size"], progress=self._progress
        )
        self.stdout.write(f"active key: {report.active_key}; {report.resealed} of {report.checked} values resealed")
