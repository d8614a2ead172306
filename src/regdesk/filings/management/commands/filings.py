"""``regdesk filings list|poll|routing-check``: ICP filings from the command line.

* ``regdesk filings list [--state STATE] [--json]`` — every filing with its state and record numbers (nothing
  personal: an owner is shown by its kind, websites by their ids and numbers).
* ``regdesk filings routing-check`` — alert the compliance officers about every open filing that no registration
  specialist can see (``services.routing``); the daily housekeeping runs it.
* ``regdesk filings poll [--loop SECONDS]`` — fetch the province's downloads (review results) and handle them;
  the runner starts ``regdesk filings poll --loop 30`` beside the worker and the clock sweep. Each round of the
  loop also reaps background tasks whose worker is gone (``regdesk tasks reap``).

Exit codes: 0 ok, 1 the province refused the download or could not be reached, 2 usage error. With ``--loop``
nothing but SIGINT/SIGTERM ends the command: a failing round is reported and the next one runs.
"""

from __future__ import annotations

import json
import logging
import signal
import threading
from argparse import ArgumentParser
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import close_old_connections

from regdesk.filings.models import FilingState
from regdesk.filings.selectors import filings_listing
from regdesk.miit.codec import CodecError
from regdesk.miit.services import MiitError
from regdesk.miit.transport import TransportError
from regdesk.workers.services import tasks_reap

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "ICP filings: list them with their state and record numbers, or poll the province for results."

    def add_arguments(self, parser: ArgumentParser) -> None:
        assert isinstance(parser, CommandParser)  # noqa: S101 - Django always passes its own parser
        commands = parser.add_subparsers(dest="command", required=True, parser_class=CommandParser)
        listing = commands.add_parser("list", help="filings with their state and record numbers")
        listing.add_argument("--state", metavar="STATE", help=f"only this state ({', '.join(FilingState.values)})")
        listing.add_argument("--json", action="store_true", help="one JSON document")
        poll = commands.add_parser("poll", help="fetch and handle the province's downloads")
        poll.add_argument("--loop", type=float, metavar="SECONDS", help="repeat every SECONDS until stopped")
        commands.add_parser(
            "routing-check", help="alert compliance about open filings that no registration specialist can see"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["command"] == "list":
            self._list(state=options.get("state"), as_json=bool(options.get("json")))
        elif options["command"] == "routing-check":
            from regdesk.filings.services.routing import unreachable_filings_alert

            report = unreachable_filings_alert()
            self.stdout.write(
                f"checked {report['checked']} open filings: {report['unreachable']} seen by no specialist,"
                f" {report['queued']} alerts queued"
            )
        else:
            self._poll(options.get("loop"))

    def _list(self, *, state: str | None, as_json: bool) -> None:
        if state is not None and state not in FilingState.values:
            raise CommandError(f"unknown state {state!r}; one of: {', '.join(FilingState.values)}", returncode=2)
        filings = filings_listing(state=state)
        if as_json:
            self.stdout.write(json.dumps({"filings": filings}, ensure_ascii=False, indent=1))
            return
        for filing in filings:
            numbers = ", ".join(f"{site['record_number'] or '—'} ({site['access']})" for site in filing["websites"])
            self.stdout.write(
                f"{filing['reference']}\t{filing['state']}\t{filing['owner_record_number'] or '—'}\t{numbers}"
            )

    def _poll(self, interval: float | None) -> None:
        from regdesk.filings.services.regulator import filings_poll

        if interval is not None and interval <= 0:
            raise CommandError("--loop needs a positive number of seconds", returncode=2)
        stopping = threading.Event()

        def stop(signum: int, frame: FrameType | None) -> None:
            stopping.set()

        if interval is not None:
            signal.signal(signal.SIGINT, stop)
            signal.signal(signal.SIGTERM, stop)
        while True:
            try:
                received = filings_poll()
            except (MiitError, TransportError, CodecError) as error:
                # The province refused, could not be reached, or sent a file that cannot be unpacked: the loop
                # tries again at the next round (a file that unpacks but cannot be read never gets here: it is
                # stored as invalid, acknowledged, and compliance is alerted).
                if interval is None:
                    raise CommandError(str(error), returncode=1) from None
                self.stderr.write(str(error))
            except Exception as error:
                # Anything else (a handler's bug, a database outage) must not stop the poller either; the file
                # stays unacknowledged and is offered again at the next round.
                if interval is None:
                    raise
                logger.exception("filings poll failed (%s); trying again in %s s", type(error).__name__, interval)
            else:
                if interval is None or received:
                    self.stdout.write(f"downloads received / 收到下载文件: {received}")
            if interval is None:
                return
            self._reap_tasks()
            if stopping.wait(interval):
                return
            close_old_connections()

    def _reap_tasks(self) -> None:
        """The long-running poller is what ``regdesk run`` keeps beside the worker, so it also reaps the tasks whose
        worker is gone (a send to the province stuck RUNNING, see ``regdesk.workers``)."""
        try:
            tasks_reap()
        except Exception as error:
            logger.exception("reaping tasks failed (%s)", type(error).__name__)
