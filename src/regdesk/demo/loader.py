"""Loads every part of the demo data in order. Each part is idempotent: it creates only what is missing."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from regdesk.demo import accounts
from regdesk.filings import demo as filings_demo
from regdesk.subscribers import demo as subscribers_demo
from regdesk.subscribers.campaigns import demo as campaigns_demo


class DemoRefusedError(RuntimeError):
    """Demo data was asked for in production mode."""


def load_all() -> dict[str, Any]:
    """Load every part of the demo data; refused in production mode, whoever calls it."""
    if settings.PRODUCTION:
        raise DemoRefusedError("demo data is refused in production mode (REGDESK_ENV=production)")
    # Accounts first: the other parts need the demo units and users.
    return {
        "accounts": accounts.load(),
        "filings": filings_demo.load(),
        "subscribers": subscribers_demo.load(),
        "campaigns": campaigns_demo.load(),
    }
