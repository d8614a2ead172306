"""Services of the adapter against the scripted province: sequence, storage, sending, downloads, purge."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from pytest_django import Settings

from regdesk.audit.models import AuditEvent
from regdesk.miit.codec import FieldNotEncodable, IntegrityError, UploadInvalid
from regdesk.miit.handlers import register_download_handler, unregister_download_handler
from regdesk.miit.models import DownloadStatus, MiitDownload, MiitSequence, MiitUpload, UploadStatus
from regdesk.miit.records import DownloadSection, FilingResults
from regdesk.miit.selectors import upload_for_owner_record, upload_summary
from regdesk.miit.services import (
    DownloadUndecodable,
    SenderBusy,
    UnsupportedOperation,
    download_document,
    miit_download_fetch,
    miit_upload_prepare,
    miit_upload_purge,
    miit_upload_send,
    retry_due,
    upload_document,
)
from regdesk.miit.services.lease import _acquire_lease
from tests.miit.samples import complete_filing, filing_result_document, notice_document, with_website_name
from tests.miit.soap_server import ProvinceServer

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("miit_config")]


def _prepare(owner_id: int = 101) -> MiitUpload:
    return miit_upload_prepare(
        actor=None, operation="XZBA", records=[complete_filing(owner_id, owner_id + 100)], related="test:1"
    )


@pytest.fixture(autouse=True)
def _fast_client(monkeypatch: pytest.MonkeyPatch) -> None:
    """No real waiting between attempts (the client's sleep is injectable)."""
    from regdesk.miit.config import miit_settings
    from regdesk.miit.services import downloads, uploads
    from regdesk.miit.transport import MiitClient

    def client(settings: object = None) -> MiitClient:
        return MiitClient(miit_settings(), sleep=lambda _seconds: None)

    monkeypatch.setattr(uploads, "get_client", client)
    monkeypatch.setattr(downloads, "get_client", client)


def test_prepare_allocates_sequence_and_seals_the_document() -> None:
    first = _prepare(101)
    second = _prepare(102)
    assert (first.sequence, second.sequence) == (1, 2)
    assert first.file_name == "XZBA0000000001"
    assert first.status == UploadStatus.PREPARED
    assert first.record_keys == [101]
    assert first.record_count == 1
    assert MiitSequence.objects.get(id=1).last_allocated == 2
    stored = MiitUpload.objects.get(pk=first.pk)
    assert "北京示例科技".encode("gbk") not in bytes(stored.document or b"")
    document = upload_document(stored)
    assert document is not None
    assert "北京示例科技".encode("gbk") in document
    assert stored.kept_until >= stored.prepared_at + timedelta(days=92)
    event = AuditEvent.objects.get(action="miit_upload.prepare", object_id=str(first.pk))
    assert event.changes["sequence"] == 1
    assert "北京" not in str(event.changes)


@pytest.mark.parametrize(("name", "error"), [("", UploadInvalid), ("示例😀", FieldNotEncodable)], ids=["xsd", "gbk"])
def test_bad_record_changes_nothing_and_consumes_no_number(name: str, error: type[Exception]) -> None:
    _prepare()
    with pytest.raises(error):
        miit_upload_prepare(actor=None, operation="XZBA", records=[with_website_name(complete_filing(), name)])
    assert MiitUpload.objects.count() == 1
    assert MiitSequence.objects.get(id=1).last_allocated == 1
    assert _prepare(103).sequence == 2


def test_unsupported_operation_is_refused() -> None:
    with pytest.raises(UnsupportedOperation):
        miit_upload_prepare(actor=None, operation="BGBA", records=[complete_filing()])
    assert MiitUpload.objects.count() == 0


def test_send_in_order_records_the_answers(province: ProvinceServer) -> None:
    uploads = [_prepare(owner) for owner in (101, 102, 103)]
    sent = miit_upload_send(upload_id=uploads[2].pk)
    assert sent.status == UploadStatus.ACCEPTED
    assert [call["dataSequence"] for call in province.province.method_calls("isp_upload")] == ["1", "2", "3"]
    for upload in MiitUpload.objects.all():
        assert upload.status == UploadStatus.ACCEPTED
        assert upload.response_code == 0
        assert upload.sent_at is not None
        assert upload.answered_at is not None
        assert upload.kept_until >= upload.sent_at + timedelta(days=92)
        assert province.province.accepted[upload.sequence] == upload_document(upload)
    assert AuditEvent.objects.filter(action="miit_upload.send").count() == 3
    assert upload_for_owner_record(102) == uploads[1]


def test_refused_upload_keeps_its_number_and_blocks_later_ones(province: ProvinceServer) -> None:
    first, second = _prepare(101), _prepare(102)
    province.province.script("isp_upload", 7)  # hash check failed: not accepted, number not consumed
    result = miit_upload_send(upload_id=second.pk)
    assert result.status == UploadStatus.PREPARED  # never sent: it waits behind the first
    first.refresh_from_db()
    assert first.status == UploadStatus.REJECTED
    assert first.response_code == 7
    assert "哈希值验证未通过" in first.response_message
    assert not retry_due(first)
    summary = upload_summary()
    assert summary.needs_attention
    assert summary.blocking == first

    result = miit_upload_send(upload_id=second.pk)
    assert result.status == UploadStatus.ACCEPTED
    assert [call["dataSequence"] for call in province.province.method_calls("isp_upload")] == ["1", "1", "2"]
    assert sorted(province.province.accepted) == [1, 2]


def test_unknown_outcome_is_reconciled_at_the_next_send(province: ProvinceServer) -> None:
    upload = _prepare()
    province.province.script("isp_upload", "slow-accept")
    province.province.script("isp_querypreviousupload", "503", "503", "503")
    result = miit_upload_send(upload_id=upload.pk)
    assert result.status == UploadStatus.UNKNOWN
    assert result.error_code == "outcome_unknown"
    assert retry_due(result)

    result = miit_upload_send(upload_id=upload.pk)
    assert result.status == UploadStatus.ACCEPTED
    assert len(province.province.method_calls("isp_upload")) == 1  # never sent twice
    assert result.attempts == 2


def test_server_faults_leave_the_number_free_and_are_retried_later(province: ProvinceServer) -> None:
    upload = _prepare()
    province.province.script("isp_upload", "500-server-fault", "500-server-fault", "500-server-fault")
    result = miit_upload_send(upload_id=upload.pk)
    assert result.status == UploadStatus.REJECTED
    assert result.error_code == "soap_server_fault"
    assert retry_due(result)
    names = [name for name, _parameters in province.province.calls]
    assert names == ["isp_upload", "isp_querypreviousupload"] * 3
    assert miit_upload_send(upload_id=upload.pk).status == UploadStatus.ACCEPTED


def test_unreachable_province_leaves_the_upload_prepared(settings: Settings) -> None:
    settings.REGDESK_MIIT_URL = "http://127.0.0.1:9/ISPWebService/upDownLoad"
    upload = _prepare()
    result = miit_upload_send(upload_id=upload.pk)
    assert result.status == UploadStatus.PREPARED
    assert result.error_code == "unreachable"
    assert retry_due(result)


def test_a_second_sender_is_turned_away() -> None:
    upload = _prepare()
    assert _acquire_lease(60) is not None
    with pytest.raises(SenderBusy):
        miit_upload_send(upload_id=upload.pk)


def test_purge_removes_old_documents_and_keeps_rows(province: ProvinceServer) -> None:
    accepted, waiting = _prepare(101), _prepare(102)
    miit_upload_send(upload_id=accepted.pk)
    assert miit_upload_purge(now=timezone.now() + timedelta(days=91)) == 0
    with time_machine.travel(timezone.now() + timedelta(days=93)):
        assert miit_upload_purge() == 1
    accepted.refresh_from_db()
    waiting.refresh_from_db()
    assert accepted.document is None
    assert accepted.purged_at is not None
    assert accepted.sha256
    assert waiting.document is not None


@pytest.fixture
def received() -> Iterator[list[tuple[str, DownloadSection, MiitDownload]]]:
    calls: list[tuple[str, DownloadSection, MiitDownload]] = []

    def on_results(section: DownloadSection, download: MiitDownload) -> None:
        assert MiitDownload.objects.filter(pk=download.pk).exists()  # stored in this transaction
        calls.append(("BAJG", section, download))

    def on_notice(section: DownloadSection, download: MiitDownload) -> None:
        calls.append(("XGTZ", section, download))

    register_download_handler("BAJG", on_results)
    register_download_handler("XGTZ", on_notice)
    yield calls
    unregister_download_handler("BAJG", on_results)
    unregister_download_handler("XGTZ", on_notice)


def test_fetch_stores_parses_hands_over_and_acknowledges(
    province: ProvinceServer, received: list[tuple[str, DownloadSection, MiitDownload]]
) -> None:
    province.province.offer("BAJG0001", filing_result_document())
    province.province.offer("XGTZ0001", notice_document(), encrypt=0)
    fetched = miit_download_fetch()
    assert [item.file_name for item in fetched] == ["BAJG0001", "XGTZ0001"]
    assert province.province.acknowledged == ["BAJG0001", "XGTZ0001"]
    assert [kind for kind, _section, _download in received] == ["BAJG", "XGTZ"]
    results = received[0][1]
    assert isinstance(results, FilingResults)
    assert results.published_for_owner(101) is not None
    download = MiitDownload.objects.get(file_name="BAJG0001")
    assert download.status == DownloadStatus.HANDLED
    assert download.kinds == ["BASJ", "BAJG"]
    assert download.acknowledged_at is not None
    assert download_document(download) == filing_result_document()
    assert "北京".encode("gbk") not in bytes(download.document or b"")
    assert miit_download_fetch() == []


def test_failing_handler_stores_nothing_and_acknowledges_nothing(province: ProvinceServer) -> None:
    def broken(section: DownloadSection, download: MiitDownload) -> None:
        raise RuntimeError("consumer failed")

    register_download_handler("BAJG", broken)
    province.province.offer("BAJG0001", filing_result_document())
    try:
        with pytest.raises(RuntimeError):
            miit_download_fetch()
    finally:
        unregister_download_handler("BAJG", broken)
    assert MiitDownload.objects.count() == 0
    assert province.province.acknowledged == []


def test_md5_mismatch_is_neither_stored_nor_acknowledged(province: ProvinceServer) -> None:
    province.province.offer("BAJG0001", filing_result_document(), corrupt=True)
    with pytest.raises(DownloadUndecodable) as refused:
        miit_download_fetch()
    assert refused.value.reason == IntegrityError.code
    assert MiitDownload.objects.count() == 0
    assert province.province.acknowledged == []


def test_invalid_download_is_kept_and_acknowledged_without_handlers(
    province: ProvinceServer, received: list[tuple[str, DownloadSection, MiitDownload]]
) -> None:
    document = '<?xml version="1.0" encoding="GBK"?><DownloadData version="V.3.0"><ICP><BAJG><Jg_xx><Czlx>9</Czlx>'
    province.province.offer("BAD1", (document + "</Jg_xx></BAJG></ICP></DownloadData>").encode("gbk"))
    fetched = miit_download_fetch()
    assert fetched[0].document is None
    download = MiitDownload.objects.get(file_name="BAD1")
    assert download.status == DownloadStatus.INVALID
    assert download.problems
    assert province.province.acknowledged == ["BAD1"]
    assert received == []


def test_lost_acknowledgement_is_repeated_without_handling_twice(
    province: ProvinceServer, received: list[tuple[str, DownloadSection, MiitDownload]]
) -> None:
    province.province.offer("BAJG0001", filing_result_document())
    province.province.script("isp_downloadack", "503", "503", "503")
    miit_download_fetch()
    assert MiitDownload.objects.get().acknowledged_at is None
    fetched = miit_download_fetch()
    assert fetched[0].duplicate
    assert MiitDownload.objects.count() == 1
    assert MiitDownload.objects.get().acknowledged_at is not None
    assert len(received) == 1
