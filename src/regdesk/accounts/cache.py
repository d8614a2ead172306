"""Django's database cache with an atomic ``incr``, for the rate-limit counters (django-ratelimit).

The database cache is shared by every web process and every machine that shares the database, and needs no
server of its own; that is why the rate limits count there. Its inherited ``incr`` is a read followed by a
write: two processes counting the same client at once would both write the same number, and the write would
also reset the entry's expiry to the cache's default timeout (so an hourly window would end after five quiet
minutes). This ``incr`` locks the row (``SELECT ... FOR UPDATE`` on PostgreSQL; on SQLite the IMMEDIATE
transaction holds the write lock) and changes the value only, keeping the expiry.
"""

from __future__ import annotations

import base64
import pickle
from datetime import UTC, datetime
from typing import Any

from django.core.cache.backends import db
from django.db import connections, router, transaction


class DatabaseCache(db.DatabaseCache):
    """``django.core.cache.backends.db.DatabaseCache`` whose ``incr`` is atomic and keeps the expiry."""

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> Any:
        cache_key = self.make_and_validate_key(key, version=version)
        alias = router.db_for_write(self.cache_model_class)
        connection = connections[alias]
        quote = connection.ops.quote_name
        table = quote(self._table)  # type: ignore[attr-defined]  # set by BaseDatabaseCache, not in the stubs
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        now = connection.ops.adapt_datetimefield_value(datetime.now(UTC).replace(microsecond=0))
        with transaction.atomic(using=alias), connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {quote('value')} FROM {table} WHERE {quote('cache_key')} = %s"  # noqa: S608 - quoted names
                f" AND {quote('expires')} > %s{lock}",
                [cache_key, now],
            )
            row = cursor.fetchone()
            if row is None:
                raise ValueError(f"Key {key!r} not found")
            stored = connection.ops.process_clob(row[0])
            # The cache's own format (pickled by this class, never by a client): see DatabaseCache._base_set.
            value = pickle.loads(base64.b64decode(stored.encode())) + delta  # noqa: S301
            encoded = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
            cursor.execute(
                f"UPDATE {table} SET {quote('value')} = %s WHERE {quote('cache_key')} = %s",  # noqa: S608
                [encoded, cache_key],
            )
        return value
