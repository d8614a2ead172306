"""Demo data: ``regdesk demo load`` (idempotent), ``regdesk demo logins`` and ``regdesk demo totp USERNAME``.

Demo passwords and TOTP secrets are generated on the first load and kept only in ``var/demo-credentials.json``
(mode 0600) beside the database they belong to: the repository holds no credentials.

Production mode (``REGDESK_ENV=production``) refuses every demo command: demo accounts with printable passwords
and second factors have no place in a provider's database.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence

PRODUCTION_REFUSAL = (
    "regdesk demo: refused in production mode (REGDESK_ENV=production); demo data belongs to development only\n"
    "regdesk demo：生产模式（REGDESK_ENV=production）下拒绝执行；演示数据只用于开发环境"
)


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="regdesk demo", description="Demo data for regdesk.")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("load", help="load the demo data (idempotent)")
    commands.add_parser("logins", help="list the demo accounts and their passwords")
    totp_parser = commands.add_parser("totp", help="print the current TOTP code of a demo account")
    totp_parser.add_argument("username")
    try:
        options = parser.parse_args(list(argv))
    except SystemExit as exit_:
        return 2 if exit_.code else 0

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "regdesk.config.settings")
    import django

    django.setup()
    from django.conf import settings

    from regdesk.demo.credentials import CredentialsFileError

    if settings.PRODUCTION:
        print(PRODUCTION_REFUSAL, file=sys.stderr)
        return 2

    try:
        return _run(options)
    except CredentialsFileError as error:
        print(f"{error} (run `regdesk demo load` to write it again)", file=sys.stderr)
        return 2


def _run(options: argparse.Namespace) -> int:
    from regdesk.demo import credentials, loader

    if options.command == "load":
        summary = loader.load_all()
        print(json.dumps(summary, ensure_ascii=False))
        return 0
    if options.command == "logins":
        print(credentials.logins_text())
        return 0
    code = credentials.current_totp_code(options.username)
    if code is None:
        print(f"{options.username}: not a demo account with a second factor", file=sys.stderr)
        return 2
    print(code)
    return 0
