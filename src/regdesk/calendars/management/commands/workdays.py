"""``regdesk workdays add DATE N`` and ``regdesk workdays between A B``: working days of the Chinese calendar.

Each prints one line of JSON::

    $ regdesk workdays add 2026-09-30 5
    {"date": "2026-10-13", "provisional": false}
    $ regdesk workdays between 2026-09-30 2026-10-13
    {"working_days": 5, "provisional": false}

``add`` gives the N-th working day after DATE (DATE itself never counts; N = 0 gives DATE; a negative N counts
backwards). ``between`` counts the working days in (A, B], negative when B is before A. ``provisional`` is true
when a year without calendar data was involved (computed from weekends alone). A bad date or number prints a
message on standard error and exits with 2.
"""

from __future__ import annotations

import datetime
import json
import re
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext_noop

from regdesk.calendars.messages import bilingual
from regdesk.calendars.services import workdays_add, workdays_between
from regdesk.rules.workdays import CalendarRangeError

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
_INTEGER = re.compile(r"[+-]?\d+", re.ASCII)
# Far beyond any date Python represents (9999-12-31), so that no huge number reaches the arithmetic.
_MAX_DIGITS = 12


def _date(text: str, what: str) -> datetime.date:
    if _DATE.fullmatch(text):
        try:
            return datetime.date.fromisoformat(text)
        except ValueError:
            pass
    message = gettext_noop("%(what)s: “%(text)s” is not a valid date (YYYY-MM-DD)")
    raise CommandError(bilingual(message, {"what": what, "text": text[:40]}), returncode=2)


def _integer(text: str, what: str) -> int:
    if not _INTEGER.fullmatch(text):
        message = gettext_noop("%(what)s: “%(text)s” is not a whole number")
        raise CommandError(bilingual(message, {"what": what, "text": text[:40]}), returncode=2)
    if len(text.lstrip("+-")) > _MAX_DIGITS:
        message = gettext_noop("%(what)s: “%(text)s” is out of range")
        raise CommandError(bilingual(message, {"what": what, "text": text[:40]}), returncode=2)
    return int(text)


class Command(BaseCommand):
    help = "Working-day arithmetic over the Chinese calendar (public holidays and make-up working days)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True)
        adder = commands.add_parser("add", help="The N-th working day after DATE (DATE itself never counts).")
        adder.add_argument("date", metavar="DATE")
        adder.add_argument("n", metavar="N")
        counter = commands.add_parser("between", help="Working days in (A, B]; negative when B is before A.")
        counter.add_argument("start", metavar="A")
        counter.add_argument("end", metavar="B")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["subcommand"] == "add":
                result = workdays_add(_date(options["date"], "DATE"), _integer(options["n"], "N"))
                payload: dict[str, object] = {"date": result.date.isoformat(), "provisional": result.provisional}
            else:
                counted = workdays_between(_date(options["start"], "A"), _date(options["end"], "B"))
                payload = {"working_days": counted.working_days, "provisional": counted.provisional}
        except CalendarRangeError as error:
            message = gettext_noop("the result lies outside the supported dates (0001-01-01 to 9999-12-31)")
            raise CommandError(bilingual(message), returncode=2) from error
        self.stdout.write(json.dumps(payload))
