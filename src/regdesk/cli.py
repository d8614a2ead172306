"""The ``regdesk`` console command.

Pure tools over ``regdesk.rules`` (``id``, ``divisions``) run without Django; ``run`` starts the whole system;
every other word is a Django management command (``migrate``, ``worker``, ``workdays``, ``audit``, ``vault``,
``token``, ``demo`` ...).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from importlib import import_module

# Subcommands with their own argument parsing (the pure ones need no database):
# word -> "module:function" taking argv and returning an exit code.
PURE_COMMANDS: dict[str, str] = {
    "id": "regdesk.rules.identity.cli:main",
    "divisions": "regdesk.rules.divisions_cli:main",
    "demo": "regdesk.demo:main",
    "simulators": "regdesk.simulators.__main__:main",
    "reader-sim": "regdesk.simulators.card_reader:main",
    "reader-agent": "regdesk.subscribers.counter.reader_agent:main",
}


def _load(target: str) -> Callable[[Sequence[str]], int]:
    module_name, function_name = target.split(":")
    function: Callable[[Sequence[str]], int] = getattr(import_module(module_name), function_name)
    return function


# sysexits' EX_CONFIG: the configuration is wrong; starting again changes nothing (systemd units do not restart
# on it, see deploy/).
EXIT_CONFIGURATION = 78


def main(argv: Sequence[str] | None = None) -> int:
    from django.core.exceptions import ImproperlyConfigured

    try:
        return _dispatch(list(sys.argv[1:] if argv is None else argv))
    except ImproperlyConfigured as error:
        # A refusal to start (a weak secret, a key file others can read ...) is a message, not a traceback.
        print(f"regdesk: configuration refused / 配置不符合要求: {error}", file=sys.stderr)
        return EXIT_CONFIGURATION


def _dispatch(args: list[str]) -> int:
    if args and args[0] in PURE_COMMANDS:
        return _load(PURE_COMMANDS[args[0]])(args[1:])
    if args and args[0] == "run":
        from regdesk.runner import main as run_main

        return run_main(args[1:])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "regdesk.config.settings")
    import django
    from django.core.management import execute_from_command_line, get_commands

    if args and not args[0].startswith("-") and args[0] != "help":
        django.setup()
    if args and not args[0].startswith("-") and args[0] != "help" and args[0] not in get_commands():
        # Django's dispatcher answers 1 here; an unknown word is a usage error like every other one.
        print(f"Unknown command: {args[0]!r}. Type 'regdesk help' for usage.", file=sys.stderr)
        return 2
    execute_from_command_line(["regdesk", *args])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
