"""Consumers of downloaded sections: other apps register a handler per kind (``BAJG``, ``BASJ``, ``XGTZ``, ...).

A handler is called as ``handler(section, download)`` in the transaction that stores the download, before the
province is told the file arrived; if it raises, nothing is stored, nothing is acknowledged, and the province
sends the file again at the next poll. Register from ``AppConfig.ready``::

    register_download_handler("BAJG", filings.handlers.filing_results_received)
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from regdesk.miit.records import DownloadSection

if TYPE_CHECKING:
    from regdesk.miit.models import MiitDownload

DownloadHandler = Callable[[DownloadSection, "MiitDownload"], None]

_lock = threading.Lock()
_handlers: dict[str, list[DownloadHandler]] = {}


def register_download_handler(kind: str, handler: DownloadHandler) -> None:
    """Call ``handler`` for every downloaded section of ``kind``; registering the same handler twice is a no-op."""
    with _lock:
        registered = _handlers.setdefault(kind, [])
        if handler not in registered:
            registered.append(handler)


def unregister_download_handler(kind: str, handler: DownloadHandler) -> None:
    """Forget a handler (tests)."""
    with _lock:
        registered = _handlers.get(kind, [])
        if handler in registered:
            registered.remove(handler)


def download_handlers(kind: str) -> tuple[DownloadHandler, ...]:
    """The handlers of ``kind``, in registration order."""
    with _lock:
        return tuple(_handlers.get(kind, ()))
