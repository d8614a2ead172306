"""``regdesk sweep [--loop SECONDS] [--enqueue]``: fire due clock rungs and re-queue due notices.

django-tasks has no scheduler, so the runner starts ``regdesk sweep --loop 60`` beside the worker. Without
``--enqueue`` the sweep runs in this process (it is safe to run anywhere, any number of times at once: each rung
fires exactly once); with it, a ``sweep_clocks`` task is queued for the worker instead.
"""

from __future__ import annotations

import signal
import threading
from argparse import ArgumentParser
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections

from regdesk.cases.services.sweep import clock_sweep
from regdesk.cases.tasks import sweep_clocks

# A day: a longer pause between sweeps would let every rung fire late.
MAX_LOOP_SECONDS = 86_400


class Command(BaseCommand):
    help = "Fire due clock rungs (once, or every SECONDS with --loop) and re-queue due notices."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--loop", type=float, metavar="SECONDS", help="repeat every SECONDS until stopped")
        parser.add_argument("--enqueue", action="store_true", help="queue a sweep task instead of sweeping here")

    def handle(self, *args: Any, **options: Any) -> None:
        interval: float | None = options["loop"]
        # "nan" and "inf" parse as floats: nan compares false with everything (the loop never waited) and inf is
        # more than any wait can take.
        if interval is not None and not 0 < interval <= MAX_LOOP_SECONDS:
            raise CommandError(f"--loop needs a number of seconds from above 0 to {MAX_LOOP_SECONDS}", returncode=2)
        stopping = threading.Event()

        def stop(signum: int, frame: FrameType | None) -> None:
            stopping.set()

        if interval is not None:
            signal.signal(signal.SIGINT, stop)
            signal.signal(signal.SIGTERM, stop)
        while True:
            self._sweep_once(enqueue=options["enqueue"], verbose=options["verbosity"] >= 1 and interval is None)
            if interval is None or stopping.wait(interval):
                return
            close_old_connections()

    def _sweep_once(self, *, enqueue: bool, verbose: bool) -> None:
        if enqueue:
            sweep_clocks.enqueue()
            if verbose:
                self.stdout.write("sweep queued")
            return
        report = clock_sweep()
        if verbose or report.fired or report.errors:
            self.stdout.write(
                f"rungs fired: {len(report.fired)}, already fired elsewhere: {report.already_fired}, "
                f"errors: {report.errors}"
            )
