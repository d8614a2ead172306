"""Administrative division codes (GB/T 2260): every code that ever existed, with its names over time.

The data file ``data/gb2260.csv.gz`` (gzip-compressed UTF-8 CSV) is the union of several published code lists
(see ``data/SOURCES.md``) and is rebuilt by ``regdesk divisions refresh``. A code abolished later stays a code that
existed: identity numbers keep the address code of the place where they were first issued, whatever happened to the
place afterwards.
"""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

DATA_FILE_NAME = "gb2260.csv.gz"
CSV_HEADER = ("code", "name", "first_seen", "last_seen", "sources")
SOURCE_SEPARATOR = "|"

# Placeholder names of grouping rows (GB/T 2260 uses them for "districts of the city", "counties", "county-level
# units under the province"): they name no real city, so region details skip them at the city level.
GROUPING_NAMES = frozenset(
    {
        "市辖区",
        "县",
        "市",
        "郊区县",
        "省直辖县级行政区划",
        "省直辖县级行政单位",
        "自治区直辖县级行政区划",
        "自治区直辖县级行政单位",
    }
)


@dataclass(frozen=True)
class DivisionName:
    """One name a code carried, and the editions (years) in which it was seen with that name."""

    name: str
    first_seen: int
    last_seen: int
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Division:
    """A six-digit division code with every name it had, oldest first."""

    code: str
    names: tuple[DivisionName, ...]

    @property
    def latest(self) -> DivisionName:
        # The latest name is the one seen last; on a tie the one that appeared later (a rename in that edition).
        return max(self.names, key=lambda entry: (entry.last_seen, entry.first_seen))

    @property
    def name(self) -> str:
        return self.latest.name

    @property
    def first_seen(self) -> int:
        return min(entry.first_seen for entry in self.names)

    @property
    def last_seen(self) -> int:
        return max(entry.last_seen for entry in self.names)


@dataclass(frozen=True)
class DivisionTable:
    divisions: Mapping[str, Division]
    latest_edition: int

    def get(self, code: str) -> Division | None:
        return self.divisions.get(code)

    def is_current(self, division: Division) -> bool:
        return division.last_seen >= self.latest_edition


def parse_rows(rows: Iterable[Mapping[str, str]]) -> DivisionTable:
    """Build the table from CSV rows with the columns of ``CSV_HEADER``."""
    grouped: dict[str, list[DivisionName]] = {}
    for row in rows:
        entry = DivisionName(
            name=row["name"],
            first_seen=int(row["first_seen"]),
            last_seen=int(row["last_seen"]),
            sources=tuple(source for source in row["sources"].split(SOURCE_SEPARATOR) if source),
        )
        grouped.setdefault(row["code"], []).append(entry)
    divisions = {
        code: Division(code=code, names=tuple(sorted(names, key=lambda entry: (entry.first_seen, entry.last_seen))))
        for code, names in grouped.items()
    }
    latest = max((division.last_seen for division in divisions.values()), default=0)
    return DivisionTable(divisions=divisions, latest_edition=latest)


def decode(content: bytes) -> DivisionTable:
    """Parse the bytes of a division file, gzip-compressed or plain."""
    if content[:2] == b"\x1f\x8b":
        content = gzip.decompress(content)
    return parse_rows(csv.DictReader(io.StringIO(content.decode("utf-8"), newline="")))


def read_table(path: Path) -> DivisionTable:
    """Read a division file written by ``regdesk divisions refresh`` (used on a fresh ``--out`` file)."""
    return decode(path.read_bytes())


@lru_cache(maxsize=1)
def load_table() -> DivisionTable:
    """The shipped table, read once per process."""
    return decode(resources.files("regdesk.rules").joinpath("data", DATA_FILE_NAME).read_bytes())


def lookup(code: str) -> Division | None:
    """The division with this six-digit code, whether current or abolished; None if it never existed."""
    return load_table().get(code)


def _named(table: DivisionTable, code: str) -> dict[str, str] | None:
    division = table.get(code)
    if division is None:
        return None
    return {"code": code, "name": division.name}


def region_details(code: str, table: DivisionTable | None = None) -> dict[str, Any] | None:
    """Province, city and county of a code, each under the latest name it had; None for an unknown code."""
    table = table or load_table()
    division = table.get(code)
    if division is None:
        return None
    province = _named(table, code[:2] + "0000")
    city: dict[str, str] | None = None
    if code[2:4] != "00":
        city = _named(table, code[:4] + "00")
        if city is not None and city["name"] in GROUPING_NAMES:
            city = None
    county = {"code": code, "name": division.name} if code[4:] != "00" else None
    return {
        "code": code,
        "name": division.name,
        "province": province,
        "city": city,
        "county": county,
        "first_seen": division.first_seen,
        "last_seen": division.last_seen,
        "current": table.is_current(division),
    }


def describe(code: str, table: DivisionTable | None = None) -> dict[str, Any] | None:
    """Everything known about a code: its region details plus every name with its editions and sources."""
    table = table or load_table()
    details = region_details(code, table)
    division = table.get(code)
    if details is None or division is None:
        return None
    details["names"] = [
        {
            "name": entry.name,
            "first_seen": entry.first_seen,
            "last_seen": entry.last_seen,
            "sources": list(entry.sources),
        }
        for entry in division.names
    ]
    return details
