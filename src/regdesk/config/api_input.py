"""Input the API refuses before any view runs: text holding NUL characters, and JSON beyond the standard.

PostgreSQL keeps no NUL character in text or JSON, so such input would fail deep inside a query, as a 500, where
SQLite takes it. It never means anything, so the API refuses it up front and names the field (422).

Python's JSON reader also takes NaN and Infinity (and reads 1e999 as infinity), which no JSON column stores: the
API's parser refuses them as a body that is not JSON (400).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest
from ninja.parser import Parser

NUL = "\x00"
_ESCAPED_NUL = b"\\u0000"


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _finite_float(text: str) -> float:
    number = float(text)
    if math.isinf(number):
        raise ValueError("the number is too large")
    return number


class StrictJsonParser(Parser):
    """JSON bodies as RFC 8259 has them: no NaN, no Infinity, no number too large for a double."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        body: dict[str, Any] = json.loads(request.body, parse_constant=_refuse_constant, parse_float=_finite_float)
        return body


def _shown(name: str) -> str:
    return name.replace(NUL, "\\x00")


def _nul_in_json(value: Any, path: str) -> list[str]:
    """The dotted paths of the strings and keys in ``value`` that hold a NUL character ("" for the top level)."""
    if isinstance(value, str):
        return [path] if NUL in value else []
    found: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            name = f"{path}.{_shown(key)}" if path else _shown(key)
            found += [name] if NUL in key else _nul_in_json(item, name)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _nul_in_json(item, f"{path}.{index}" if path else str(index))
    return found


def fields_with_nul(request: HttpRequest, path_arguments: Mapping[str, Any]) -> list[str]:
    """The names of the query parameters, path parameters and JSON body fields that hold a NUL character."""
    names = [
        _shown(name) for name, values in request.GET.lists() if NUL in name or any(NUL in value for value in values)
    ]
    names += [name for name, value in path_arguments.items() if isinstance(value, str) and NUL in value]
    names += [name or "__all__" for name in _nul_in_json(_json_body(request), "")]
    return list(dict.fromkeys(names))


def _json_body(request: HttpRequest) -> Any:
    """The decoded JSON body when it may hold a NUL character, else None (uploads and forms are not read here)."""
    if request.content_type != "application/json":
        return None
    try:
        raw = request.body
    except RequestDataTooBig:
        return None  # the view refuses it in its own words
    # A JSON text holds a NUL character only as the escape \u0000 (a raw one makes it invalid JSON, refused later).
    if _ESCAPED_NUL not in raw:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return None
