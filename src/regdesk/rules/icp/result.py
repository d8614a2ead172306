"""The answer of every ICP filing rule: a list of ``FieldError`` naming the field, what is wrong (a stable code)
and the message in Chinese and English; an empty list means the value is fine."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from regdesk.rules.icp.messages import MESSAGES

Severity = Literal["error", "warning"]
ERROR: Severity = "error"
# A warning asks a person to look (the rule cannot be decided from the data alone); it never blocks on its own.
WARNING: Severity = "warning"


@dataclass(frozen=True)
class FieldError:
    """One finding about one field: ``field`` is a path such as ``websites[0].domains[1]``."""

    field: str
    code: str
    message_zh: str
    message_en: str
    severity: Severity = ERROR

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def to_json(self) -> dict[str, Any]:
        return {
            "field": self.field,
            "code": self.code,
            "severity": self.severity,
            "message": {"zh-hans": self.message_zh, "en": self.message_en},
        }


def finding(field: str, code: str, /, *, severity: Severity = ERROR, **values: object) -> FieldError:
    """A finding with the catalogue's messages for ``code`` filled in with ``values``."""
    chinese, english = MESSAGES[code]
    return FieldError(
        field=field,
        code=code,
        message_zh=chinese.format(**values),
        message_en=english.format(**values),
        severity=severity,
    )


def warning(field: str, code: str, /, **values: object) -> FieldError:
    return finding(field, code, severity=WARNING, **values)


def has_errors(results: Iterable[FieldError]) -> bool:
    """True when at least one finding is an error (warnings alone do not refuse a filing)."""
    return any(result.is_error for result in results)


def errors_only(results: Iterable[FieldError]) -> list[FieldError]:
    return [result for result in results if result.is_error]


def by_field(results: Iterable[FieldError], *, language: Literal["zh-hans", "en"] = "zh-hans") -> dict[str, list[str]]:
    """Messages grouped by field path, in one language: the shape of the API's ``fields`` error member."""
    grouped: dict[str, list[str]] = {}
    for result in results:
        grouped.setdefault(result.field, []).append(result.message_zh if language == "zh-hans" else result.message_en)
    return grouped


def join(path: str, name: str) -> str:
    """``owner`` + ``name`` → ``owner.name``; an empty path gives the bare name."""
    return f"{path}.{name}" if path else name


def item(path: str, index: int) -> str:
    """``websites`` + 0 → ``websites[0]``."""
    return f"{path}[{index}]"
