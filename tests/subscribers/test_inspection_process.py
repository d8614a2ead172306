"""The ``realname.inspection_finding`` process: registered when the app is ready, and well formed."""

from __future__ import annotations

import os
import subprocess
import sys

from regdesk.cases.definitions import BudgetUnit, get_process
from regdesk.subscribers.inspection.process import FINDING_PROCESS, FOLLOW_UP_DAYS


def test_the_process_is_registered_by_the_app_itself() -> None:
    # A fresh interpreter: nothing but Django's start-up may have imported the process module.
    code = (
        "import django; django.setup();"
        "from regdesk.cases.definitions import get_process;"
        f"print(get_process({FINDING_PROCESS!r}).version)"
    )
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "regdesk.config.settings"}
    completed = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=environment, check=False, timeout=120
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == "1"


def test_open_in_progress_closed_with_a_follow_up_clock() -> None:
    definition = get_process(FINDING_PROCESS, 1)
    assert definition.states == ("open", "in_progress", "closed")
    assert [(t.name, t.sources, t.target) for t in definition.transitions] == [
        ("start_work", ("open",), "in_progress"),
        ("close", ("in_progress",), "closed"),
    ]
    clock = definition.clock("follow_up")
    assert (clock.budget, clock.unit) == (FOLLOW_UP_DAYS, BudgetUnit.CALENDAR_DAYS)
    assert {rung.name for rung in clock.rungs} == {"warning", "breach"}
