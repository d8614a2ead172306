"""A worker killed in the middle of a send: its task is reaped and another worker sends the upload again as soon
as the short send lease has run out — with real worker processes, PostgreSQL and the province simulator."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.db import connection
from django.db.models import F
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from pytest_django import Settings

from regdesk.miit.models import MiitUpload, UploadStatus
from regdesk.miit.services import miit_upload_prepare
from regdesk.simulators.province import ProvinceServer, make_server
from regdesk.workers.models import TaskHeartbeat
from regdesk.workers.services import WORKER_LOST, tasks_reap
from tests.miit.samples import complete_filing

DEADLINE_SECONDS = 90.0
LEASE_SECONDS = 2
STALE_SECONDS = 4  # longer than the lease: once the dead worker's task is stale, its lease has run out too


def _wait_for(what: str, condition: Callable[[], Any]) -> Any:
    deadline = time.monotonic() + DEADLINE_SECONDS
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    pytest.fail(f"timed out waiting for {what}")


@pytest.fixture
def province(tmp_path: Path) -> Iterator[ProvinceServer]:
    server = make_server("127.0.0.1", 0, tmp_path / "province", {"faults": {"hang_uploads": True}})
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def _database_url() -> str:
    database = connection.settings_dict
    credentials = quote(str(database.get("USER") or ""), safe="")
    if database.get("PASSWORD"):
        credentials += ":" + quote(str(database["PASSWORD"]), safe="")
    host = f"{database.get('HOST') or '127.0.0.1'}:{database.get('PORT') or 5432}"
    return f"postgres://{credentials}@{host}/{database['NAME']}"


def _start_worker(province: ProvinceServer, name: str) -> subprocess.Popen[bytes]:
    from django.conf import settings

    environment = {
        **os.environ,
        # The same database and the same vault keys as this process (the upload's document is sealed with them).
        "REGDESK_DATABASE_URL": _database_url(),
        "REGDESK_VAR_DIR": str(settings.VAR_DIR),
        "REGDESK_VAULT_KEYS_FILE": str(settings.VAULT_KEYS_FILE or ""),
        "REGDESK_MIIT_URL": province.service_url,
        "REGDESK_MIIT_SEND_LEASE_SECONDS": str(LEASE_SECONDS),
        "REGDESK_MIIT_SEND_HEARTBEAT_SECONDS": "0.2",
        "REGDESK_TASK_HEARTBEAT_SECONDS": "0.2",
        "REGDESK_TASK_STALE_SECONDS": str(STALE_SECONDS),
    }
    command = [sys.executable, "-m", "regdesk.cli", "db_worker", "--no-reload", "--no-startup-delay"]
    return subprocess.Popen([*command, "--interval", "0.1", "--worker-id", name, "-v", "1"], env=environment)


def _stop(worker: subprocess.Popen[bytes]) -> None:
    if worker.poll() is None:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_send_whose_worker_is_killed_is_reaped_and_sent_again_by_another_worker(
    province: ProvinceServer, settings: Settings
) -> None:
    settings.REGDESK_MIIT_SEND_AUTOMATICALLY = True
    settings.REGDESK_TASK_STALE_SECONDS = STALE_SECONDS
    upload = miit_upload_prepare(actor=None, operation="XZBA", records=[complete_filing()])
    (queued,) = DBTaskResult.objects.filter(task_path="regdesk.miit.tasks.send_upload")

    first = _start_worker(province, "worker-killed")
    try:
        # Mid-send: the worker holds the task and the lease, and its isp_upload call hangs at the province.
        _wait_for("the upload call to hang at the province", lambda: province.service.hanging == 1)
        assert DBTaskResult.objects.get(pk=queued.pk).status == TaskResultStatus.RUNNING
        _wait_for(
            "the worker's heartbeat for the task",
            lambda: TaskHeartbeat.objects.filter(task_id=queued.pk, beat_at__gt=F("started_at")).exists(),
        )
        assert MiitUpload.objects.get(pk=upload.pk).status == UploadStatus.SENT
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
    finally:
        _stop(first)
    province.service.update_config({"faults": {"hang_uploads": False}})  # the province answers again

    second = _start_worker(province, "worker-second")
    try:
        reaped = _wait_for("the killed worker's task to be reaped", tasks_reap)
        assert [task.task_id for task in reaped] == [str(queued.pk)]
        assert reaped[0].worker_id == "worker-killed"
        accepted = _wait_for(
            "the upload to be accepted",
            lambda: MiitUpload.objects.filter(pk=upload.pk, status=UploadStatus.ACCEPTED).first(),
        )
    finally:
        _stop(second)

    killed = DBTaskResult.objects.get(pk=queued.pk)
    assert (killed.status, killed.exception_class_path) == (TaskResultStatus.FAILED, WORKER_LOST)
    again = DBTaskResult.objects.get(pk=reaped[0].requeued_as)
    assert again.status == TaskResultStatus.SUCCESSFUL
    assert again.worker_ids == ["worker-second"]
    assert accepted.sequence == 1
    # The province took sequence 1 exactly once: the repeat checked isp_querypreviousupload first.
    with province.service.store.transaction() as store:
        rows = store.execute("SELECT data_sequence FROM uploads WHERE msg_code = 0").fetchall()
    assert [row["data_sequence"] for row in rows] == [1]
