"""Writes of the MIIT adapter: preparing and sending uploads, fetching downloads, purging old files.

Sequence numbers (数据编号). The specification (§3-3-1-3): "初始值为1，每上报成功一次数据，该编号值递增1", and a
number that skips one is refused with msg_code 14 until the missing number is uploaded. So:

- a number is allocated when an upload is prepared, under ``SELECT ... FOR UPDATE`` of the single counter row in
  the transaction that creates the upload row — strictly increasing, gap-free, one per upload, never reused for
  another document;
- uploads are sent after commit, one sender at a time (a lease on the counter row), in sequence order, stopping
  at the first that is not accepted;
- an upload the province refuses with a ``msg_code`` other than 0 did not succeed, so it did not consume its
  number: it stays at the head of the queue and the same number is sent again (same document) once the cause is
  gone — later uploads wait behind it, so the province never sees a gap;
- an upload refused for data reasons (a data-processing result code such as 1003 网站主办者冲突 in the
  downloaded 备案结果) was accepted by ``isp_upload`` with msg_code 0: its number is consumed and stays consumed.
  The filing is corrected and sent as a new upload with the next number; nothing is rolled back.
"""

from regdesk.miit.services.common import download_document, file_name_for, get_client, upload_document
from regdesk.miit.services.downloads import FetchedDownload, miit_download_fetch
from regdesk.miit.services.errors import (
    DownloadRefused,
    DownloadUndecodable,
    MiitError,
    SenderBusy,
    UnsupportedOperation,
)
from regdesk.miit.services.uploads import (
    RETRYABLE_ERRORS,
    miit_upload_export,
    miit_upload_prepare,
    miit_upload_purge,
    miit_upload_send,
    retry_due,
)

__all__ = [
    "RETRYABLE_ERRORS",
    "DownloadRefused",
    "DownloadUndecodable",
    "FetchedDownload",
    "MiitError",
    "SenderBusy",
    "UnsupportedOperation",
    "download_document",
    "file_name_for",
    "get_client",
    "miit_download_fetch",
    "miit_upload_export",
    "miit_upload_prepare",
    "miit_upload_purge",
    "miit_upload_send",
    "retry_due",
    "upload_document",
]
