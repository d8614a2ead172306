"""The runner keeps its children running: one that dies is started again (with a log line), the others are left
alone, and only SIGTERM (or Ctrl-C) stops them all.

The supervisor runs in a process of its own, as ``regdesk run`` does, so that the signal reaches it as it would.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

DEADLINE_SECONDS = 60.0

# A child that notes its pid and exits at once with code 3, and one that notes its pid and waits for a signal.
FLAKY = "import os, sys; open(sys.argv[1], 'a').write(f'{os.getpid()}\\n'); sys.exit(3)"
STEADY = "import os, signal, sys; open(sys.argv[1], 'a').write(f'{os.getpid()}\\n'); signal.pause()"

SUPERVISOR = """
import json, sys
from regdesk.runner import Service, Supervisor, configure_logging
configure_logging()
services = [Service(name, command, "") for name, command in json.loads(sys.argv[1])]
sys.exit(Supervisor(services, initial_backoff=0.05, maximum_backoff=0.2, poll_interval=0.05).run())
"""


def pids(path: Path) -> list[int]:
    return [int(line) for line in path.read_text().split()] if path.exists() else []


def wait_for(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + DEADLINE_SECONDS
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_a_dead_child_is_restarted_the_others_untouched_and_sigterm_stops_all(tmp_path: Path) -> None:
    flaky_pids, steady_pids = tmp_path / "flaky", tmp_path / "steady"
    children = [
        ("flaky", [sys.executable, "-c", FLAKY, str(flaky_pids)]),
        ("steady", [sys.executable, "-c", STEADY, str(steady_pids)]),
    ]
    supervisor = subprocess.Popen(
        [sys.executable, "-c", SUPERVISOR, json.dumps(children)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=tmp_path,
    )
    try:
        wait_for(lambda: len(pids(flaky_pids)) >= 3, "the flaky child to be started three times")
        wait_for(lambda: len(pids(steady_pids)) == 1, "the steady child to start")
        assert supervisor.poll() is None, "the runner must keep running when a child dies"
        [steady] = pids(steady_pids)
        assert alive(steady)
        assert len(set(pids(flaky_pids))) == len(pids(flaky_pids))  # a new process each time

        supervisor.send_signal(signal.SIGTERM)
        _stdout, stderr = supervisor.communicate(timeout=DEADLINE_SECONDS)
    finally:
        if supervisor.poll() is None:
            supervisor.kill()
            supervisor.wait()
    assert supervisor.returncode == 0
    assert pids(steady_pids) == [steady], "the steady child must never have been restarted"
    assert not alive(steady), "SIGTERM must stop every child"
    log = stderr.decode()
    assert "flaky exited with code 3; restarting in" in log
    assert "steady exited" not in log
    assert "received SIGTERM: stopping everything" in log


def test_production_mode_refuses_the_development_runner(tmp_path: Path) -> None:
    environment = {key: value for key, value in os.environ.items() if not key.startswith("REGDESK_")}
    # Production settings load first, so the refusal is reached only with a complete production configuration;
    # an incomplete one is refused earlier, with exit code 78 and a message of its own.
    environment.update({"REGDESK_ENV": "production", "REGDESK_VAR_DIR": str(tmp_path)})
    result = subprocess.run(
        [sys.executable, "-m", "regdesk.cli", "run"], env=environment, capture_output=True, timeout=60, check=False
    )
    assert result.returncode != 0
    assert b"Traceback" not in result.stderr
