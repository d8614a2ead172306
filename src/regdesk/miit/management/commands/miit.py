"""``regdesk miit export --out DIR``, ``regdesk miit status``, ``send``, ``fetch`` and ``purge``.

``export`` writes every upload that has been sent, byte for byte as it was sent — the original GBK document with
its ``encoding="GBK"`` declaration — to ``DIR/<sequence>-<operation>.xml`` and prints the count (purged uploads
are skipped). ``status`` prints the queue and exits 1 when an upload is refused or its outcome unknown (later
uploads wait behind it). ``send`` sends every pending upload in order, ``fetch`` polls downloads, ``purge``
removes documents past their retention.
"""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext_noop

from regdesk.miit.codec.errors import CodecError
from regdesk.miit.messages import bilingual
from regdesk.miit.selectors import upload_summary, uploads_to_retry
from regdesk.miit.services import (
    MiitError,
    miit_download_fetch,
    miit_upload_export,
    miit_upload_purge,
    miit_upload_send,
)
from regdesk.miit.transport import TransportError


class Command(BaseCommand):
    help = "The MIIT enterprise interface: export sent uploads, show the queue, send, fetch downloads, purge."

    def add_arguments(self, parser: ArgumentParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True)
        exporter = commands.add_parser("export", help="Write every sent upload as <sequence>-<operation>.xml (GBK).")
        exporter.add_argument("--out", required=True, help="Directory to write to (created if missing).")
        exporter.add_argument("--actor", default="", help="Username recorded in the audit trail.")
        commands.add_parser("status", help="Show the upload queue; exit 1 when an upload needs attention.")
        commands.add_parser("send", help="Send every pending upload in sequence order.")
        commands.add_parser("fetch", help="Download, store and acknowledge every waiting file.")
        commands.add_parser("purge", help="Remove uploaded documents past their retention period.")

    def handle(self, *args: Any, **options: Any) -> None:
        subcommand = options["subcommand"]
        try:
            if subcommand == "export":
                self._export(Path(options["out"]), options["actor"])
            elif subcommand == "status":
                self._status()
            elif subcommand == "send":
                self._send()
            elif subcommand == "fetch":
                fetched = miit_download_fetch()
                self.stdout.write(bilingual(gettext_noop("%(count)s files downloaded"), {"count": len(fetched)}))
            else:
                count = miit_upload_purge()
                self.stdout.write(bilingual(gettext_noop("%(count)s documents purged"), {"count": count}))
        except (MiitError, CodecError, TransportError) as error:
            raise CommandError(str(error), returncode=1) from None

    def _export(self, directory: Path, username: str) -> None:
        actor = None
        if username:
            actor = get_user_model().objects.filter(username=username).first()
            if actor is None:
                raise CommandError(bilingual(gettext_noop("No user %(name)s"), {"name": username}), returncode=2)
        if directory.exists() and not directory.is_dir():
            raise CommandError(
                bilingual(gettext_noop("%(path)s is not a directory"), {"path": directory}), returncode=2
            )
        try:
            count = miit_upload_export(actor=actor, directory=directory)
        except OSError as error:
            # A parent that is a file, a missing or read-only place: the operator's path, not our fault.
            raise CommandError(
                bilingual(
                    gettext_noop("cannot write to %(path)s: %(reason)s"),
                    {"path": directory, "reason": error.strerror or error},
                ),
                returncode=2,
            ) from None
        self.stdout.write(bilingual(gettext_noop("%(count)s uploads exported"), {"count": count}))

    def _status(self) -> None:
        summary = upload_summary()
        write = self.stdout.write
        write(bilingual(gettext_noop("Last allocated sequence: %(value)s"), {"value": summary.last_allocated}))
        write(bilingual(gettext_noop("Last accepted sequence: %(value)s"), {"value": summary.last_accepted}))
        for status, count in sorted(summary.by_status.items()):
            write(f"  {status}: {count}")
        write(
            bilingual(
                gettext_noop("Downloads: %(count)s (last %(when)s)"),
                {"count": summary.downloads, "when": summary.last_download_at or "-"},
            )
        )
        blocking = summary.blocking
        if blocking is not None:
            write(
                bilingual(
                    gettext_noop("Next to send: %(sequence)s %(operation)s %(status)s, code %(code)s, error %(error)s"),
                    {
                        "sequence": blocking.sequence,
                        "operation": blocking.operation,
                        "status": blocking.status,
                        "code": blocking.response_code if blocking.response_code is not None else "-",
                        "error": blocking.error_code or "-",
                    },
                )
            )
            if blocking.response_message:
                write(f"  {blocking.response_message}")
        if summary.needs_attention:
            raise CommandError(bilingual(gettext_noop("An upload needs attention")), returncode=1)

    def _send(self) -> None:
        pending = uploads_to_retry()
        if not pending:
            self.stdout.write(bilingual(gettext_noop("Nothing to send")))
            return
        upload = miit_upload_send(upload_id=pending[-1])
        summary = upload_summary()
        self.stdout.write(
            bilingual(
                gettext_noop("Last accepted sequence: %(sequence)s; upload %(last)s is %(status)s"),
                {"sequence": summary.last_accepted, "last": upload.sequence, "status": upload.status},
            )
        )
        if summary.needs_attention:
            raise CommandError(bilingual(gettext_noop("An upload needs attention")), returncode=1)
