"""Configuration of the real-name-rate report and its snapshots (Django settings with defaults)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from regdesk.rules.realname_rate import DEFAULT_TARGETS, RateTarget, TargetsError, parse_targets


def rate_targets() -> tuple[RateTarget, ...]:
    """``REGDESK_REALNAME_RATE_TARGETS``: ``"2016-12-31:95,2017-06-30:100"`` or a list of ``(date, percent)``
    pairs; the regulator's targets by default (工信部网安〔2016〕182号)."""
    configured = getattr(settings, "REGDESK_REALNAME_RATE_TARGETS", None)
    if configured is None:
        return DEFAULT_TARGETS
    try:
        return parse_targets(configured)
    except TargetsError as error:
        raise ImproperlyConfigured(f"REGDESK_REALNAME_RATE_TARGETS: {error}") from None


def max_series_days() -> int:
    """The longest daily series the report draws (a monthly series may span longer)."""
    return int(getattr(settings, "REGDESK_REALNAME_REPORT_MAX_DAYS", 400))


def default_series_months() -> int:
    """How many months back the report's time series starts when no start date is given."""
    return int(getattr(settings, "REGDESK_REALNAME_REPORT_DEFAULT_MONTHS", 12))
