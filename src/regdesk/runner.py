"""``regdesk run``: the whole system on one machine, for development and demonstrations.

Starts the web server, the task worker, the clock sweeps, the pollers and the outside-system simulators on
127.0.0.1 as child processes, prints the addresses and the demo logins, and keeps them running: a child that dies
is started again after a pause that doubles with each quick death (up to a minute), with a log line each time; the
others are left alone. Only Ctrl-C or SIGTERM stops everything.

Production runs each process on its own under a process manager (``deploy/``): ``regdesk run`` refuses
production mode, since it starts the simulators and prints the demo logins.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

logger = logging.getLogger("regdesk.runner")

# Seconds a child must stay up for its next death to count as a first one again (the pause starts over).
STABLE_AFTER_SECONDS = 30.0
INITIAL_BACKOFF_SECONDS = 1.0
MAXIMUM_BACKOFF_SECONDS = 60.0
# Seconds the children get to stop on SIGTERM before they are killed.
STOP_GRACE_SECONDS = 10.0


@dataclass(frozen=True)
class Service:
    name: str
    command: list[str]
    address: str


def _regdesk(*args: str) -> list[str]:
    return [sys.executable, "-m", "regdesk.cli", *args]


def services(host: str, port: int, *, max_request_bytes: int) -> list[Service]:
    return [
        Service(
            "web",
            [
                sys.executable,
                "-m",
                "waitress",
                f"--listen={host}:{port}",
                "--threads=8",
                # Bodies over the limit are refused by the server before the application reads them.
                f"--max-request-body-size={max_request_bytes}",
                "regdesk.config.wsgi:application",
            ],
            f"http://{host}:{port}/",
        ),
        Service("worker", _regdesk("db_worker", "--no-reload"), "(task worker)"),
        Service("sweep", _regdesk("sweep", "--loop", "60"), "(clock sweep, every 60 s)"),
        Service("campaign-sweep", _regdesk("campaign", "sweep", "--loop", "60"), "(remediation campaigns, every 60 s)"),
        Service("daily", [sys.executable, "-m", "regdesk.daily"], "(daily housekeeping)"),
        Service("filings-poll", _regdesk("filings", "poll", "--loop", "30"), "(province downloads, every 30 s)"),
        Service("simulators", [sys.executable, "-m", "regdesk.simulators"], "(outside systems, see below)"),
    ]


@dataclass
class _Child:
    service: Service
    process: subprocess.Popen[bytes] | None = None
    started_at: float = 0.0
    quick_deaths: int = 0
    restart_at: float | None = field(default=None)


class Supervisor:
    """Keeps a set of child processes running until asked to stop.

    A child that exits is logged and started again after ``initial_backoff`` seconds, doubled for each further
    death within ``stable_after`` seconds of its start, never more than ``maximum_backoff``. ``run`` returns when
    ``request_stop`` is called (the SIGINT and SIGTERM handlers call it), after stopping every child.
    """

    def __init__(
        self,
        services: Sequence[Service],
        *,
        initial_backoff: float = INITIAL_BACKOFF_SECONDS,
        maximum_backoff: float = MAXIMUM_BACKOFF_SECONDS,
        stable_after: float = STABLE_AFTER_SECONDS,
        poll_interval: float = 0.5,
        cwd: Path | None = None,
    ) -> None:
        self._children = [_Child(service) for service in services]
        self._initial_backoff = initial_backoff
        self._maximum_backoff = maximum_backoff
        self._stable_after = stable_after
        self._poll_interval = poll_interval
        self._cwd = cwd or Path.cwd()
        self._stopping = threading.Event()

    def request_stop(self) -> None:
        self._stopping.set()

    def start(self) -> None:
        for child in self._children:
            self._spawn(child)

    def run(self) -> int:
        """Start every child, watch them until a stop is requested, then stop them all. Returns 0."""

        def on_signal(signum: int, frame: FrameType | None) -> None:
            logger.info("received %s: stopping everything", signal.Signals(signum).name)
            self.request_stop()

        signal.signal(signal.SIGINT, on_signal)
        signal.signal(signal.SIGTERM, on_signal)
        try:
            self.start()
            while not self._stopping.wait(self._poll_interval):
                self.watch(time.monotonic())
        finally:
            self.stop_all()
        return 0

    def watch(self, now: float) -> None:
        """Note the children that died since the last look and start those whose pause is over."""
        for child in self._children:
            if child.process is not None and child.process.poll() is not None:
                code = child.process.returncode
                child.process = None
                if now - child.started_at >= self._stable_after:
                    child.quick_deaths = 0
                delay = min(self._maximum_backoff, self._initial_backoff * 2**child.quick_deaths)
                child.quick_deaths += 1
                child.restart_at = now + delay
                logger.warning("%s exited with code %s; restarting in %.1f s", child.service.name, code, delay)
            if child.process is None and child.restart_at is not None and now >= child.restart_at:
                self._spawn(child)

    def stop_all(self, grace: float = STOP_GRACE_SECONDS) -> None:
        running = [child.process for child in self._children if child.process is not None]
        for process in running:
            if process.poll() is None:
                process.terminate()
        deadline = time.monotonic() + grace
        for process in running:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for child in self._children:
            child.process = None

    def _spawn(self, child: _Child) -> None:
        child.restart_at = None
        child.started_at = time.monotonic()
        try:
            child.process = subprocess.Popen(child.service.command, cwd=self._cwd)  # noqa: S603
        except OSError as error:
            # A command that cannot start at all is treated like a child that died at once.
            logger.error("%s could not start (%s)", child.service.name, error.strerror)
            child.process = None
            delay = min(self._maximum_backoff, self._initial_backoff * 2**child.quick_deaths)
            child.quick_deaths += 1
            child.restart_at = child.started_at + delay
            return
        if child.quick_deaths:
            logger.info("%s started again (pid %s)", child.service.name, child.process.pid)


def configure_logging() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s", stream=sys.stderr)


def _print_banner(host: str, port: int) -> None:
    base = f"http://{host}:{port}"
    lines = [
        "",
        "regdesk is running / regdesk 已启动",
        f"  staff desk / 工作台:        {base}/desk/",
        f"  owner portal / 主办者门户:  {base}/portal/",
        f"  API / 接口文档:             {base}/api/v1/docs",
        f"  configuration / 配置:       {base}/admin/",
        f"  demo mail / 演示邮件:       http://{host}:8026/",
        f"  SMS gateway / 短信网关:     http://{host}:8031/sms",
        f"  identity check / 身份核验:  http://{host}:8032/",
        f"  enterprise registry / 企业登记: http://{host}:8033/",
        f"  provisioning / 网络开通:    http://{host}:8034/",
        f"  province system / 省局系统: http://{host}:8040/control/state",
        "",
    ]
    print("\n".join(lines))
    logins = subprocess.run(_regdesk("demo", "logins"), capture_output=True, text=True, check=False)  # noqa: S603
    print(logins.stdout)
    print("Ctrl-C stops everything / 按 Ctrl-C 停止全部服务\n", flush=True)


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="regdesk run", description="Start regdesk and its simulators.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=int(os.environ.get("REGDESK_PORT", "8000")))
    options = parser.parse_args(list(argv))

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "regdesk.config.settings")
    from regdesk.web import config

    if config.production():
        print(
            "regdesk run: refused in production mode; run the processes of deploy/ (Procfile or systemd units)\n"
            "regdesk run：生产模式下拒绝执行；请按 deploy/ 中的 Procfile 或 systemd 单元分别启动各进程",
            file=sys.stderr,
        )
        return 2
    configure_logging()
    supervisor = Supervisor(services(options.host, options.port, max_request_bytes=config.request_max_bytes()))
    banner = threading.Timer(1.5, _print_banner, args=(options.host, options.port))
    banner.daemon = True
    banner.start()
    try:
        return supervisor.run()
    finally:
        banner.cancel()
