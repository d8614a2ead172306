"""Background tasks of the MIIT adapter (django-tasks). Arguments are ids only: no personal data in the queue."""

from __future__ import annotations

from django_tasks import task

from regdesk.miit.config import retry_seconds
from regdesk.miit.services import (
    SenderBusy,
    miit_download_fetch,
    miit_upload_purge,
    miit_upload_send,
    retry_due,
)
from regdesk.miit.services.uploads import _queue_send
from regdesk.workers.services import resume_when_reaped


@task()
def send_upload(upload_id: int) -> str:
    """Send an upload (and every earlier pending one). Busy sender, outage or a busy province: try again later;
    a refusal that needs a person (credentials, sequence disagreement) stays for ``regdesk miit status``."""
    try:
        upload = miit_upload_send(upload_id=upload_id)
    except SenderBusy:
        _queue_send(upload_id, delay_seconds=retry_seconds() / 10)
        return "busy"
    if retry_due(upload):
        _queue_send(upload_id, delay_seconds=retry_seconds())
    return str(upload.status)


# Sending is safe to repeat (an upload whose outcome is unknown is checked with isp_querypreviousupload first), so
# a send whose worker died is queued again by the reaper.
resume_when_reaped(send_upload)


@task()
def poll_downloads() -> int:
    """Fetch and acknowledge every waiting download (run periodically, e.g. every few minutes)."""
    return len(miit_download_fetch())


@task()
def purge_uploads() -> int:
    """Remove uploaded documents past their retention period (run daily)."""
    return miit_upload_purge()
