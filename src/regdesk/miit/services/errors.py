"""Errors of the MIIT adapter's services; ``str(error)`` is Chinese and English, without personal data."""

from __future__ import annotations

import logging

from django.utils.translation import gettext_noop

from regdesk.miit.messages import bilingual

logger = logging.getLogger(__name__)


class MiitError(Exception):
    """An operation of the adapter was refused; ``str(error)`` is Chinese and English, without personal data."""

    code = "miit_error"


class UnsupportedOperation(MiitError):
    code = "unsupported_operation"

    def __init__(self, operation: str) -> None:
        self.operation = operation
        super().__init__(
            bilingual(gettext_noop("The adapter cannot build %(operation)s uploads yet"), {"operation": operation})
        )


class SenderBusy(MiitError):
    """Another process holds the send lease; it sends every pending upload in order."""

    code = "sender_busy"

    def __init__(self) -> None:
        super().__init__(bilingual(gettext_noop("Another process is sending uploads to the province")))


class DownloadUndecodable(MiitError):
    """A downloaded file fails its MD5 check or cannot be decrypted or unzipped: it is neither stored nor
    acknowledged (specification 3-3-2: only a file that passes the integrity check and decompresses is
    acknowledged), so the province offers it again; a wrong AES key would otherwise lose every file."""

    code = "download_undecodable"

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(
            bilingual(gettext_noop("A downloaded file cannot be unpacked (%(reason)s)"), {"reason": reason})
        )


class DownloadRefused(MiitError):
    """``isp_download`` answered an error code (authentication, province, maintenance)."""

    code = "download_refused"

    def __init__(self, msg_code: int) -> None:
        self.msg_code = msg_code
        super().__init__(
            bilingual(gettext_noop("The province refused the download (msg_code %(code)s)"), {"code": msg_code})
        )
