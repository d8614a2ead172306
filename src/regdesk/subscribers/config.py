"""The settings of real-name registration: limits, readings, the self-service lookup, agents, the self-inspection,
the real-name-rate report, imports, remediation campaigns and retention.

Each function reads its setting when called (so that tests and deployments may change it); the defaults (the
regulation's numbers or operator practice) and the environment variables are in ``config/settings.py``.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from regdesk.privacy.dictionary import Retention
from regdesk.rules.realname_rate import DEFAULT_TARGETS, RateTarget, TargetsError, parse_targets
from regdesk.subscribers.personal_data import READING_RETENTION, REGISTRATION_RETENTION

# Registration


def lines_per_id() -> int:
    """``REGDESK_LINES_PER_ID``: lines an individual's ID may hold at this operator (DOMAIN.md §2: 5)."""
    return int(settings.REGDESK_LINES_PER_ID)


def reading_max_age_seconds() -> int:
    """``REGDESK_READING_MAX_AGE_SECONDS``: how old a card reading (by the reader's clock) may be when the server
    verifies it."""
    return int(settings.REGDESK_READING_MAX_AGE_SECONDS)


def reading_clock_skew_seconds() -> int:
    """``REGDESK_READING_CLOCK_SKEW_SECONDS``: how far a reader's clock may run ahead of the server's."""
    return int(settings.REGDESK_READING_CLOCK_SKEW_SECONDS)


def reading_use_seconds() -> int:
    """``REGDESK_READING_USE_SECONDS``: how long after its verification a reading may be used for a registration
    or a lookup."""
    return int(settings.REGDESK_READING_USE_SECONDS)


def face_match_threshold() -> int:
    """``REGDESK_FACE_MATCH_THRESHOLD``: face-match score (0-100) below which a registration waits for a
    supervisor; the identity service's photo similarity is judged by it too (one threshold per deployment, the
    ICP on-site check's as well)."""
    return int(settings.REGDESK_FACE_MATCH_THRESHOLD)


def document_max_bytes() -> int:
    """``REGDESK_DOCUMENT_MAX_BYTES``: the largest document taken (an agent audit's evidence, too)."""
    return int(settings.REGDESK_DOCUMENT_MAX_BYTES)


# The self-service lookup (一证通查)


def lookup_code_minutes() -> int:
    """``REGDESK_LOOKUP_CODE_MINUTES``: how long the lookup's SMS code is valid."""
    return int(settings.REGDESK_LOOKUP_CODE_MINUTES)


def lookup_code_attempts() -> int:
    """``REGDESK_LOOKUP_CODE_ATTEMPTS``: tries of one lookup code."""
    return int(settings.REGDESK_LOOKUP_CODE_ATTEMPTS)


def lookup_challenges_per_hour() -> int:
    """``REGDESK_LOOKUP_CHALLENGES_PER_HOUR``: SMS challenges one identity may ask for in an hour (each costs an
    SMS and invites guessing)."""
    return int(settings.REGDESK_LOOKUP_CHALLENGES_PER_HOUR)


def lookup_grant_minutes() -> int:
    """``REGDESK_LOOKUP_GRANT_MINUTES``: how long a confirmed lookup lasts."""
    return int(settings.REGDESK_LOOKUP_GRANT_MINUTES)


# Agents and the self-inspection


def agent_error_rate_threshold() -> Decimal:
    """``REGDESK_AGENT_ERROR_RATE_THRESHOLD``: the error rate (percent) of an agent's audited registrations above
    which the self-inspection reports the agent (operator practice: 5 %)."""
    return Decimal(str(settings.REGDESK_AGENT_ERROR_RATE_THRESHOLD))


def agent_audit_max_sample() -> int:
    """``REGDESK_AGENT_AUDIT_MAX_SAMPLE``: the largest sample one agent audit may draw."""
    return int(settings.REGDESK_AGENT_AUDIT_MAX_SAMPLE)


def agent_audit_interval_days() -> int:
    """``REGDESK_AGENT_AUDIT_INTERVAL_DAYS``: an active agent not audited for this long is reported by the
    self-inspection (a quarter by default)."""
    return int(settings.REGDESK_AGENT_AUDIT_INTERVAL_DAYS)


def inspection_interval_days() -> int:
    """``REGDESK_REALNAME_INSPECTION_DAYS``: how often the scheduled self-inspection runs (a quarter by default;
    DOMAIN.md §5 asks for one a year at least)."""
    return int(settings.REGDESK_REALNAME_INSPECTION_DAYS)


def inspection_rejected_readings() -> int:
    """``REGDESK_INSPECTION_REJECTED_READINGS``: rejected readings of one reader in a period that make a finding."""
    return int(settings.REGDESK_INSPECTION_REJECTED_READINGS)


# The real-name-rate report


def rate_targets() -> tuple[RateTarget, ...]:
    """``REGDESK_REALNAME_RATE_TARGETS``: ``"2016-12-31:95,2017-06-30:100"`` or a list of ``(date, percent)``
    pairs; empty: the regulator's targets (工信部网安〔2016〕182号)."""
    configured = settings.REGDESK_REALNAME_RATE_TARGETS
    if not configured:
        return DEFAULT_TARGETS
    try:
        return parse_targets(configured)
    except TargetsError as error:
        raise ImproperlyConfigured(f"REGDESK_REALNAME_RATE_TARGETS: {error}") from None


def report_max_days() -> int:
    """``REGDESK_REALNAME_REPORT_MAX_DAYS``: the longest daily series the report draws (a monthly one may span
    longer)."""
    return int(settings.REGDESK_REALNAME_REPORT_MAX_DAYS)


def report_default_months() -> int:
    """``REGDESK_REALNAME_REPORT_DEFAULT_MONTHS``: how many months back the report's series starts when no start
    date is given."""
    return int(settings.REGDESK_REALNAME_REPORT_DEFAULT_MONTHS)


# Imports of a subscriber base


def import_batch_size() -> int:
    """``REGDESK_IMPORT_BATCH_SIZE``: rows written per batch."""
    return int(settings.REGDESK_IMPORT_BATCH_SIZE)


def import_max_row_errors() -> int:
    """``REGDESK_IMPORT_MAX_ROW_ERRORS``: row errors kept per job (further refused rows are counted only)."""
    return int(settings.REGDESK_IMPORT_MAX_ROW_ERRORS)


def import_max_upload_bytes() -> int:
    """``REGDESK_IMPORT_MAX_UPLOAD_BYTES``: the largest uploaded import file."""
    return int(settings.REGDESK_IMPORT_MAX_UPLOAD_BYTES)


def import_sqlite_cache_kib() -> int:
    """``REGDESK_IMPORT_SQLITE_CACHE_KIB``: the SQLite page cache of an import's connection."""
    return int(settings.REGDESK_IMPORT_SQLITE_CACHE_KIB)


# Remediation campaigns (seed 004)


def campaign_one_way_after() -> int:
    """``REGDESK_CAMPAIGN_ONE_WAY_AFTER``: the wait from the notice to the one-way stop."""
    return int(settings.REGDESK_CAMPAIGN_ONE_WAY_AFTER)


def campaign_one_way_unit() -> str:
    """``REGDESK_CAMPAIGN_ONE_WAY_UNIT``: ``working_days`` or ``calendar_days``."""
    return str(settings.REGDESK_CAMPAIGN_ONE_WAY_UNIT)


def campaign_reminder_after() -> int:
    """``REGDESK_CAMPAIGN_REMINDER_AFTER``: the wait from the one-way stop to the reminder."""
    return int(settings.REGDESK_CAMPAIGN_REMINDER_AFTER)


def campaign_reminder_unit() -> str:
    """``REGDESK_CAMPAIGN_REMINDER_UNIT``: ``working_days`` or ``calendar_days``."""
    return str(settings.REGDESK_CAMPAIGN_REMINDER_UNIT)


def campaign_two_way_after() -> int:
    """``REGDESK_CAMPAIGN_TWO_WAY_AFTER``: the wait from the reminder to the two-way stop."""
    return int(settings.REGDESK_CAMPAIGN_TWO_WAY_AFTER)


def campaign_two_way_unit() -> str:
    """``REGDESK_CAMPAIGN_TWO_WAY_UNIT``: ``working_days`` or ``calendar_days``."""
    return str(settings.REGDESK_CAMPAIGN_TWO_WAY_UNIT)


def campaign_cancel_after() -> int:
    """``REGDESK_CAMPAIGN_CANCEL_AFTER``: the wait from the two-way stop to the cancellation."""
    return int(settings.REGDESK_CAMPAIGN_CANCEL_AFTER)


def campaign_cancel_unit() -> str:
    """``REGDESK_CAMPAIGN_CANCEL_UNIT``: ``working_days`` or ``calendar_days``."""
    return str(settings.REGDESK_CAMPAIGN_CANCEL_UNIT)


def provisioning_retry_seconds() -> int:
    """``REGDESK_PROVISIONING_RETRY_SECONDS``: the first wait before a failed provisioning command is sent again
    (doubling with each attempt, up to an hour)."""
    return int(settings.REGDESK_PROVISIONING_RETRY_SECONDS)


# Retention (the data dictionary's periods, which the REGDESK_RETENTION_* settings override)


def _days(retention: Retention) -> int:
    days = retention.effective_days
    if days is None:
        raise ImproperlyConfigured(f"{retention.setting}: the retention period must be a number of days")
    return days


def retention_days() -> int:
    """Days a registration is kept after the end of service (``REGDESK_RETENTION_LINE_REGISTRATION_DAYS``;
    DOMAIN.md §2: two years)."""
    return _days(REGISTRATION_RETENTION)


def reading_retention_days() -> int:
    """Days an unused card reading is kept (``REGDESK_RETENTION_CARD_READING_DAYS``; 30 by default)."""
    return _days(READING_RETENTION)


def production() -> bool:
    """``PRODUCTION`` (``REGDESK_ENV=production``): development tools such as the counter benchmark refuse to run."""
    return bool(settings.PRODUCTION)
