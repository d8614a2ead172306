"""``python -m regdesk.daily``: the daily housekeeping that `regdesk run` schedules beside the worker.

Runs each daily command once at start and then every 24 hours: the real-name rate snapshot, retention purge and due
self-inspections (``regdesk realname daily``), the purge of MIIT uploads past their retention
(``regdesk miit purge``), the alert about open ICP filings that no specialist can see
(``regdesk filings routing-check``), and the verification of the audit trail, which signs the day's checkpoint
(``regdesk audit verify``; last, so that the checkpoint covers the day's purges). A failing command is reported and
retried the next day; it never stops the others.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from types import FrameType

DAILY_COMMANDS: tuple[tuple[str, ...], ...] = (
    ("realname", "daily"),
    ("miit", "purge"),
    ("filings", "routing-check"),
    ("audit", "verify"),
)
INTERVAL_SECONDS = 24 * 60 * 60


def run_in_subprocess(command: tuple[str, ...]) -> int:
    """Run ``regdesk COMMAND`` in a process of its own; its exit code."""
    return subprocess.run([sys.executable, "-m", "regdesk.cli", *command], check=False).returncode  # noqa: S603


def run_once(run: Callable[[tuple[str, ...]], int] = run_in_subprocess) -> int:
    failures = 0
    for command in DAILY_COMMANDS:
        returncode = run(command)
        if returncode != 0:
            failures += 1
            print(f"daily: `regdesk {' '.join(command)}` exited {returncode}", file=sys.stderr, flush=True)
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
