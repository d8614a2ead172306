"""The configurable numbers of real-name registration, read from Django settings with their defaults.

Defaults are the regulation's numbers or operator practice; ``config/settings.py`` reads the environment.
"""

from __future__ import annotations

from django.conf import settings

from regdesk.subscribers.rules import DEFAULT_LINES_PER_ID


def _int(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def lines_per_id() -> int:
    """Lines an individual's ID may hold at this operator (DOMAIN.md §2: 5)."""
    return _int("REGDESK_LINES_PER_ID", DEFAULT_LINES_PER_ID)


def reading_max_age_seconds() -> int:
    """How old a card reading (by the reader's clock) may be when the server verifies it."""
    return _int("REGDESK_READING_MAX_AGE_SECONDS", 300)


def reading_clock_skew_seconds() -> int:
    """How far a reader's clock may run ahead of the server's."""
    return _int("REGDESK_READING_CLOCK_SKEW_SECONDS", 60)


def reading_use_seconds() -> int:
    """How long after its verification a reading may be used for a registration or a lookup."""
    return _int("REGDESK_READING_USE_SECONDS", 900)


def face_match_threshold() -> int:
    """Face-match score (0-100) below which a registration waits for a supervisor."""
    return _int("REGDESK_FACE_MATCH_THRESHOLD", 80)


def lookup_code_minutes() -> int:
    return _int("REGDESK_LOOKUP_CODE_MINUTES", 10)


def lookup_code_attempts() -> int:
    return _int("REGDESK_LOOKUP_CODE_ATTEMPTS", 5)


def lookup_challenges_per_hour() -> int:
    """SMS challenges one identity may ask for in an hour (each costs an SMS and invites guessing)."""
    return _int("REGDESK_LOOKUP_CHALLENGES_PER_HOUR", 5)


def lookup_grant_minutes() -> int:
    return _int("REGDESK_LOOKUP_GRANT_MINUTES", 15)
