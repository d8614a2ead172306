"""``regdesk id check [--type TYPE] [--today YYYY-MM-DD] NUMBER``: validate one number and print the result as JSON.

Exit status: 0 valid, 1 invalid, 2 usage error (unknown type, missing number, bad date).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Sequence

from regdesk.rules.identity.validators import AUTO, DOCUMENT_TYPES, validate


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date in the form YYYY-MM-DD: {text!r}") from None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="regdesk id", description="Identity documents and organisation codes")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser(
        "check", help="validate one number", description="Validate one number and print the result as JSON."
    )
    check.add_argument(
        "--type",
        dest="document_type",
        default=AUTO,
        choices=DOCUMENT_TYPES,
        metavar="TYPE",
        help=f"document type, one of: {', '.join(DOCUMENT_TYPES)} (default: {AUTO})",
    )
    check.add_argument("--today", type=_date, default=None, help="the date to check against (YYYY-MM-DD)")
    check.add_argument("number", nargs="+", help="the number; several words are joined with a space")
    return parser


def main(argv: Sequence[str]) -> int:
    try:
        arguments = _parser().parse_args(list(argv))
    except SystemExit as exit_request:
        # argparse has printed the usage and the reason to stderr; it exits 0 only after --help.
        return 2 if exit_request.code not in (0, None) else 0
    number = " ".join(arguments.number)
    if not number.strip():
        sys.stderr.write("regdesk id check: error: the number is empty\n")
        return 2
    result = validate(arguments.document_type, number, today=arguments.today)
    sys.stdout.write(json.dumps(result.to_json(), ensure_ascii=False, indent=2) + "\n")
    return 0 if result.valid else 1
