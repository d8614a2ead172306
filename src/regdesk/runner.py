"""``regdesk run``: the whole system on one machine.

Starts the web server, the task worker, the clock sweep and the outside-system simulators on 127.0.0.1 as child
processes, prints the addresses and the demo logins, and stops all of them on Ctrl-C (or when one of them dies).
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Service:
    name: str
    command: list[str]
    address: str


def _regdesk(*args: str) -> list[str]:
    return [sys.executable, "-m", "regdesk.cli", *args]


def services(host: str, port: int) -> list[Service]:
    return [
        Service(
            "web",
            [
                sys.executable,
                "-m",
                "waitress",
                f"--listen={host}:{port}",
                "--threads=8",
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
    children: list[tuple[Service, subprocess.Popen[bytes]]] = []
    stopping = False

    def stop(*_args: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    try:
        for service in services(options.host, options.port):
            children.append((service, subprocess.Popen(service.command, cwd=Path.cwd())))  # noqa: S603
        time.sleep(1.5)
        _print_banner(options.host, options.port)
        while not stopping:
            for service, process in children:
                if process.poll() is not None:
                    print(f"{service.name} stopped with code {process.returncode}; stopping everything", flush=True)
                    stopping = True
                    break
            time.sleep(0.5)
    finally:
        for _service, process in children:
            if process.poll() is None:
                process.terminate()
        deadline = time.monotonic() + 10
        for _service, process in children:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
    return 0
