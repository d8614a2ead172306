"""``regdesk reader-sim``: plays an enrolled second-generation ID-card reader (二代身份证阅读器) at a desk.

A development and test tool; needs no database::

    regdesk reader-sim enrol --outlet bj-chaoyang-hall     # a new device key; prints device id and public key
    regdesk readers enrol --device rd-0123456789abcdef      # (Django command) register it at the outlet
    regdesk reader-sim people                               # the sample cardholders
    regdesk reader-sim read --device rd-0123456789abcdef --sample 3 > reading.json
    regdesk reader-sim photo --sample 3 --output live.jpg   # a "camera" photo of the same person

``enrol`` keeps the private key in ``<keys dir>/<device>.key`` (mode 0600, PEM) and the device's details in
``<device>.json``; the keys directory is ``$REGDESK_VAR_DIR/readers`` (``var/readers`` by default). ``read``
prints a reading signed with the device key, in the reader's format (``regdesk-reader/1``).

Like every simulator, this is the outside world: it imports only ``regdesk.rules``. The reading format and the card
validity rule are written here as the device and the issuing authority have them, not taken from the server's code
(``regdesk.subscribers.readers`` verifies the same format on its own), so that a mistake on one side cannot hide
behind the same mistake on the other.

The sample cardholders are the synthetic population of the identity check simulator
(``regdesk/simulators/data/identity-people.json``), so that their readings pass its checks; the data file is read
as a file, no simulator code is imported. What the data set does not hold (address, ethnicity, issuing authority,
validity, photo) is derived from the number deterministically. Photos carry the mark ``regdesk-face:<face id>``
that the face-match simulator reads: an ID photo and a camera photo of the same person match, of two people do not.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import hashlib
import io
import json
import os
import secrets
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from PIL import Image, ImageDraw

from regdesk.rules import divisions

CHINA = ZoneInfo("Asia/Shanghai")
PEOPLE_FILE = Path(__file__).resolve().parent / "data" / "identity-people.json"
FACE_MARK = "regdesk-face"
STREETS = ("人民路", "解放路", "建设路", "中山路", "和平街", "新华街", "文化路", "胜利路", "长江路", "光明街")
SEX_ON_CARD = {"male": "男", "female": "女"}
# The size of the photo on a second-generation card, in pixels.
ID_PHOTO_SIZE = (102, 126)
CAMERA_PHOTO_SIZE = (360, 450)


# The signed reading format of the desk's readers: {"format", "reading", "signature"}, the signature an Ed25519
# signature of the canonical reading (JSON, sorted keys, no spaces, UTF-8); the device id derives from the public key.
READING_FORMAT = "regdesk-reader/1"
DEVICE_PREFIX = "rd-"
CARD_FIELDS = (
    "name",
    "sex",
    "ethnicity",
    "birth_date",
    "address",
    "id_number",
    "issuing_authority",
    "valid_from",
    "valid_until",
    "photo",
)
LONG_TERM = "long_term"


def public_key_text(public_key: Ed25519PublicKey) -> str:
    """The raw 32-byte public key in base64, as the reader shows it for enrolment."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode("ascii")


def device_id_for(public_key_base64: str) -> str:
    """``rd-`` and the first 16 hex digits of the SHA-256 of the raw public key."""
    raw = base64.b64decode(public_key_base64, validate=True)
    return DEVICE_PREFIX + hashlib.sha256(raw).hexdigest()[:16]


def sign_reading(reading: Mapping[str, Any], private_key: Ed25519PrivateKey) -> dict[str, Any]:
    """The signed reading document, as the reader sends it."""
    canonical = json.dumps(dict(reading), sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    signature = private_key.sign(canonical)
    return {
        "format": READING_FORMAT,
        "reading": dict(reading),
        "signature": base64.b64encode(signature).decode("ascii"),
    }


def card_validity_years(age_at_issue: int) -> int | None:
    """Years a second-generation resident ID card is valid, by the holder's age when it is issued; ``None`` is
    long-term (长期). Resident Identity Card Law art. 5: under 16: 5 years; 16-25: 10; 26-45: 20; 46 and over:
    long-term."""
    if age_at_issue < 16:
        return 5
    if age_at_issue <= 25:
        return 10
    if age_at_issue <= 45:
        return 20
    return None


def keys_dir_default() -> Path:
    var_dir = os.environ.get("REGDESK_VAR_DIR")
    return (Path(var_dir) if var_dir else Path.cwd() / "var") / "readers"


def _number(seed: str, modulo: int) -> int:
    return int.from_bytes(hashlib.sha256(seed.encode("utf-8")).digest()[:4], "big") % modulo


def sample_people(path: Path = PEOPLE_FILE) -> list[dict[str, Any]]:
    """The synthetic cardholders, in the data set's order."""
    people: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))["people"]
    return people


def _authority(region: Mapping[str, Any] | None) -> str:
    if region is None:
        return "公安局"
    county = (region.get("county") or {}).get("name") or region["name"]
    above = (region.get("city") or region.get("province") or {}).get("name", "")
    if county.endswith("区") and above:
        return f"{above}公安局{county[:-1]}分局"
    return f"{county}公安局"


def _address(number: str, region: Mapping[str, Any] | None) -> str:
    parts = []
    if region is not None:
        for level in ("province", "city", "county"):
            name = (region.get(level) or {}).get("name")
            if name and name not in parts:
                parts.append(name)
    street = STREETS[_number(number + ":street", len(STREETS))]
    return "".join(parts) + f"{street}{_number(number + ':house', 300) + 1}号"


def _validity(number: str, birth: dt.date, today: dt.date) -> tuple[str, str]:
    """A card issued within the last four years, valid for as long as the holder's age at issue allows."""
    issued = today - dt.timedelta(days=_number(number + ":issued", 4 * 365))
    issued = max(issued, birth)
    age = issued.year - birth.year - ((issued.month, issued.day) < (birth.month, birth.day))
    years = card_validity_years(age)
    if years is None:
        return issued.isoformat(), LONG_TERM
    try:
        until = issued.replace(year=issued.year + years)
    except ValueError:  # 29 February
        until = issued.replace(year=issued.year + years, day=28)
    return issued.isoformat(), until.isoformat()


def card_of(person: Mapping[str, Any], *, today: dt.date | None = None) -> dict[str, Any]:
    """The card data of a person of the data set (or of a person file), derived where the data set is silent."""
    today = today or dt.datetime.now(CHINA).date()
    number = str(person["id_number"]).strip().upper()
    birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    region = divisions.region_details(number[:6])
    valid_from, valid_until = _validity(number, birth, today)
    sex = person.get("sex") or ("male" if int(number[16]) % 2 else "female")
    return {
        "name": str(person["name"]),
        "sex": SEX_ON_CARD.get(sex, sex),
        "ethnicity": person.get("ethnicity") or ("维吾尔" if "·" in str(person["name"]) else "汉"),
        "birth_date": birth.isoformat(),
        "address": person.get("address") or _address(number, region),
        "id_number": number,
        "issuing_authority": person.get("issuing_authority") or _authority(region),
        "valid_from": person.get("valid_from") or valid_from,
        "valid_until": person.get("valid_until") or valid_until,
        "face_id": str(person.get("face_id") or f"face-{number[-6:]}"),
    }


def face_photo(face_id: str, *, camera: bool = False) -> bytes:
    """A synthetic portrait of ``face_id`` as a JPEG, marked with the face id in a JPEG comment.

    The ID photo is small on a white background; the camera photo is larger, on a grey background, and shifted a
    little, as a photo taken at the counter would be.
    """
    palette = hashlib.sha256(face_id.encode("utf-8")).digest()
    width, height = CAMERA_PHOTO_SIZE if camera else ID_PHOTO_SIZE
    background = (200, 204, 210) if camera else (250, 250, 250)
    image = Image.new("RGB", (width, height), background)
    draw = ImageDraw.Draw(image)
    shift = width // 30 if camera else 0
    skin = (200 + palette[0] % 40, 160 + palette[1] % 50, 120 + palette[2] % 50)
    hair = (palette[3] % 80, palette[4] % 60, palette[5] % 50)
    cx, cy = width // 2 + shift, height * 45 // 100
    head_w, head_h = width * (28 + palette[6] % 8) // 100, height * (30 + palette[7] % 6) // 100
    draw.rectangle((cx - width // 3, cy + head_h, cx + width // 3, height), fill=(40 + palette[8] % 100, 50, 90))
    draw.ellipse((cx - head_w, cy - head_h, cx + head_w, cy + head_h), fill=skin)
    draw.chord((cx - head_w, cy - head_h - height // 30, cx + head_w, cy), 180, 360, fill=hair)
    eye_y = cy - head_h // 6
    eye_dx = head_w * (35 + palette[9] % 15) // 100
    eye_r = max(2, width // 50)
    for eye_x in (cx - eye_dx, cx + eye_dx):
        draw.ellipse((eye_x - eye_r, eye_y - eye_r, eye_x + eye_r, eye_y + eye_r), fill=(30, 30, 30))
    mouth_y = cy + head_h // 2
    mouth_w = head_w * (30 + palette[10] % 20) // 100
    draw.line((cx - mouth_w, mouth_y, cx + mouth_w, mouth_y), fill=(150, 60, 60), width=max(1, width // 60))
    output = io.BytesIO()
    image.save(output, format="JPEG", quality=85, comment=f"{FACE_MARK}:{face_id}".encode())
    return output.getvalue()


def build_reading(
    card: Mapping[str, Any],
    *,
    device_id: str,
    private_key: Ed25519PrivateKey,
    read_at: dt.datetime | None = None,
    nonce: str | None = None,
    photo: bytes | None = None,
) -> dict[str, Any]:
    """The signed reading of ``card`` (from ``card_of``) by the device."""
    reading = {name: str(card[name]) for name in CARD_FIELDS if name != "photo"}
    reading["photo"] = base64.b64encode(photo or face_photo(str(card["face_id"]))).decode("ascii")
    reading["device_id"] = device_id
    reading["read_at"] = (read_at or dt.datetime.now(CHINA)).isoformat(timespec="seconds")
    reading["nonce"] = nonce or secrets.token_hex(16)
    return sign_reading(reading, private_key)


def new_device(keys_dir: Path, outlet: str) -> dict[str, str]:
    """Make a device key, keep it under ``keys_dir`` and return the device's details."""
    private_key = Ed25519PrivateKey.generate()
    public_key = public_key_text(private_key.public_key())
    device_id = device_id_for(public_key)
    keys_dir.mkdir(parents=True, exist_ok=True)
    key_file = keys_dir / f"{device_id}.key"
    pem = private_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    # Created with mode 0600 from the start: the key is never readable by others, not even for a moment.
    descriptor = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(pem)
    details = {"device_id": device_id, "public_key": public_key, "outlet": outlet}
    (keys_dir / f"{device_id}.json").write_text(json.dumps(details, ensure_ascii=False, indent=1), encoding="utf-8")
    return details


def load_device(keys_dir: Path, device_id: str) -> tuple[dict[str, str], Ed25519PrivateKey]:
    """The device's details and private key; ``FileNotFoundError`` for a device not made here."""
    if not device_id or "/" in device_id or device_id.startswith("."):
        raise FileNotFoundError(device_id)
    details: dict[str, str] = json.loads((keys_dir / f"{device_id}.json").read_text(encoding="utf-8"))
    key = serialization.load_pem_private_key((keys_dir / f"{device_id}.key").read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("the device key is not an Ed25519 key")
    return details, key


def _person(options: argparse.Namespace) -> dict[str, Any]:
    if options.person is not None:
        document: dict[str, Any] = json.loads(Path(options.person).read_text(encoding="utf-8"))
        return document
    people = sample_people()
    index: int = options.sample
    if not 0 <= index < len(people):
        raise IndexError(f"--sample must be 0 to {len(people) - 1}")
    return people[index]


def _write(text: str) -> None:
    sys.stdout.write(text + "\n")


def _fail(message: str, code: int = 1) -> int:
    sys.stderr.write(message + "\n")
    return code


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="regdesk reader-sim", description="Plays an enrolled ID-card reader.")
    parser.add_argument("--keys-dir", type=Path, default=None, help="where device keys are kept")
    commands = parser.add_subparsers(dest="command", required=True)
    enrol = commands.add_parser("enrol", help="make a device key for an outlet and print its public key")
    enrol.add_argument("--outlet", required=True, help="code of the outlet the reader stands at")
    read = commands.add_parser("read", help="print a signed reading of a card")
    read.add_argument("--device", required=True)
    whom = read.add_mutually_exclusive_group(required=True)
    whom.add_argument("--person", help="a JSON file with the card's data (id_number and name at least)")
    whom.add_argument("--sample", type=int, help="the N-th sample cardholder (see `people`)")
    photo = commands.add_parser("photo", help="write a camera photo of a person (JPEG)")
    who = photo.add_mutually_exclusive_group(required=True)
    who.add_argument("--person")
    who.add_argument("--sample", type=int)
    photo.add_argument("--output", required=True, help="file to write, or - for base64 on standard output")
    people = commands.add_parser("people", help="list the sample cardholders (numbers masked)")
    people.add_argument("--limit", type=int, default=20)
    try:
        options = parser.parse_args(list(argv))
    except SystemExit as exit_:
        return 2 if exit_.code else 0
    keys_dir: Path = options.keys_dir or keys_dir_default()

    if options.command == "enrol":
        details = new_device(keys_dir, options.outlet.strip())
        _write(json.dumps({**details, "key_file": str(keys_dir / f"{details['device_id']}.key")}, ensure_ascii=False))
        sys.stderr.write(f"register it: regdesk readers enrol --device {details['device_id']}\n")
        return 0
    if options.command == "people":
        for index, person in enumerate(sample_people()[: max(0, options.limit)]):
            number = str(person["id_number"])
            flags = [] if person.get("status") == "valid" else [str(person.get("status"))]
            if person.get("photo_never_matches"):
                flags.append("photo_never_matches")
            _write(f"{index:4d}  {number[:4]}{'*' * 10}{number[-4:]}  {person['name']}  {' '.join(flags)}".rstrip())
        return 0
    try:
        person = _person(options)
        card = card_of(person)
    except (OSError, ValueError, KeyError, IndexError) as error:
        return _fail(f"reader-sim: cannot read the person: {error}", 2)
    if options.command == "photo":
        picture = face_photo(card["face_id"], camera=True)
        if options.output == "-":
            _write(base64.b64encode(picture).decode("ascii"))
        else:
            Path(options.output).write_bytes(picture)
        return 0
    try:
        details, key = load_device(keys_dir, options.device)
    except (OSError, ValueError):
        return _fail(f"reader-sim: no device {options.device!r} under {keys_dir} (run `reader-sim enrol` first)")
    _write(json.dumps(build_reading(card, device_id=details["device_id"], private_key=key), ensure_ascii=False))
    return 0
