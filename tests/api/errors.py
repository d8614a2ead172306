"""The error shape of DESIGN.md, checked on a decoded JSON body."""

from __future__ import annotations

from typing import Any


def assert_error_shape(body: Any, *, status: int) -> None:
    """``{"error": {"code": "...", "message": "...", "fields": {"name": ["..."]}}}`` and nothing else."""
    assert isinstance(body, dict), f"{status}: the body is not a JSON object: {body!r}"
    assert set(body) == {"error"}, f"{status}: unexpected top-level keys: {sorted(body)}"
    error = body["error"]
    assert isinstance(error, dict), f"{status}: error is not an object: {error!r}"
    assert set(error) == {"code", "message", "fields"}, f"{status}: unexpected error keys: {sorted(error)}"
    assert isinstance(error["code"], str), f"{status}: the code is not a string: {error!r}"
    assert error["code"], f"{status}: the code is empty"
    assert isinstance(error["message"], str), f"{status}: the message is not a string: {error!r}"
    assert error["message"].strip(), f"{status}: the message is empty"
    fields = error["fields"]
    assert isinstance(fields, dict), f"{status}: fields is not an object: {fields!r}"
    for name, problems in fields.items():
        assert isinstance(name, str), f"{status}: a field name is not a string: {name!r}"
        assert isinstance(problems, list), f"{status}: the problems of {name} are not a list"
        assert problems, f"{status}: the problems of {name} are empty"
        assert all(isinstance(problem, str) and problem.strip() for problem in problems), f"{status}: {problems!r}"
