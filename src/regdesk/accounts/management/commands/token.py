"""``regdesk token create USERNAME [--name NAME] [--days N]`` and ``regdesk token revoke PREFIX``.

``create`` prints the new token as its only line of output: it is shown once and stored only as a hash.
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from regdesk.accounts.errors import AccountsError
from regdesk.accounts.models import ApiToken, User
from regdesk.accounts.services import TOKEN_MARKER, api_token_create, api_token_revoke


class Command(BaseCommand):
    help = "Create or revoke API tokens."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, parser_class=ArgumentParser)
        create = actions.add_parser("create", help="Issue a token for USERNAME and print it (only output line).")
        create.add_argument("username")
        create.add_argument("--name", default="cli", help="A label shown in listings (default: cli).")
        create.add_argument("--days", type=int, default=None, help="Validity in days (default: no expiry).")
        revoke = actions.add_parser("revoke", help="Revoke the token with this prefix (or the whole token).")
        revoke.add_argument("prefix")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "create":
            self._create(options["username"], options["name"], options["days"])
        else:
            self._revoke(options["prefix"])

    def _create(self, username: str, name: str, days: int | None) -> None:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"unknown user: {username!r}", returncode=2)
        try:
            _token, plain = api_token_create(actor=None, user=user, name=name, days=days)
        except AccountsError as error:
            raise CommandError(f"{error.code}: {error.message}", returncode=2) from None
        self.stdout.write(plain)

    def _revoke(self, prefix: str) -> None:
        prefix = prefix.strip()
        if prefix.startswith(f"{TOKEN_MARKER}_"):
            # A whole token was pasted: its prefix is the part between the marker and the secret.
            prefix = prefix.split("_", 2)[1]
        token = ApiToken.objects.filter(prefix=prefix).first()
        if token is None:
            raise CommandError(f"no token with prefix {prefix!r}", returncode=2)
        api_token_revoke(actor=None, token=token)
        self.stdout.write(f"revoked {token.prefix}")
