"""``regdesk readers enrol --device ID [--keys-dir DIR] | --public-key KEY --outlet CODE``, ``regdesk readers list
[--outlet CODE]`` and ``regdesk readers deactivate DEVICE --reason TEXT``: ID-card readers on the server's side.

``enrol --device`` registers a reader made by ``regdesk reader-sim enrol`` (its details are read from the keys
directory; the private key is not touched). Run from the command line, the system enrols (``actor=None``), as the
set-up of an installation does.
"""

from __future__ import annotations

import json
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from regdesk.accounts.models import OrgUnit
from regdesk.simulators.card_reader import keys_dir_default
from regdesk.subscribers.models import CardReader
from regdesk.subscribers.services import RegistrationRefused, reader_deactivate, reader_enrol


class Command(BaseCommand):
    help = "Enrol, list and deactivate ID-card readers."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, parser_class=ArgumentParser)
        enrol = actions.add_parser("enrol", help="Enrol a reader at an outlet.")
        enrol.add_argument("--device", help="a device made by `regdesk reader-sim enrol`")
        enrol.add_argument("--keys-dir", type=Path, default=None)
        enrol.add_argument("--public-key", help="the reader's Ed25519 public key (base64)")
        enrol.add_argument("--outlet", help="the outlet's code (default: the one the device was made for)")
        enrol.add_argument("--label", default="")
        listing = actions.add_parser("list", help="List readers.")
        listing.add_argument("--outlet")
        deactivate = actions.add_parser("deactivate", help="Take a reader out of service.")
        deactivate.add_argument("device")
        deactivate.add_argument("--reason", required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "enrol":
            self._enrol(options)
        elif options["action"] == "list":
            self._list(options["outlet"])
        else:
            self._deactivate(options["device"], options["reason"])

    def _enrol(self, options: dict[str, Any]) -> None:
        public_key, outlet_code, device_id = options["public_key"], options["outlet"], ""
        if options["device"]:
            keys_dir: Path = options["keys_dir"] or keys_dir_default()
            try:
                details = json.loads((keys_dir / f"{Path(options['device']).name}.json").read_text(encoding="utf-8"))
            except (OSError, ValueError):
                raise CommandError(f"no device {options['device']!r} under {keys_dir}", returncode=2) from None
            public_key, device_id = details["public_key"], details["device_id"]
            outlet_code = outlet_code or details.get("outlet")
        if not public_key or not outlet_code:
            raise CommandError("give --device, or --public-key and --outlet", returncode=2)
        outlet = OrgUnit.objects.filter(code=outlet_code).first()
        if outlet is None:
            raise CommandError(f"unknown outlet {outlet_code!r}", returncode=2)
        try:
            reader = reader_enrol(
                actor=None, outlet=outlet, public_key=public_key, device_id=device_id, label=options["label"]
            )
        except RegistrationRefused as refused:
            raise CommandError(f"{refused.code}: {refused.message}", returncode=1) from None
        self.stdout.write(f"{reader.device_id} enrolled at {outlet.code}")

    def _list(self, outlet_code: str | None) -> None:
        readers = CardReader.objects.select_related("outlet").order_by("outlet__code", "device_id")
        if outlet_code:
            readers = readers.filter(outlet__code=outlet_code)
        for reader in readers:
            state = "active" if reader.active else "inactive"
            self.stdout.write(f"{reader.device_id}  {reader.outlet.code}  {state}  {reader.label}".rstrip())

    def _deactivate(self, device_id: str, reason: str) -> None:
        reader = CardReader.objects.filter(device_id=device_id).first()
        if reader is None:
            raise CommandError(f"unknown reader {device_id!r}", returncode=2)
        try:
            reader_deactivate(actor=None, reader=reader, reason=reason)
        except RegistrationRefused as refused:
            raise CommandError(f"{refused.code}: {refused.message}", returncode=1) from None
        self.stdout.write(f"{reader.device_id} deactivated")
