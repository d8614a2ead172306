"""The background tasks: sending after commit, retries of retryable failures, polling."""

from __future__ import annotations

import pytest
from pytest_django import Settings

from regdesk.miit.models import MiitUpload, UploadStatus
from regdesk.miit.services import miit_upload_prepare
from regdesk.miit.tasks import poll_downloads, purge_uploads, send_upload
from tests.miit.samples import complete_filing, filing_result_document
from tests.miit.soap_server import ProvinceServer

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("miit_config")]


@pytest.fixture
def immediate_tasks(settings: Settings, miit_config: ProvinceServer) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}}
    settings.REGDESK_MIIT_SEND_AUTOMATICALLY = True
    settings.REGDESK_MIIT_BACKOFF_SECONDS = 0.0


@pytest.mark.usefixtures("immediate_tasks")
def test_prepare_sends_after_commit(province: ProvinceServer) -> None:
    upload = miit_upload_prepare(actor=None, operation="XZBA", records=[complete_filing()])
    upload.refresh_from_db()
    assert upload.status == UploadStatus.ACCEPTED
    assert province.province.accepted.keys() == {1}


@pytest.mark.usefixtures("immediate_tasks")
def test_send_task_returns_the_status_and_polling_fetches(province: ProvinceServer, settings: Settings) -> None:
    settings.REGDESK_MIIT_SEND_AUTOMATICALLY = False
    upload = miit_upload_prepare(actor=None, operation="XZBA", records=[complete_filing()])
    assert send_upload.enqueue(upload.pk).return_value == "accepted"
    province.province.offer("BAJG0001", filing_result_document())
    assert poll_downloads.enqueue().return_value == 1
    assert purge_uploads.enqueue().return_value == 0
    assert MiitUpload.objects.get().status == UploadStatus.ACCEPTED
