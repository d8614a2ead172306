"""Configurable numbers of agent supervision (Django settings with defaults)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings


def error_rate_threshold() -> Decimal:
    """``REGDESK_AGENT_ERROR_RATE_THRESHOLD``: the error rate (percent) of an agent's audited registrations above
    which the self-inspection reports the agent (operator practice: 5 %)."""
    return Decimal(str(getattr(settings, "REGDESK_AGENT_ERROR_RATE_THRESHOLD", 5)))


def max_sample_size() -> int:
    """The largest sample one audit may draw."""
    return int(getattr(settings, "REGDESK_AGENT_AUDIT_MAX_SAMPLE", 500))


def audit_interval_days() -> int:
    """``REGDESK_AGENT_AUDIT_INTERVAL_DAYS``: an active agent not audited for this long is reported by the
    self-inspection (a quarter by default)."""
    return int(getattr(settings, "REGDESK_AGENT_AUDIT_INTERVAL_DAYS", 92))


def max_document_bytes() -> int:
    return int(getattr(settings, "REGDESK_DOCUMENT_MAX_BYTES", 10 * 1024 * 1024))
