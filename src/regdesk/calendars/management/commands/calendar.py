"""``regdesk calendar import FILE`` and ``regdesk calendar show YEAR``.

``import`` reads a year's schedule in the format of ``regdesk.calendars.importing`` (``-`` reads standard input)
and imports it, replacing an earlier import of the same year; any problem is listed with its line number on
standard error, nothing is written and the exit code is 2. ``show`` prints the schedule a year uses, in the same
format (so its output can be edited and imported again); a year without data exits with 1.
"""

from __future__ import annotations

import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext_noop

from regdesk.calendars.importing import (
    CalendarImportError,
    ParsedCalendar,
    format_schedule,
    parse_calendar_text,
    parse_year,
)
from regdesk.calendars.messages import bilingual
from regdesk.calendars.models import DayKind
from regdesk.calendars.selectors import imported_year, year_schedule
from regdesk.calendars.services import calendar_year_import

MAX_FILE_BYTES = 256 * 1024


def _usage_error(msgid: str, params: dict[str, object] | None = None) -> CommandError:
    return CommandError(bilingual(msgid, params), returncode=2)


def _problem_lines(text: str, error: CalendarImportError) -> list[str]:
    """Each problem in the active language and in English (parsing is deterministic, so the lists align)."""
    with translation.override("en"):
        try:
            parse_calendar_text(text)
        except CalendarImportError as english_error:
            english = [str(problem) for problem in english_error.problems]
        else:  # pragma: no cover - the same text cannot parse in another language
            english = []
    lines = []
    for index, problem in enumerate(error.problems):
        translated = str(problem)
        other = english[index] if index < len(english) else translated
        lines.append(translated if translated == other else f"{translated} / {other}")
    return lines


class Command(BaseCommand):
    help = "Import or show a year of the working calendar (public holidays and make-up working days)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True)
        importer = commands.add_parser("import", help="Import a year's schedule from FILE ('-' for stdin).")
        importer.add_argument("file")
        importer.add_argument("--source", default="", help="The notice the schedule comes from (overrides 'source:').")
        importer.add_argument("--actor", default="", help="Username of the administrator recorded as importer.")
        shower = commands.add_parser("show", help="Print the schedule used for YEAR in the import format.")
        shower.add_argument("year")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "import":
            self._import(options["file"], source=options["source"], username=options["actor"])
        else:
            self._show(options["year"])

    def _read(self, name: str) -> str:
        try:
            if name == "-":
                data = sys.stdin.buffer.read(MAX_FILE_BYTES + 1)
            else:
                with Path(name).open("rb") as handle:
                    data = handle.read(MAX_FILE_BYTES + 1)
        except OSError as error:
            raise _usage_error(
                gettext_noop("cannot read %(file)s: %(reason)s"), {"file": name, "reason": error.strerror}
            ) from error
        if len(data) > MAX_FILE_BYTES:
            raise _usage_error(
                gettext_noop("%(file)s is larger than %(max)d bytes"), {"file": name, "max": MAX_FILE_BYTES}
            )
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as error:
            raise _usage_error(
                gettext_noop("%(file)s is not UTF-8 text (byte %(offset)d)"), {"file": name, "offset": error.start}
            ) from error

    def _import(self, name: str, *, source: str, username: str) -> None:
        actor = None
        if username:
            actor = get_user_model().objects.filter(username=username).first()
            if actor is None:
                raise _usage_error(gettext_noop("no user named “%(name)s”"), {"name": username})
        text = self._read(name)
        parsed: ParsedCalendar | None = None
        try:
            parsed = parse_calendar_text(text)
            imported = calendar_year_import(
                actor=actor, year=parsed.year, entries=parsed.entries, source=source or parsed.source
            )
        except CalendarImportError as error:
            heading = bilingual(gettext_noop("%(file)s: nothing imported"), {"file": name})
            problems = _problem_lines(text, error) if parsed is None else [str(error)]
            raise CommandError("\n".join([heading, *problems]), returncode=2) from error
        except PermissionDenied as error:
            raise _usage_error(
                gettext_noop("“%(name)s” is not an administrator; nothing imported"), {"name": username}
            ) from error
        holidays = sum(1 for entry in parsed.entries if entry.kind == DayKind.HOLIDAY)
        self.stdout.write(
            bilingual(
                gettext_noop(
                    "imported %(year)d (revision %(revision)d): %(holidays)d holidays, %(workdays)d make-up days"
                ),
                {
                    "year": imported.year,
                    "revision": imported.revision,
                    "holidays": holidays,
                    "workdays": len(parsed.entries) - holidays,
                },
            )
        )

    def _show(self, text: str) -> None:
        year = parse_year(text)
        if year is None:
            raise _usage_error(gettext_noop("“%(text)s” is not a year from 2000 to 2199"), {"text": text[:20]})
        schedule = year_schedule(year)
        if schedule is None:
            self.stderr.write(
                bilingual(
                    gettext_noop("no data for %(year)d: computed from weekends alone (provisional)"), {"year": year}
                )
            )
            raise SystemExit(1)
        origin = "imported" if imported_year(year) is not None else "package"
        self.stdout.write(f"# {origin}")
        self.stdout.write(
            format_schedule(year, dict(schedule.holidays), dict(schedule.workdays), schedule.source), ending=""
        )
