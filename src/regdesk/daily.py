"""``python -m regdesk.daily``: the daily housekeeping that `regdesk run` schedules beside the worker.

Runs each daily command once at start and then every 24 hours: the real-name rate snapshot, retention purge and due
self-inspections (``regdesk realname daily``) and the purge of MIIT uploads past their retention
(``regdesk miit purge``). A failing command is reported and retried the next day; it never stops the others.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
from types import FrameType

DAILY_COMMANDS: tuple[tuple[str, ...], ...] = (
    ("realname", "daily"),
    ("miit", "purge"),
)
INTERVAL_SECONDS = 24 * 60 * 60


def run_once() -> int:
    failures = 0
    for command in DAILY_COMMANDS:
        result = subprocess.run([sys.executable, "-m", "regdesk.cli", *command], check=False)  # noqa: S603
        if result.returncode != 0:
            failures += 1
            print(f"daily: `regdesk {' '.join(command)}` exited {result.returncode}", file=sys.stderr, flush=True)
    return failures


def main() -> int:
    stopping = threading.Event()

    def stop(signum: int, frame: FrameType | None) -> None:
        stopping.set()

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    while not stopping.is_set():
        run_once()
        stopping.wait(INTERVAL_SECONDS)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
