"""One malformed download must not stop the poller: stored as invalid, acknowledged, compliance alerted, and the
file behind it fetched and handled — against the province simulator over its real socket."""

from __future__ import annotations

import io
import json
import os
import signal
import threading
import time
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command

from regdesk.accounts.roles import Role, UnitKind
from regdesk.cases.models import Notice
from regdesk.miit.handlers import register_download_handler, unregister_download_handler
from regdesk.miit.models import DownloadStatus, MiitDownload
from regdesk.miit.records import DownloadSection
from tests.accounts.helpers import make_unit, make_user
from tests.fixtures.simulators import ProvinceSimulatorHandle
from tests.miit.samples import notice_document

pytestmark = pytest.mark.django_db

# The finding of the issue: an internal entity declared and used in an otherwise valid notice.
POISON = (
    '<?xml version="1.0" encoding="GBK"?><!DOCTYPE DownloadData [<!ENTITY n "1">]><DownloadData version="V.3.0">'
    "<ICP><XGTZ><Tzxx><Tzlb>&n;</Tzlb><Baxh>京ICP备12345678号-1</Baxh><Tznr>请在首页底部中间位置悬挂备案号</Tznr>"
    "</Tzxx></XGTZ></ICP></DownloadData>"
).encode("gbk")
DEADLINE_SECONDS = 30.0


def queue_raw_download(province: ProvinceSimulatorHandle, document: bytes) -> str:
    """Offer a file exactly as given, through the simulator's drill endpoint."""
    request = urllib.request.Request(f"{province.url}/control/downloads?kind=XGTZ", data=document, method="POST")
    with urllib.request.urlopen(request, timeout=10) as response:
        answer: dict[str, Any] = json.loads(response.read())
    return str(answer["file_name"])


@pytest.fixture
def received() -> Iterator[list[DownloadSection]]:
    sections: list[DownloadSection] = []

    def handler(section: DownloadSection, download: MiitDownload) -> None:
        sections.append(section)

    register_download_handler("XGTZ", handler)
    try:
        yield sections
    finally:
        unregister_download_handler("XGTZ", handler)


def _poll_until_both_acknowledged(province: ProvinceSimulatorHandle, names: list[str]) -> None:
    """Run ``regdesk filings poll --loop`` in this (main) thread; stop it with SIGTERM, as the runner does, once the
    province has both files acknowledged (or the deadline passed)."""

    def watch() -> None:
        deadline = time.monotonic() + DEADLINE_SECONDS
        while time.monotonic() < deadline:
            state = province.state()
            acknowledged = {item["file_name"] for item in state["downloads"] if item["acked_at"]}
            if set(names) <= acknowledged:
                break
            time.sleep(0.05)
        os.kill(os.getpid(), signal.SIGTERM)

    previous = (signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM))
    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        call_command("filings", "poll", "--loop", "0.05", stdout=io.StringIO(), stderr=io.StringIO())
    finally:
        watcher.join(timeout=DEADLINE_SECONDS)
        signal.signal(signal.SIGINT, previous[0])
        signal.signal(signal.SIGTERM, previous[1])


def test_a_poison_download_is_stored_invalid_acknowledged_and_alerted_and_the_next_file_is_handled(
    use_province_simulator: ProvinceSimulatorHandle, received: list[DownloadSection]
) -> None:
    provider = make_unit("provider", UnitKind.PROVIDER)
    officer = make_user("officer", (provider, Role.COMPLIANCE_OFFICER))
    make_user("branch-officer", (make_unit("branch", parent=provider), Role.COMPLIANCE_OFFICER))
    poison = queue_raw_download(use_province_simulator, POISON)
    good = queue_raw_download(use_province_simulator, notice_document())

    _poll_until_both_acknowledged(use_province_simulator, [poison, good])

    invalid = MiitDownload.objects.get(file_name=poison)
    assert invalid.status == DownloadStatus.INVALID
    assert invalid.acknowledged_at is not None
    assert invalid.problems == ["doctype: the document declares a document type or entities (refused)"]
    handled = MiitDownload.objects.get(file_name=good)
    assert handled.status == DownloadStatus.HANDLED
    assert handled.acknowledged_at is not None
    assert len(received) == 1  # only the good file reached the handlers
    assert use_province_simulator.state()["pending_downloads"] == []
    # The compliance officer of the provider (not the branch's) is alerted through the notice outbox.
    notices = list(Notice.objects.filter(template="miit_download_invalid"))
    assert [notice.idempotency_key for notice in notices] == [f"miit.download:{invalid.pk}:invalid:user:{officer.pk}"]


def test_a_download_that_does_not_match_the_xsd_names_paths_but_no_values(
    use_province_simulator: ProvinceSimulatorHandle, received: list[DownloadSection]
) -> None:
    secret = "王建国"
    document = notice_document().replace("<Tzlb>1</Tzlb>".encode("gbk"), f"<Tzlb>{secret}</Tzlb>".encode("gbk"))
    name = queue_raw_download(use_province_simulator, document)
    out = io.StringIO()
    call_command("filings", "poll", stdout=out)
    download = MiitDownload.objects.get(file_name=name)
    assert download.status == DownloadStatus.INVALID
    assert download.acknowledged_at is not None
    assert download.problems
    assert all(problem.startswith("schema: /DownloadData/ICP/XGTZ") for problem in download.problems)
    assert secret not in str(download.problems)
    assert received == []
