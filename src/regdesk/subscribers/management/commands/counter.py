"""``regdesk counter benchmark [--rounds N] [--outlet CODE] [--clerk USERNAME] [--keys-dir DIR]``: where the time
of a counter registration goes, on the data at hand (the demo's outlets, readers and clerks).

Each round walks one registration through the counter's pages, in this process, as a clerk's browser would: the
reader agent's reading, the identity capture, the checks (identity service and face match over their real
addresses), the page after them, the completion, the page after it and the printed form. Beside them, measured in
the same run: a bare request to the same pages (the login page), the outside systems alone (one identity check and
one face match through the gateways) and the cryptography alone (sealing and opening a photo in the vault, verifying
a reader's signature). Everything the rounds write is rolled back at the end; the outside systems keep their
answers. A development tool: refused in production mode. Prints median and slowest time per step, in
milliseconds.
"""

from __future__ import annotations

import io
import json
import secrets
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from regdesk.accounts.login_state import LAST_ACTIVITY_KEY, SECOND_FACTOR_KEY
from regdesk.accounts.models import OrgUnit, User
from regdesk.gateways.face_match import get_face_match_gateway
from regdesk.gateways.identity import get_identity_check_gateway
from regdesk.privacy.crypto import decrypt_bytes, encrypt_bytes
from regdesk.simulators import card_reader as reader_simulator
from regdesk.subscribers import config, readers
from regdesk.subscribers.models import CardReader, Registration

HOST = "127.0.0.1"


class _Rollback(Exception):
    """Raised at the end of the rounds so that nothing they wrote stays."""


class Command(BaseCommand):
    help = "Measure where the time of a counter registration goes (development tool)."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        benchmark = actions.add_parser("benchmark", help="time each step of a registration at the counter")
        benchmark.add_argument("--rounds", type=int, default=5)
        benchmark.add_argument("--outlet", default="", help="an outlet with an enrolled reader whose key is here")
        benchmark.add_argument("--clerk", default="", help="a counter clerk of the outlet")
        benchmark.add_argument("--keys-dir", type=Path, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        if config.production():
            raise CommandError(
                "the counter benchmark is a development tool; it does not run in production", returncode=2
            )
        rounds = max(1, min(int(options["rounds"]), 50))
        keys_dir: Path = options["keys_dir"] or reader_simulator.keys_dir_default()
        reader, key, clerk = self._counter(options["outlet"], options["clerk"], keys_dir)
        timings: dict[str, list[float]] = {}

        def timed(step: str, action: Callable[[], Any]) -> Any:
            start = time.perf_counter()
            result = action()
            timings.setdefault(step, []).append((time.perf_counter() - start) * 1000)
            return result

        client = Client(HTTP_HOST=HOST)
        client.force_login(clerk)
        session = client.session
        session[SECOND_FACTOR_KEY] = session[LAST_ACTIVITY_KEY] = int(timezone.now().timestamp())
        session.save()
        # The reader at this "counter", as a clerk chooses it where an outlet has several.
        client.post(
            reverse("subscribers_counter:reader_choose", args=[reader.outlet.code]), {"device_id": reader.device_id}
        )
        self._baselines(client, key, reader, timed)
        try:
            with transaction.atomic():
                for index in range(rounds):
                    self._round(client, reader, key, index, timed)
                raise _Rollback
        except _Rollback:
            pass
        self._report(timings, rounds)

    def _counter(self, outlet_code: str, username: str, keys_dir: Path) -> tuple[CardReader, Any, User]:
        """The first active reader (of ``outlet_code``) whose key is here, at an outlet with a counter clerk."""
        candidates = CardReader.objects.filter(active=True).select_related("outlet").order_by("outlet__code")
        if outlet_code:
            candidates = candidates.filter(outlet__code=outlet_code)
        for reader in candidates:
            try:
                _details, key = reader_simulator.load_device(keys_dir, reader.device_id)
            except (OSError, ValueError):
                continue
            clerk = self._clerk(reader.outlet, username)
            if clerk is not None:
                return reader, key, clerk
        raise CommandError(
            f"no active reader with its key under {keys_dir} at an outlet with a counter clerk "
            "(run `regdesk demo load`, or give --outlet and --clerk)",
            returncode=2,
        )

    def _clerk(self, outlet: OrgUnit, username: str) -> User | None:
        users = User.objects.filter(memberships__unit=outlet, memberships__role="counter_clerk", is_active=True)
        if username:
            users = User.objects.filter(username=username, is_active=True)
        return users.order_by("username").first()

    def _baselines(self, client: Client, key: Any, reader: CardReader, timed: Callable[..., Any]) -> None:
        person = self._people()[0]
        card = reader_simulator.card_of(person)
        photo = reader_simulator.face_photo(card["face_id"], camera=True)
        id_photo = reader_simulator.face_photo(card["face_id"])
        signed = reader_simulator.build_reading(card, device_id=reader.device_id, private_key=key)
        parsed, signature = readers.parse_signed_reading(signed)
        for _ in range(3):
            timed("baseline: a bare request (login page)", lambda: client.get(reverse("accounts:login")))
            timed(
                "baseline: vault seal + open of a photo",
                lambda: decrypt_bytes(encrypt_bytes(photo, associated_data=b"benchmark"), associated_data=b"benchmark"),
            )
            timed(
                "baseline: reader signature check",
                lambda: readers.signature_valid(parsed, signature, reader.public_key),
            )
            timed(
                "baseline: identity service alone",
                lambda: get_identity_check_gateway().verify(
                    name=card["name"],
                    id_number=card["id_number"],
                    photo=photo,
                    idempotency_key=f"benchmark-{secrets.token_hex(8)}",
                ),
            )
            timed(
                "baseline: face match alone",
                lambda: get_face_match_gateway().compare(
                    live_photo=photo, id_photo=id_photo, idempotency_key=f"benchmark-{secrets.token_hex(8)}"
                ),
            )

    def _people(self) -> list[dict[str, Any]]:
        return [
            person
            for person in reader_simulator.sample_people()
            if person.get("status") == "valid" and not person.get("photo_never_matches") and "·" not in person["name"]
        ]

    def _round(self, client: Client, reader: CardReader, key: Any, index: int, timed: Callable[..., Any]) -> None:
        outlet = reader.outlet
        person = self._people()[100 + index]
        card = reader_simulator.card_of(person)
        number = f"1990000{index:04d}"
        response = client.post(
            reverse("subscribers_counter:start", args=[outlet.code]),
            {"service": "open_mobile", "number": number, "payment": "prepaid"},
        )
        if response.status_code != 302:
            raise CommandError(f"the registration did not start ({response.status_code})", returncode=1)
        pages = response["Location"]
        document = reader_simulator.build_reading(card, device_id=reader.device_id, private_key=key)
        timed(
            "1 reading sent by the reader agent",
            lambda: client.post(
                reverse("subscribers_counter:agent_readings"), json.dumps(document), content_type="application/json"
            ),
        )
        wait = f"{pages}readings/subscriber/wait?since={int(time.time())}"
        timed("2 reading taken by the page", lambda: client.post(wait))
        timed(
            "3 identity capture",
            lambda: client.post(
                pages + "identity",
                {
                    "subscriber_kind": "individual",
                    "acting_party": "subscriber",
                    "subscriber_source": "reading",
                    "representative_source": "reading",
                },
            ),
        )
        photo = io.BytesIO(reader_simulator.face_photo(card["face_id"], camera=True))
        photo.name = "camera.jpg"
        timed("4 checks (verification)", lambda: client.post(pages + "checks", {"live_photo": photo}))
        timed("5 page after the checks", lambda: client.get(pages))
        timed("6 completion", lambda: client.post(pages + "completion"))
        timed("7 page after the completion", lambda: client.get(pages))
        timed("8 printed form (PDF)", lambda: client.get(pages + "form.pdf"))
        state = Registration.objects.get(pk=int(pages.rstrip("/").rsplit("/", 1)[1])).case
        if state is None or state.state != "registered":
            raise CommandError(
                f"round {index + 1} ended in {state.state if state else '?'}: are the simulators running?", returncode=1
            )

    def _report(self, timings: dict[str, list[float]], rounds: int) -> None:
        self.stdout.write(f"counter benchmark: {rounds} registration(s); milliseconds (median / slowest)")
        width = max(len(step) for step in timings)
        for step in sorted(timings, key=lambda name: (not name.startswith("baseline"), name)):
            values = timings[step]
            self.stdout.write(f"  {step:<{width}}  {statistics.median(values):8.1f}  {max(values):8.1f}")
