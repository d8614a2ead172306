"""Loads every part of the demo data in order. Each part is idempotent: it creates only what is missing."""

from __future__ import annotations

from typing import Any

from regdesk.demo import accounts


def load_all() -> dict[str, Any]:
    return {"accounts": accounts.load()}
