"""The database cache's ``incr`` (the rate-limit counters): it keeps the entry's expiry, and two processes
counting at once both count."""

from __future__ import annotations

import threading
import time

import pytest
from django.core.cache import cache
from django.db import connection, transaction

pytestmark = pytest.mark.django_db


def expiry_of(key: str) -> object:
    with connection.cursor() as cursor:
        cursor.execute("SELECT expires FROM regdesk_cache WHERE cache_key = %s", [cache.make_key(key)])
        row = cursor.fetchone()
    assert row is not None
    return row[0]


def test_incr_counts_and_keeps_the_expiry() -> None:
    assert cache.add("counter", 1, 3600)
    expires = expiry_of("counter")
    assert cache.incr("counter") == 2
    assert cache.incr("counter", 5) == 7
    assert cache.get("counter") == 7
    # The inherited incr wrote the value again with the default timeout (300 s), ending an hourly window early.
    assert expiry_of("counter") == expires


def test_incr_of_a_missing_or_expired_key_fails() -> None:
    with pytest.raises(ValueError, match="not found"):
        cache.incr("missing")
    assert cache.add("gone", 1, -1)
    with pytest.raises(ValueError, match="not found"):
        cache.incr("gone")


def _lock_waiters() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        row = cursor.fetchone()
    assert row is not None
    return int(row[0])


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_processes_counting_at_once_both_count() -> None:
    """One transaction increments and holds on; a second increments meanwhile and must wait for it, then count on
    from its result. Without the row lock the second reads the old value and writes the same number again."""
    assert connection.vendor == "postgresql"
    assert cache.add("shared", 1, 3600)
    first_counted = threading.Event()
    release_first = threading.Event()
    errors: list[BaseException] = []

    def first() -> None:
        try:
            with transaction.atomic():
                cache.incr("shared")
                first_counted.set()
                release_first.wait(timeout=60)
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    def second() -> None:
        try:
            cache.incr("shared")
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    holder = threading.Thread(target=first)
    holder.start()
    assert first_counted.wait(timeout=60)
    follower = threading.Thread(target=second)
    follower.start()
    deadline = time.monotonic() + 60
    while _lock_waiters() == 0:
        assert time.monotonic() < deadline, "the second increment never waited for the first"
        time.sleep(0.01)
    release_first.set()
    holder.join(timeout=60)
    follower.join(timeout=60)
    assert errors == []
    assert cache.get("shared") == 3
