"""The daily housekeeping names commands that exist, with sub-commands their parsers accept."""

from __future__ import annotations

import pytest
from django.core.management import get_commands, load_command_class

from regdesk.daily import DAILY_COMMANDS


@pytest.mark.parametrize("command", DAILY_COMMANDS, ids=" ".join)
def test_daily_command_exists(command: tuple[str, ...]) -> None:
    name, *arguments = command
    app = get_commands()[name]
    parser = load_command_class(app, name).create_parser("regdesk", name)
    parser.parse_args(arguments)
