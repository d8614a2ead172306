"""The hash of one audit event over its chained fields, and the normal form of ``changes``."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder

GENESIS_HASH = "0" * 64


def _plain(value: Any) -> Any:
    """The JSON value as every database returns it.

    Floats become text (PostgreSQL's jsonb may print ``1e20`` back as an integer, which would change the hash);
    NUL characters are dropped (PostgreSQL refuses them); keys become strings.
    """
    if isinstance(value, dict):
        return {str(key).replace("\x00", ""): _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        return value.replace("\x00", "")
    return value


def normalise_changes(changes: Mapping[str, Any] | None) -> dict[str, Any]:
    """``changes`` after the round trip through the JSON column, so that verification recomputes the same hash."""
    encoded = json.dumps(dict(changes or {}), cls=DjangoJSONEncoder, ensure_ascii=False)
    normal: dict[str, Any] = _plain(json.loads(encoded))
    return normal


def event_hash(fields: dict[str, Any]) -> str:
    canonical = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
