"""The hash of one audit event over its chained fields."""

from __future__ import annotations

import hashlib
import json
from typing import Any


def event_hash(fields: dict[str, Any]) -> str:
    canonical = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
