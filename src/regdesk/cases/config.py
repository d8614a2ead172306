"""The settings of the case kernel: documents, notices, and the settings clock definitions name as budgets.

Each function reads its setting when called (so that tests and deployments may change it); the defaults and the
environment variables are in ``config/settings.py``.
"""

from __future__ import annotations

from django.conf import settings


def document_max_bytes() -> int:
    """``REGDESK_DOCUMENT_MAX_BYTES``: the largest document a case takes."""
    return int(settings.REGDESK_DOCUMENT_MAX_BYTES)


def case_max_documents() -> int:
    """``REGDESK_CASE_MAX_DOCUMENTS``: how many documents one case holds at most."""
    return int(settings.REGDESK_CASE_MAX_DOCUMENTS)


def notice_max_attempts() -> int:
    """``REGDESK_NOTICE_MAX_ATTEMPTS``: attempts to send a notice before it is given up."""
    return int(settings.REGDESK_NOTICE_MAX_ATTEMPTS)


def notice_retry_base_seconds() -> int:
    """``REGDESK_NOTICE_RETRY_BASE_SECONDS``: the wait after a notice's first failed attempt (doubling after)."""
    return int(settings.REGDESK_NOTICE_RETRY_BASE_SECONDS)


def notice_retry_max_seconds() -> int:
    """``REGDESK_NOTICE_RETRY_MAX_SECONDS``: the longest wait between two attempts of a notice."""
    return int(settings.REGDESK_NOTICE_RETRY_MAX_SECONDS)


def clock_budget_setting(name: str) -> object:
    """The current value of the setting ``name`` that a clock definition names as its budget (``budget_setting``,
    e.g. ``REGDESK_ICP_ONSITE_DAYS``). Read by name, because the versioned definition holds the name, not the value
    (DESIGN.md rule 13); raises ``AttributeError`` when no such setting exists."""
    return getattr(settings, name)
