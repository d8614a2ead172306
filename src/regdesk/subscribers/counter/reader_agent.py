"""``regdesk reader-agent``: the desktop reader agent a counter's computer runs beside its ID-card reader.

It takes each reading from the reader (the device is a port, ``CardReaderDevice``) and posts the signed reading,
unchanged, to the server, which keeps it for the clerk at that reader's counter; the clerk's registration page shows
it by itself (``regdesk.subscribers.counter.agent``). The clerk never sees, pastes or types the JSON::

    regdesk reader-agent --server https://regdesk.example --device rd-0123456789abcdef
    regdesk reader-agent --server http://127.0.0.1:8000 --device rd-0123456789abcdef --sample 3

The agent needs no database, no account and no Django: the device's Ed25519 signature over each reading is its
authentication (the reader is enrolled with its public key, ``regdesk readers enrol``). A real reader's driver is an
adapter of ``CardReaderDevice``; the one shipped here is the reader simulator (``regdesk reader-sim``), whose
device keys are kept under ``$REGDESK_VAR_DIR/readers``. With ``--sample`` it reads those sample cardholders and
stops; without it, it reads one card for every line of standard input (a sample number, or a JSON file with the
card's data), as a card laid on the reader.

Exit status: 0 when every reading was taken, 1 when the server refused one, 2 for a usage error or a server that
cannot be reached.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from regdesk.simulators import card_reader as reader_simulator

READINGS_PATH = "/desk/subscribers/counter/reader-agent/readings"
TIMEOUT_SECONDS = 10.0
ATTEMPTS = 3
BACKOFF_SECONDS = 0.5


class CardReaderDevice(Protocol):
    """The ID-card reader (二代身份证阅读器): each card laid on it gives one signed reading (``regdesk-reader/1``)."""

    device_id: str

    def readings(self) -> Iterator[dict[str, Any]]:
        """The signed readings, one per card, as the cards are read; ends when the device is closed."""
        ...


class SimulatedCardReader:
    """The reader simulator as the device: reads the cards named in ``cards`` (a sample number, or the path of a
    JSON file with the card's data) and signs them with the device key kept under ``keys_dir``."""

    def __init__(self, *, keys_dir: Path, device_id: str, cards: Iterable[str]) -> None:
        details, self._key = reader_simulator.load_device(keys_dir, device_id)
        self.device_id = details["device_id"]
        self._cards = cards

    def _person(self, card: str) -> dict[str, Any]:
        if card.isdigit():
            people = reader_simulator.sample_people()
            index = int(card)
            if index >= len(people):
                raise ValueError(f"there are {len(people)} sample cardholders")
            return people[index]
        person: dict[str, Any] = json.loads(Path(card).read_text(encoding="utf-8"))
        return person

    def readings(self) -> Iterator[dict[str, Any]]:
        for line in self._cards:
            card = line.strip()
            if not card:
                continue
            yield reader_simulator.build_reading(
                reader_simulator.card_of(self._person(card)), device_id=self.device_id, private_key=self._key
            )


@dataclass(frozen=True)
class Delivery:
    """The server's answer to one reading: ``taken`` with the reading's id, or the refusal's code and message."""

    taken: bool
    reading_id: int | None = None
    code: str = ""
    message: str = ""
    transient: bool = False


class ReaderAgent:
    """Posts the readings of one device to the server."""

    def __init__(
        self,
        *,
        server: str,
        device: CardReaderDevice,
        timeout_seconds: float = TIMEOUT_SECONDS,
        attempts: int = ATTEMPTS,
        backoff_seconds: float = BACKOFF_SECONDS,
    ) -> None:
        if not server.startswith(("http://", "https://")):
            raise ValueError("the server's address must be http:// or https://")
        self.url = server.rstrip("/") + READINGS_PATH
        self.device = device
        self.timeout_seconds = timeout_seconds
        self.attempts = max(1, attempts)
        self.backoff_seconds = backoff_seconds

    def deliver(self, document: dict[str, Any]) -> Delivery:
        """Post one signed reading; a server that cannot be reached or answers 5xx is tried again (a reading is
        taken once: its nonce makes a repeat a refusal, never a second reading)."""
        body = json.dumps(document, ensure_ascii=False).encode("utf-8")
        delivery = Delivery(taken=False, code="unreachable", message="the server cannot be reached", transient=True)
        for attempt in range(self.attempts):
            if attempt:
                time.sleep(self.backoff_seconds * 2 ** (attempt - 1))
            delivery = self._post(body)
            if not delivery.transient:
                return delivery
        return delivery

    def _post(self, body: bytes) -> Delivery:
        request = urllib.request.Request(  # noqa: S310 - the scheme is checked in __init__
            self.url,
            data=body,
            method="POST",
            headers={"Content-Type": "application/json", "Accept": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout_seconds) as response:  # noqa: S310
                answer = json.loads(response.read().decode("utf-8"))
            return Delivery(taken=True, reading_id=int(answer["reading"]["id"]))
        except urllib.error.HTTPError as error:
            try:
                problem = json.loads(error.read().decode("utf-8"))["error"]
                code, message = str(problem["code"]), str(problem["message"])
            except (ValueError, KeyError, TypeError):
                code, message = f"http_{error.code}", "the server refused the reading"
            return Delivery(taken=False, code=code, message=message, transient=error.code >= 500)
        except (urllib.error.URLError, TimeoutError, OSError, ValueError, KeyError, TypeError):
            return Delivery(taken=False, code="unreachable", message="the server cannot be reached", transient=True)

    def run(self) -> int:
        """Deliver every reading of the device; the exit status (see the module's documentation)."""
        status = 0
        for document in self.device.readings():
            delivery = self.deliver(document)
            if delivery.taken:
                _say(f"reading {delivery.reading_id} sent for {self.device.device_id} / 读卡数据已发送")
                continue
            _complain(f"reader-agent: {delivery.code}: {delivery.message}")
            if delivery.transient:
                return 2
            status = 1
        return status


def _say(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def _complain(text: str) -> None:
    sys.stderr.write(text + "\n")
    sys.stderr.flush()


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="regdesk reader-agent", description="Sends each reading of the counter's ID-card reader to regdesk."
    )
    parser.add_argument("--server", required=True, help="regdesk's address, e.g. https://regdesk.example")
    parser.add_argument("--device", required=True, help="the reader's device id (rd-...)")
    parser.add_argument("--keys-dir", type=Path, default=None, help="where the simulated reader's keys are kept")
    parser.add_argument(
        "--sample", action="append", default=None, help="read this sample cardholder and stop (repeatable)"
    )
    parser.add_argument("--timeout", type=float, default=TIMEOUT_SECONDS, help="seconds to wait for the server")
    try:
        options = parser.parse_args(list(argv))
    except SystemExit as exit_:
        return 2 if exit_.code else 0
    keys_dir: Path = options.keys_dir or reader_simulator.keys_dir_default()
    cards: Iterable[str] = options.sample if options.sample is not None else sys.stdin
    try:
        device = SimulatedCardReader(keys_dir=keys_dir, device_id=options.device, cards=cards)
        agent = ReaderAgent(server=options.server, device=device, timeout_seconds=options.timeout)
    except (OSError, ValueError):
        _complain(f"reader-agent: no device {options.device!r} under {keys_dir}, or the server's address is wrong")
        return 2
    try:
        return agent.run()
    except (OSError, ValueError, KeyError) as error:
        _complain(f"reader-agent: cannot read the card: {type(error).__name__}")
        return 2
