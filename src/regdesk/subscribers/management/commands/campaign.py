"""``regdesk campaign sweep [--loop SECONDS] [--enqueue]`` and ``regdesk campaign list``.

django-tasks has no scheduler: the sweep that takes the due steps of running remediation campaigns (and re-sends
provisioning commands that failed for a while) runs beside the worker, like ``regdesk sweep`` for clocks. It is
safe to run anywhere, any number of times at once: a step moves its case only from the step's source state.
"""

from __future__ import annotations

import signal
import threading
from argparse import ArgumentParser
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import close_old_connections

from regdesk.subscribers.campaigns.selectors import campaign_progress
from regdesk.subscribers.campaigns.services import campaign_sweep
from regdesk.subscribers.campaigns.tasks import sweep_campaigns
from regdesk.subscribers.models import Campaign

MAX_LOOP_SECONDS = 86_400


class Command(BaseCommand):
    help = "Take the due steps of remediation campaigns; list campaigns."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, parser_class=ArgumentParser)
        sweep = actions.add_parser("sweep", help="take due steps (once, or every SECONDS with --loop)")
        sweep.add_argument("--loop", type=float, metavar="SECONDS")
        sweep.add_argument("--enqueue", action="store_true", help="queue a sweep task instead of sweeping here")
        actions.add_parser("list", help="campaigns with their lines per stage")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "list":
            for campaign in Campaign.objects.select_related("unit").order_by("pk"):
                progress = campaign_progress(campaign)
                stages = ", ".join(f"{value} {count}" for value, _label, count in progress.stages if count)
                self.stdout.write(
                    f"#{campaign.pk} {campaign.status} {campaign.group} {campaign.unit.code}: {stages or 'no lines'}"
                )
            return
        interval: float | None = options["loop"]
        if interval is not None and not 0 < interval <= MAX_LOOP_SECONDS:
            raise CommandError(f"--loop needs a number of seconds from above 0 to {MAX_LOOP_SECONDS}", returncode=2)
        stopping = threading.Event()

        def stop(signum: int, frame: FrameType | None) -> None:
            stopping.set()

        if interval is not None:
            signal.signal(signal.SIGINT, stop)
            signal.signal(signal.SIGTERM, stop)
        while True:
            if options["enqueue"]:
                sweep_campaigns.enqueue()
            else:
                report = campaign_sweep()
                if report.fired or report.refused or interval is None:
                    self.stdout.write(
                        f"steps taken {len(report.fired)}, refused {report.refused}, commands queued {report.commands}"
                    )
            if interval is None or stopping.wait(interval):
                return
            close_old_connections()
