"""The settings of the working-day calendars: the years a missing holiday calendar is alerted for.

Each function reads its setting when called (so that tests and deployments may change it); the defaults and the
environment variables are in ``config/settings.py``.
"""

from __future__ import annotations

from django.conf import settings


def alert_first_year() -> int:
    """``REGDESK_CALENDAR_ALERT_FIRST_YEAR``: the first year whose missing calendar is alerted."""
    return int(settings.REGDESK_CALENDAR_ALERT_FIRST_YEAR)


def alert_years_ahead() -> int:
    """``REGDESK_CALENDAR_ALERT_YEARS_AHEAD``: how many years ahead of today a missing calendar is alerted."""
    return int(settings.REGDESK_CALENDAR_ALERT_YEARS_AHEAD)
