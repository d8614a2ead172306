"""The plain-text format of an announced year, and its validation.

The format, one item per line (UTF-8)::

    # 国务院办公厅关于2027年部分节假日安排的通知
    year: 2027
    source: 国办发明电〔2026〕7号
    2027-01-01 holiday 元旦
    2027-02-06 holiday 春节
    2027-02-07 workday 春节调休

* ``#`` starts a comment, on its own line or after an entry; blank lines are ignored.
* ``year: YYYY`` is required exactly once; every date must lie in that year.
* ``source: ...`` (optional, may repeat) names the notice the schedule comes from.
* An entry is ``YYYY-MM-DD KIND [NAME]``: KIND is ``holiday`` (休) for a day off — weekend days of a break may be
  listed too — or ``workday`` (班) for a make-up working day, which must be a Saturday or a Sunday. NAME is free
  text (at most 100 characters).
* A date appears at most once, and a year lists at least one holiday.

Every problem is reported with its line number; a text with any problem imports nothing.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from regdesk.calendars.models import DayKind

# The years an administrator may import: wide enough for history and the foreseeable future.
FIRST_IMPORTABLE_YEAR = 2000
LAST_IMPORTABLE_YEAR = 2199
NAME_MAX_LENGTH = 100
SOURCE_MAX_LENGTH = 2000

_DATE_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
_HEADER_PATTERN = re.compile(r"^(?P<key>[A-Za-z]+)\s*[:：]\s*(?P<value>.*)$")
_KIND_WORDS = {
    "holiday": DayKind.HOLIDAY,
    "休": DayKind.HOLIDAY,
    "workday": DayKind.WORKDAY,
    "班": DayKind.WORKDAY,
}


@dataclass(frozen=True)
class CalendarEntry:
    """One day of an imported schedule; ``line`` is where it came from, when it came from a text."""

    date: datetime.date
    kind: DayKind
    name: str = ""
    line: int | None = None


@dataclass(frozen=True)
class ParsedCalendar:
    year: int
    entries: tuple[CalendarEntry, ...]
    source: str


@dataclass(frozen=True)
class ImportProblem:
    """One problem, in the language active when it was found, with its line number when it has one."""

    line: int | None
    message: str
    text: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        if not self.text:
            text = self.message
            if self.line is not None:
                text = _("line %(line)d: %(message)s") % {"line": self.line, "message": self.message}
            object.__setattr__(self, "text", text)

    def __str__(self) -> str:
        return self.text


class CalendarImportError(ValueError):
    """The schedule has problems; nothing was imported."""

    def __init__(self, problems: Sequence[ImportProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


def _strip_comment(line: str) -> str:
    if line.lstrip().startswith("#"):
        return ""
    # A trailing comment needs whitespace before '#', so that a name may still contain the character.
    match = re.search(r"\s#", line)
    return (line[: match.start()] if match else line).strip()


def parse_year(value: str) -> int | None:
    """The year in ``value`` if it is a four-digit year inside the importable range, else None."""
    value = value.strip()
    if not re.fullmatch(r"\d{4}", value, re.ASCII):
        return None
    year = int(value)
    return year if FIRST_IMPORTABLE_YEAR <= year <= LAST_IMPORTABLE_YEAR else None


def _year_problem() -> str:
    return _("the year must be a four-digit year from %(first)d to %(last)d") % {
        "first": FIRST_IMPORTABLE_YEAR,
        "last": LAST_IMPORTABLE_YEAR,
    }


def parse_calendar_text(text: str) -> ParsedCalendar:
    """Parse the format above; raise ``CalendarImportError`` listing every problem with its line number."""
    problems: list[ImportProblem] = []
    year: int | None = None
    year_line: int | None = None
    sources: list[str] = []
    entries: list[CalendarEntry] = []
    for number, raw in enumerate(text.lstrip("\ufeff").splitlines(), start=1):
        line = _strip_comment(raw)
        if not line:
            continue
        header = _HEADER_PATTERN.match(line)
        if header:
            key, value = header.group("key").lower(), header.group("value").strip()
            if key == "year":
                if year_line is not None:
                    problems.append(
                        ImportProblem(number, _("the year is already given on line %(line)d") % {"line": year_line})
                    )
                    continue
                year_line = number
                year = parse_year(value)
                if year is None:
                    problems.append(ImportProblem(number, _year_problem()))
            elif key == "source":
                sources.append(value)
            else:
                problems.append(
                    ImportProblem(number, _("unknown header “%(key)s”; expected “year:” or “source:”") % {"key": key})
                )
            continue
        entry, problem = _parse_entry(number, line)
        if problem is not None:
            problems.append(problem)
        elif entry is not None:
            entries.append(entry)
    if year_line is None:
        problems.append(ImportProblem(None, _("the header “year: YYYY” is missing")))
    source = "\n".join(sources)
    if len(source) > SOURCE_MAX_LENGTH:
        problems.append(
            ImportProblem(None, _("the source is longer than %(max)d characters") % {"max": SOURCE_MAX_LENGTH})
        )
    if year is not None:
        # "No holiday listed" would only be noise beside lines that failed to parse.
        problems.extend(validate_entries(year, entries, require_holiday=not problems))
    if problems or year is None:
        raise CalendarImportError(sorted(problems, key=lambda problem: problem.line or 0))
    return ParsedCalendar(year=year, entries=tuple(entries), source=source)


def _parse_entry(number: int, line: str) -> tuple[CalendarEntry | None, ImportProblem | None]:
    parts = line.split(maxsplit=2)
    # A line that does not even start like a date is not an entry at all: show the expected shape.
    if len(parts) < 2 or not parts[0][:1].isdigit():
        return None, ImportProblem(
            number, _("expected “YYYY-MM-DD holiday|workday [name]”, found “%(text)s”") % {"text": line[:60]}
        )
    date_text, kind_text = parts[0], parts[1]
    name = parts[2].strip() if len(parts) == 3 else ""
    day = _parse_date(date_text)
    if day is None:
        return None, ImportProblem(
            number, _("“%(text)s” is not a valid date in the form YYYY-MM-DD") % {"text": date_text[:30]}
        )
    kind = _KIND_WORDS.get(kind_text.lower())
    if kind is None:
        return None, ImportProblem(
            number, _("unknown kind “%(text)s”; expected “holiday” or “workday”") % {"text": kind_text[:30]}
        )
    if len(name) > NAME_MAX_LENGTH:
        return None, ImportProblem(number, _("the name is longer than %(max)d characters") % {"max": NAME_MAX_LENGTH})
    return CalendarEntry(date=day, kind=kind, name=name, line=number), None


def _parse_date(text: str) -> datetime.date | None:
    if not _DATE_PATTERN.fullmatch(text):
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        return None


def validate_entries(
    year: int, entries: Iterable[CalendarEntry], *, require_holiday: bool = True
) -> list[ImportProblem]:
    """The problems of a year's entries (each reported at its entry's line, when known); empty when valid."""
    problems: list[ImportProblem] = []
    if not FIRST_IMPORTABLE_YEAR <= year <= LAST_IMPORTABLE_YEAR:
        problems.append(ImportProblem(None, _year_problem()))
    seen: dict[datetime.date, CalendarEntry] = {}
    holidays = 0
    for entry in entries:
        where = entry.line
        if entry.date.year != year:
            problems.append(
                ImportProblem(
                    where,
                    _("%(date)s is not in %(year)d") % {"date": entry.date.isoformat(), "year": year},
                )
            )
            continue
        if entry.date in seen:
            earlier = seen[entry.date].line
            message = _("%(date)s is listed twice") % {"date": entry.date.isoformat()}
            if earlier is not None:
                message = _("%(date)s is already listed on line %(line)d") % {
                    "date": entry.date.isoformat(),
                    "line": earlier,
                }
            problems.append(ImportProblem(where, message))
            continue
        seen[entry.date] = entry
        if entry.kind == DayKind.WORKDAY and entry.date.weekday() < 5:
            problems.append(
                ImportProblem(
                    where,
                    _("%(date)s is a weekday; a make-up working day must be a Saturday or a Sunday")
                    % {"date": entry.date.isoformat()},
                )
            )
        if len(entry.name) > NAME_MAX_LENGTH:
            problems.append(
                ImportProblem(where, _("the name is longer than %(max)d characters") % {"max": NAME_MAX_LENGTH})
            )
        if entry.kind == DayKind.HOLIDAY:
            holidays += 1
    if require_holiday and holidays == 0 and not problems:
        problems.append(ImportProblem(None, _("no public holiday is listed for %(year)d") % {"year": year}))
    return problems


def format_schedule(
    year: int, holidays: dict[datetime.date, str], workdays: dict[datetime.date, str], source: str
) -> str:
    """A year's schedule in the import format, so that ``calendar show`` output can be imported again."""
    lines = [f"year: {year}"]
    lines.extend(f"source: {part}" for part in source.splitlines() if part.strip())
    days = [(day, DayKind.HOLIDAY.value, name) for day, name in holidays.items()]
    days += [(day, DayKind.WORKDAY.value, name) for day, name in workdays.items()]
    for day, kind, name in sorted(days):
        lines.append(f"{day.isoformat()} {kind} {name}".rstrip())
    return "\n".join(lines) + "\n"
