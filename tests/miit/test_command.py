"""``regdesk miit export|status|send|fetch|purge``."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from lxml import etree

from regdesk.audit.models import AuditEvent
from regdesk.miit.codec.schemas import UPLOAD, schema_problems
from regdesk.miit.services import miit_upload_prepare, miit_upload_send, upload_document
from tests.miit.samples import complete_filing, filing_result_document
from tests.miit.soap_server import ProvinceServer

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("miit_config")]


def _run(*arguments: str) -> str:
    output = StringIO()
    call_command("miit", *arguments, stdout=output)
    return output.getvalue()


def test_export_writes_every_sent_upload_in_gbk(tmp_path: Path) -> None:
    sent = [miit_upload_prepare(actor=None, operation="XZBA", records=[complete_filing(owner)]) for owner in (1, 2)]
    not_sent = miit_upload_prepare(actor=None, operation="XZBA", records=[complete_filing(3)])
    miit_upload_send(upload_id=sent[-1].pk)
    output = _run("export", "--out", str(tmp_path / "out"))
    assert "2" in output
    files = sorted(path.name for path in (tmp_path / "out").iterdir())
    assert files == ["1-XZBA.xml", "2-XZBA.xml"]
    content = (tmp_path / "out" / "1-XZBA.xml").read_bytes()
    assert content == upload_document(sent[0])
    assert content.startswith(b'<?xml version="1.0" encoding="GBK"?>')
    assert schema_problems(etree.fromstring(content), UPLOAD) == []
    assert not (tmp_path / "out" / f"{not_sent.sequence}-XZBA.xml").exists()
    assert AuditEvent.objects.filter(action="miit_upload.export").exists()


def test_export_to_a_file_is_a_usage_error(tmp_path: Path) -> None:
    target = tmp_path / "file"
    target.write_text("x")
    with pytest.raises(CommandError) as caught:
        _run("export", "--out", str(target))
    assert caught.value.returncode == 2


def test_status_reports_the_queue_and_a_blocking_upload(province: ProvinceServer) -> None:
    first = miit_upload_prepare(actor=None, operation="XZBA", records=[complete_filing(1)])
    miit_upload_send(upload_id=first.pk)
    output = _run("status")
    assert "Last accepted sequence: 1" in output
    assert "最近受理的序号：1" in output
    second = miit_upload_prepare(actor=None, operation="XZBA", records=[complete_filing(2)])
    province.province.script("isp_upload", 5)
    with pytest.raises(CommandError) as caught:
        call_command("miit", "send", stdout=StringIO())
    assert caught.value.returncode == 1
    with pytest.raises(CommandError) as caught:
        _run("status")
    assert caught.value.returncode == 1
    second.refresh_from_db()
    assert second.response_code == 5


def test_send_fetch_and_purge(province: ProvinceServer) -> None:
    miit_upload_prepare(actor=None, operation="XZBA", records=[complete_filing(1)])
    assert "1" in _run("send")
    assert province.province.accepted.keys() == {1}
    province.province.offer("BAJG0001", filing_result_document())
    assert "1" in _run("fetch")
    assert province.province.acknowledged == ["BAJG0001"]
    assert "0" in _run("purge")
    assert "Nothing to send" in _run("send") or "没有待上报" in _run("send")
