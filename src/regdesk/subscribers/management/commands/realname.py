"""``regdesk realname snapshot|purge-expired|inspect|daily``: supervision of real-name registration from the command
line, run as the system.

* ``regdesk realname snapshot [--enqueue]`` — record today's real-name rate per outlet (the report's time series).
* ``regdesk realname purge-expired [--dry-run] [--enqueue] [--limit N]`` — purge the registration data whose
  retention period ended; ``--dry-run`` only counts what would go.
* ``regdesk realname inspect [--unit CODE] [--from DATE] [--to DATE] [--json]`` — run a self-inspection now (the
  top unit and the last 92 days up to today by default) and list its findings.
* ``regdesk realname daily [--loop SECONDS]`` — what runs every day: the snapshot, the purge and the self-inspections
  that are due. django-tasks has no scheduler: run it from cron, or beside the worker with ``--loop 3600``.

Exit codes: 0 ok, 2 usage error (unknown unit, bad dates, a refused inspection).
"""

from __future__ import annotations

import datetime
import json
import signal
import threading
from argparse import ArgumentParser
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import close_old_connections
from django.utils import timezone

from regdesk.accounts.models import OrgUnit

MAX_LOOP_SECONDS = 86_400
DEFAULT_INSPECTION_DAYS = 92


def _date(value: str | None, name: str) -> datetime.date | None:
    if value is None:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{name} must be a date YYYY-MM-DD, not {value!r}", returncode=2) from None


class Command(BaseCommand):
    help = "Real-name supervision: rate snapshots, the retention purge, self-inspections."

    def add_arguments(self, parser: ArgumentParser) -> None:
        assert isinstance(parser, CommandParser)  # noqa: S101 - Django always passes its own parser
        commands = parser.add_subparsers(dest="command", required=True, parser_class=CommandParser)
        snapshot = commands.add_parser("snapshot", help="record today's rate per outlet")
        snapshot.add_argument("--enqueue", action="store_true", help="queue the task instead of running it here")
        purge = commands.add_parser("purge-expired", help="purge registration data whose retention ended")
        purge.add_argument("--dry-run", action="store_true", help="only count what would be purged")
        purge.add_argument("--enqueue", action="store_true", help="queue the task instead of running it here")
        purge.add_argument("--limit", type=int, default=500, help="lines per batch (default 500)")
        inspect = commands.add_parser("inspect", help="run a self-inspection now")
        inspect.add_argument("--unit", metavar="CODE", help="the inspected unit (default: the top unit)")
        inspect.add_argument("--from", dest="date_from", metavar="DATE", help="first day (YYYY-MM-DD)")
        inspect.add_argument("--to", dest="date_to", metavar="DATE", help="last day (YYYY-MM-DD; default today)")
        inspect.add_argument("--json", action="store_true", help="one JSON document")
        daily = commands.add_parser("daily", help="snapshot, purge and due self-inspections")
        daily.add_argument("--loop", type=float, metavar="SECONDS", help="repeat every SECONDS until stopped")

    def handle(self, *args: Any, **options: Any) -> None:
        command = options["command"]
        if command == "snapshot":
            self._snapshot(enqueue=options["enqueue"])
        elif command == "purge-expired":
            self._purge(dry_run=options["dry_run"], enqueue=options["enqueue"], limit=options["limit"])
        elif command == "inspect":
            self._inspect(options)
        else:
            self._daily(options.get("loop"))

    def _snapshot(self, *, enqueue: bool) -> None:
        if enqueue:
            from regdesk.subscribers.reports.tasks import realname_rate_snapshot

            realname_rate_snapshot.enqueue()
            self.stdout.write("snapshot queued")
            return
        from regdesk.subscribers.reports.services import rate_snapshot_take

        outlets = rate_snapshot_take(actor=None)
        self.stdout.write(f"snapshot of {timezone.localdate().isoformat()}: {outlets} outlets")

    def _purge(self, *, dry_run: bool, enqueue: bool, limit: int) -> None:
        if not 1 <= limit <= 100_000:
            raise CommandError("--limit must lie between 1 and 100000", returncode=2)
        if dry_run:
            from regdesk.subscribers.retention.selectors import purge_candidates

            candidates = purge_candidates()
            self.stdout.write(
                f"services ended before {candidates.cutoff.isoformat()}: lines {candidates.lines}, "
                f"registrations without a line {candidates.registrations_without_line}, "
                f"unused card readings {candidates.unused_card_readings}"
            )
            return
        from regdesk.subscribers.retention.tasks import purge_all, purge_expired_registrations

        if enqueue:
            purge_expired_registrations.enqueue()
            self.stdout.write("purge queued")
            return
        totals = purge_all(limit=limit)
        summary = ", ".join(f"{kind} {count}" for kind, count in sorted(totals.items())) or "nothing expired"
        self.stdout.write(f"purged: {summary}")

    def _unit(self, code: str | None) -> OrgUnit:
        if code:
            unit = OrgUnit.objects.filter(code=code, active=True).first()
            if unit is None:
                raise CommandError(f"no active unit {code!r}", returncode=2)
            return unit
        tops = list(OrgUnit.objects.filter(parent__isnull=True, active=True).order_by("code")[:2])
        if len(tops) != 1:
            raise CommandError("name the unit to inspect with --unit CODE", returncode=2)
        return tops[0]

    def _inspect(self, options: dict[str, Any]) -> None:
        from regdesk.subscribers.inspection.selectors import finding_text
        from regdesk.subscribers.inspection.services import self_inspection_run
        from regdesk.subscribers.services.errors import RegistrationRefused

        unit = self._unit(options.get("unit"))
        date_to = _date(options.get("date_to"), "--to") or timezone.localdate()
        date_from = _date(options.get("date_from"), "--from") or date_to - datetime.timedelta(
            days=DEFAULT_INSPECTION_DAYS - 1
        )
        try:
            inspection = self_inspection_run(actor=None, unit=unit, period_start=date_from, period_end=date_to)
        except RegistrationRefused as refused:
            raise CommandError(refused.message, returncode=2) from None
        findings = list(inspection.findings.select_related("case").order_by("pk"))
        if options.get("json"):
            document = {
                "inspection": inspection.pk,
                "unit": unit.code,
                "period": [date_from.isoformat(), date_to.isoformat()],
                "sections": inspection.sections,
                "findings": [
                    {
                        "kind": finding.kind,
                        "severity": finding.severity,
                        "subject": finding.subject,
                        "case": finding.case.reference if finding.case else None,
                        "repeated": finding.repeated,
                        "details": finding.details,
                    }
                    for finding in findings
                ],
            }
            self.stdout.write(json.dumps(document, ensure_ascii=False, indent=1))
            return
        self.stdout.write(
            f"self-inspection #{inspection.pk} of {unit.code}, {date_from.isoformat()} to {date_to.isoformat()}: "
            f"{len(findings)} findings"
        )
        for finding in findings:
            reference = finding.case.reference if finding.case else "-"
            again = " (again)" if finding.repeated else ""
            self.stdout.write(f"{reference}\t{finding.severity}\t{finding.kind}{again}\t{finding_text(finding)}")

    def _daily(self, interval: float | None) -> None:
        if interval is not None and not 0 < interval <= MAX_LOOP_SECONDS:
            raise CommandError(f"--loop needs a number of seconds from above 0 to {MAX_LOOP_SECONDS}", returncode=2)
        from regdesk.subscribers.inspection.services import self_inspection_due
        from regdesk.subscribers.reports.services import rate_snapshot_take
        from regdesk.subscribers.retention.tasks import purge_all

        stopping = threading.Event()

        def stop(signum: int, frame: FrameType | None) -> None:
            stopping.set()

        if interval is not None:
            signal.signal(signal.SIGINT, stop)
            signal.signal(signal.SIGTERM, stop)
        while True:
            # The snapshot is replaced by a later run of the same day, so the last run of a day records its end.
            outlets = rate_snapshot_take(actor=None)
            totals = purge_all()
            inspections = self_inspection_due()
            if interval is None or totals or inspections:
                self.stdout.write(
                    f"snapshot: {outlets} outlets; purged: {sum(totals.values())} records; "
                    f"self-inspections: {len(inspections)}"
                )
            if interval is None or stopping.wait(interval):
                return
            close_old_connections()
