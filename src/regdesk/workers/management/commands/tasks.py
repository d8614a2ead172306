"""``regdesk tasks reap [--loop SECONDS]``: mark failed the tasks whose worker is gone (and queue again those that
are safe to run twice). Exit codes: 0 ok, 2 usage error."""

from __future__ import annotations

import signal
import threading
from argparse import ArgumentParser
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import close_old_connections

from regdesk.workers.services import tasks_reap


class Command(BaseCommand):
    help = "Background tasks: reap the tasks whose worker is gone."

    def add_arguments(self, parser: ArgumentParser) -> None:
        assert isinstance(parser, CommandParser)  # noqa: S101 - Django always passes its own parser
        commands = parser.add_subparsers(dest="command", required=True, parser_class=CommandParser)
        reap = commands.add_parser("reap", help="mark failed the RUNNING tasks whose worker is gone")
        reap.add_argument("--loop", type=float, metavar="SECONDS", help="repeat every SECONDS until stopped")

    def handle(self, *args: Any, **options: Any) -> None:
        interval: float | None = options.get("loop")
        if interval is not None and interval <= 0:
            raise CommandError("--loop needs a positive number of seconds", returncode=2)
        stopping = threading.Event()

        def stop(signum: int, frame: FrameType | None) -> None:
            stopping.set()

        if interval is not None:
            signal.signal(signal.SIGINT, stop)
            signal.signal(signal.SIGTERM, stop)
        while True:
            reaped = tasks_reap()
            if interval is None or reaped:
                self.stdout.write(f"tasks reaped / 已回收任务: {len(reaped)}")
            for task in reaped:
                self.stdout.write(f"  {task.task_id} {task.task_path} worker={task.worker_id or '?'}")
            if interval is None or stopping.wait(interval):
                return
            close_old_connections()
