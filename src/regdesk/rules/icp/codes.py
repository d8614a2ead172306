"""The MIIT filing system's code tables as data (interface specification v3.0 §4-2-4), with loaders.

The shipped files in ``rules/data/icp/`` are compiled (see its README): the authoritative tables come from the
province system as base-code downloads. ``load_code_tables(directory)`` reads replacements from a directory
(any file missing there falls back to the shipped one), so a deployment swaps a table without code.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Generic, Literal, TypeVar, cast

from regdesk.rules.icp.result import FieldError, finding

DATA_PACKAGE = "regdesk.rules"
DATA_PARTS = ("data", "icp")
LIST_SEPARATOR = "|"


@dataclass(frozen=True)
class CodeEntry:
    """One row of a code table: its id and its name in Chinese and English."""

    code: int
    name_zh: str
    name_en: str


@dataclass(frozen=True)
class Nature(CodeEntry):
    """单位性质: whether the owner is an individual, whether its websites may use national words, and the
    unified social credit code prefixes (GB 32100-2015 authority + category) it is expected to have."""

    kind: Literal["individual", "organisation"]
    national_body: Literal["always", "if_central", "no"]
    uscc_prefixes: tuple[str, ...]

    @property
    def is_individual(self) -> bool:
        return self.kind == "individual"


@dataclass(frozen=True)
class CertificateType(CodeEntry):
    """证件类型: who holds it, which natures may present it (empty: any) and how its number is checked."""

    holder: Literal["person", "organisation"]
    natures: frozenset[int]
    formats: tuple[str, ...]

    @property
    def has_public_format(self) -> bool:
        return self.formats != ("free",)


@dataclass(frozen=True)
class PreApprovalType(CodeEntry):
    """前置审批内容类型: the approving authority and the website-name words that need this approval."""

    authority_zh: str
    name_keywords: tuple[str, ...]


@dataclass(frozen=True)
class ServiceContent(CodeEntry):
    """网站服务内容 and the pre-approval types a website offering it must hold."""

    requires_approvals: tuple[int, ...]


@dataclass(frozen=True)
class Language(CodeEntry):
    iso639: str


EntryT = TypeVar("EntryT", bound=CodeEntry)


@dataclass(frozen=True)
class CodeTable(Generic[EntryT]):
    """A code table by id, with its own name for messages."""

    name_zh: str
    name_en: str
    entries: Mapping[int, EntryT]

    def get(self, code: int) -> EntryT | None:
        return self.entries.get(code)

    def __contains__(self, code: object) -> bool:
        return code in self.entries

    def __iter__(self) -> Iterator[EntryT]:
        return iter(self.entries.values())


@dataclass(frozen=True)
class CodeTables:
    natures: CodeTable[Nature]
    certificate_types: CodeTable[CertificateType]
    pre_approval_types: CodeTable[PreApprovalType]
    service_contents: CodeTable[ServiceContent]
    access_methods: CodeTable[CodeEntry]
    languages: CodeTable[Language]


def read_data_text(name: str, directory: Path | None = None) -> str:
    """A data file's text: from ``directory`` when it holds a file of that name, else the shipped copy."""
    if directory is not None and (directory / name).is_file():
        return (directory / name).read_text(encoding="utf-8")
    return resources.files(DATA_PACKAGE).joinpath(*DATA_PARTS, name).read_text(encoding="utf-8")


def data_lines(text: str) -> list[str]:
    """The lines of a data file without blank lines and ``#`` comments."""
    return [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def read_rows(name: str, directory: Path | None = None) -> list[dict[str, str]]:
    return [dict(row) for row in csv.DictReader(data_lines(read_data_text(name, directory)))]


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (value or "").split(LIST_SEPARATOR) if part.strip())


def _entry(row: Mapping[str, str]) -> tuple[int, str, str]:
    return int(row["code"]), row["name_zh"].strip(), row["name_en"].strip()


def _nature_kind(value: str) -> Literal["individual", "organisation"]:
    if value == "individual":
        return "individual"
    if value == "organisation":
        return "organisation"
    raise ValueError(f"unknown nature kind {value!r}")


def _national_body(value: str) -> Literal["always", "if_central", "no"]:
    if value in ("always", "if_central", "no"):
        return cast(Literal["always", "if_central", "no"], value)
    raise ValueError(f"unknown national_body value {value!r}")


def _holder(value: str) -> Literal["person", "organisation"]:
    if value in ("person", "organisation"):
        return cast(Literal["person", "organisation"], value)
    raise ValueError(f"unknown certificate holder {value!r}")


def load_code_tables(directory: Path | None = None) -> CodeTables:
    """Read every code table; files found in ``directory`` replace the shipped ones."""
    natures = {
        int(row["code"]): Nature(
            *_entry(row),
            kind=_nature_kind(row["kind"]),
            national_body=_national_body(row["national_body"]),
            uscc_prefixes=_split(row.get("uscc_prefixes")),
        )
        for row in read_rows("natures.csv", directory)
    }
    certificates = {
        int(row["code"]): CertificateType(
            *_entry(row),
            holder=_holder(row["holder"]),
            natures=frozenset(int(code) for code in _split(row.get("natures"))),
            formats=_split(row["formats"]) or ("free",),
        )
        for row in read_rows("certificate_types.csv", directory)
    }
    approvals = {
        int(row["code"]): PreApprovalType(
            *_entry(row),
            authority_zh=row.get("authority_zh", "").strip(),
            name_keywords=_split(row.get("name_keywords")),
        )
        for row in read_rows("pre_approval_types.csv", directory)
    }
    services = {
        int(row["code"]): ServiceContent(
            *_entry(row),
            requires_approvals=tuple(int(code) for code in _split(row.get("requires_approvals"))),
        )
        for row in read_rows("service_contents.csv", directory)
    }
    access = {int(row["code"]): CodeEntry(*_entry(row)) for row in read_rows("access_methods.csv", directory)}
    languages = {
        int(row["code"]): Language(*_entry(row), iso639=row.get("iso639", "").strip())
        for row in read_rows("languages.csv", directory)
    }
    return CodeTables(
        natures=CodeTable("单位性质", "owner natures", natures),
        certificate_types=CodeTable("证件类型", "certificate types", certificates),
        pre_approval_types=CodeTable("前置审批内容类型", "pre-approval types", approvals),
        service_contents=CodeTable("网站服务内容", "website service contents", services),
        access_methods=CodeTable("网站接入方式", "access methods", access),
        languages=CodeTable("网站语言类别", "website languages", languages),
    )


@lru_cache(maxsize=1)
def default_code_tables() -> CodeTables:
    """The shipped tables, read once per process."""
    return load_code_tables()


def parse_code(value: int | str | None) -> int | None:
    """A code from a form or the XML: an int, a decimal string, or None when absent; ValueError otherwise."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError("a boolean is not a code")
    if isinstance(value, int):
        return value
    text = value.strip()
    if not text:
        return None
    if not text.isascii() or not text.isdigit():
        raise ValueError("not a whole number")
    return int(text)


def check_code(
    field: str, value: int | str | None, table: CodeTable[EntryT], *, required: bool = True
) -> tuple[EntryT | None, list[FieldError]]:
    """The table entry for ``value`` and the findings: required, a whole number, and a code of the table."""
    try:
        code = parse_code(value)
    except ValueError:
        return None, [finding(field, "code_not_integer")]
    if code is None:
        return None, [finding(field, "required")] if required else []
    entry = table.get(code)
    if entry is None:
        return None, [finding(field, "code_unknown", code=code, table_zh=table.name_zh, table_en=table.name_en)]
    return entry, []
