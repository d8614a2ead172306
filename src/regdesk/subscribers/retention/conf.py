"""The retention periods, read from the data dictionary's declarations (and the settings that override them)."""

from __future__ import annotations

from regdesk.subscribers.personal_data import READING_RETENTION, REGISTRATION_RETENTION

# The rule the purge applies, recorded with each run: a changed rule gets a new version.
RULE_VERSION = "realname.retention/1: service period + REGDESK_RETENTION_LINE_REGISTRATION_DAYS"


def retention_days() -> int:
    """Days after the end of service (``REGDESK_RETENTION_LINE_REGISTRATION_DAYS``; DOMAIN.md §2: two years)."""
    return REGISTRATION_RETENTION.effective_days or 730


def reading_retention_days() -> int:
    """Days an unused card reading is kept (``REGDESK_RETENTION_CARD_READING_DAYS``; 30 by default)."""
    return READING_RETENTION.effective_days or 30
