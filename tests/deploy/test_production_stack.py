"""The production stack, started as a provider would start it, answers a smoke check.

On a throwaway PostgreSQL database on loopback: ``regdesk migrate``, gunicorn with the configuration of
``deploy/`` on a free port, and the task worker, all with ``REGDESK_ENV=production`` and key files of mode 0600.
The health check answers 503 until the regulator has been polled, the worker runs the poll task, the health check
then answers 200; the login page answers behind the (trusted) TLS proxy and plain HTTP is redirected to HTTPS;
requests and tasks are logged as JSON lines without query strings.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from psycopg import sql

from regdesk.simulators.province import config as province_config
from tests.fixtures.production import REGDESK, production_environment, run_regdesk
from tests.fixtures.simulators import ProvinceSimulatorHandle

pytestmark = pytest.mark.postgres

REPOSITORY = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")
DEADLINE_SECONDS = 120.0


def _server_url() -> str:
    url = os.environ.get("REGDESK_DATABASE_URL", "")
    if not url.startswith("postgres"):
        pytest.skip("needs PostgreSQL (REGDESK_DATABASE_URL)")
    return url


@pytest.fixture
def database_url() -> Iterator[str]:
    """A database of its own on the test server, dropped afterwards."""
    server = _server_url()
    name = f"regdesk_smoke_{os.getpid()}_{secrets.token_hex(4)}"
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield urlunsplit(urlsplit(server)._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(server, autocommit=True) as connection:
            connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_for(condition: Callable[[], bool], what: str, processes: list[subprocess.Popen[bytes]]) -> None:
    deadline = time.monotonic() + DEADLINE_SECONDS
    while not condition():
        for process in processes:
            assert process.poll() is None, f"{process.args!r} exited with {process.returncode} waiting for {what}"
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)


def get(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any, **kwargs: Any) -> None:
            return None

    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def answers(url: str) -> bool:
    try:
        get(url)
    except OSError:
        return False
    return True


def json_lines(path: Path) -> list[dict[str, Any]]:
    lines = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        if line.startswith("{"):
            try:
                lines.append(json.loads(line))
            except ValueError:
                continue
    return lines


def test_production_stack_on_postgresql(
    tmp_path: Path, database_url: str, province_simulator: ProvinceSimulatorHandle
) -> None:
    province_simulator.reset()
    port = free_port()
    environment = production_environment(
        tmp_path / "config",
        REGDESK_DATABASE_URL=database_url,
        REGDESK_MIIT_URL=province_simulator.service_url,
        REGDESK_MIIT_ISP_ID=str(province_config.DEFAULT_ISP_ID),
        REGDESK_MIIT_USER_NAME=province_config.DEFAULT_USER_NAME,
        REGDESK_MIIT_AES_IV=province_config.DEFAULT_AES_IV,
        REGDESK_TRUSTED_PROXIES="127.0.0.1",
        REGDESK_BIND=f"127.0.0.1:{port}",
        REGDESK_WEB_WORKERS="2",
        REGDESK_WEB_THREADS="2",
    )
    migrated = run_regdesk(["migrate", "--noinput", "-v", "0"], environment, cwd=tmp_path)
    assert migrated.returncode == 0, migrated.stderr

    web_log, worker_log = tmp_path / "web.log", tmp_path / "worker.log"
    processes: list[subprocess.Popen[bytes]] = []
    base = f"http://127.0.0.1:{port}"
    try:
        with web_log.open("wb") as web_output, worker_log.open("wb") as worker_output:
            processes.append(
                subprocess.Popen(
                    [str(GUNICORN), "-c", str(REPOSITORY / "deploy" / "gunicorn.conf.py")],
                    env=environment,
                    cwd=tmp_path,
                    stdout=web_output,
                    stderr=subprocess.STDOUT,
                )
            )
            processes.append(
                subprocess.Popen(
                    [str(REGDESK), "db_worker", "--no-reload"],
                    env=environment,
                    cwd=tmp_path,
                    stdout=worker_output,
                    stderr=subprocess.STDOUT,
                )
            )
        wait_for(lambda: answers(f"{base}/api/v1/health"), "the web server", processes)

        # Never polled yet: unhealthy, and saying why. Plain HTTP is fine for the health check.
        status, _headers, body = get(f"{base}/api/v1/health?probe=1")
        assert status == 503
        health = json.loads(body)
        assert (health["database"], health["queue"]["status"], health["regulator_poll"]["status"]) == (
            "ok",
            "ok",
            "never",
        )

        enqueued = run_regdesk(
            ["shell", "-c", "from regdesk.miit.tasks import poll_downloads; print(poll_downloads.enqueue().id)"],
            environment,
            cwd=tmp_path,
        )
        assert enqueued.returncode == 0, enqueued.stderr
        task_id = enqueued.stdout.strip().splitlines()[-1]

        def task_status() -> str:
            with psycopg.connect(database_url) as connection:
                row = connection.execute(
                    "SELECT status FROM django_tasks_database_dbtaskresult WHERE id = %s", (task_id,)
                ).fetchone()
            return str(row[0]) if row else "missing"

        wait_for(lambda: task_status() not in ("READY", "RUNNING"), "the worker to run the poll task", processes)
        assert task_status() == "SUCCESSFUL"

        status, _headers, body = get(f"{base}/api/v1/health")
        assert status == 200, body
        assert json.loads(body)["regulator_poll"]["status"] == "ok"

        # The login page: redirected to HTTPS over plain HTTP, served behind the TLS proxy on loopback.
        status, headers, _body = get(f"{base}/accounts/login/", {"Host": "icp.provider.example.cn"})
        assert status == 301
        assert headers["Location"] == "https://icp.provider.example.cn/accounts/login/"
        status, headers, body = get(
            f"{base}/accounts/login/?next=/desk/",
            {"Host": "icp.provider.example.cn", "X-Forwarded-Proto": "https"},
        )
        assert status == 200
        assert b'name="password"' in body
        assert "max-age=" in headers["Strict-Transport-Security"]
        assert headers["X-Request-ID"]
    finally:
        for process in processes:
            if process.poll() is None:
                process.terminate()
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    requests = [line for line in json_lines(web_log) if line.get("logger") == "regdesk.requests"]
    login = [line for line in requests if line["path"] == "/accounts/login/" and line["status"] == 200]
    assert login, web_log.read_text()
    assert set(login[0]) >= {"method", "path", "status", "duration_ms", "request_id", "user_id", "time", "level"}
    assert login[0]["user_id"] is None
    assert not any("?" in line["path"] or "probe" in line["message"] for line in requests)
    tasks = [line for line in json_lines(worker_log) if line.get("logger") == "regdesk.tasks"]
    assert [(line["task"], line["status"], line["task_id"]) for line in tasks] == [
        ("regdesk.miit.tasks.poll_downloads", "SUCCESSFUL", task_id)
    ]
