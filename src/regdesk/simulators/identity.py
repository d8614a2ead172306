"""Identity check simulator (公安身份核验): name + resident ID number + photo against a synthetic population.

* ``POST /verifications`` with ``{"name": "...", "id_number": "...", "photo": "<base64 JPEG or PNG>" | null}``
  and an ``Idempotency-Key`` header: 201 ``{"id", "result", "similarity", "duplicate": false}``. The same key
  again answers 200 with the first answer (``"duplicate": true``) and is not counted as a new check; the same
  key with another request answers 409. ``result`` is one of ``match``, ``name_mismatch``, ``number_not_found``,
  ``number_cancelled``, ``photo_mismatch``; ``similarity`` (0-100) is present when a photo was compared.
* ``GET /verifications``: the checks so far, without names or numbers; ``GET /people``: the population with
  masked numbers; ``GET /``: the same as a page for developers.
* ``POST /control/faces`` with ``{"id_number", "photo"}``: the photo from now on shows that person's face.
* ``POST /control/failures`` with ``{"count": N, "status": 503, "delay_seconds": 0}``: the next N service
  requests answer with that status (``null``: answer normally) after waiting ``delay_seconds`` (time-out tests);
  ``POST /control/reset`` forgets checks, registered faces and pending failures; ``GET /control/requests``
  counts the service requests received.

The population is ``data/identity-people.json`` (made by ``data/generate.py``). The check, in order: an unknown
number answers ``number_not_found`` (the service looks numbers up, it does not validate check characters); a
cancelled number (注销) ``number_cancelled``; a name other than the registered one ``name_mismatch`` (the name
is compared exactly, after trimming and writing every middle-dot variant as U+00B7); then the photo, if one was
sent. Faces are deterministic: each person has a face id; a photo whose SHA-256 was registered through
``/control/faces`` shows that face, any other photo shows the face of whoever it is presented for. The
similarity is 90-99 for the right face, 10-49 for someone else's face, and 5-44 for every photo of a person
flagged ``photo_never_matches``; 70 or more is a match.

Checks are kept in ``identity-checks.json`` under the state directory, with a hash of the request instead of the
name and number, so a restarted simulator still recognises idempotency keys. Nothing is logged.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import html
import json
import re
import threading
import unicodedata
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from regdesk.simulators.json_service import ServiceControls, ServiceHandler, load_data, page, write_json_atomically
from regdesk.simulators.serving import BackgroundHttpServer

DEFAULT_PORT = 8032
DATA_FILE_NAME = "identity-people.json"
MATCH_THRESHOLD = 70
MAX_PHOTO_BYTES = 512 * 1024
_MAX_NAME = 60
_ID_NUMBER = re.compile(r"^[0-9]{17}[0-9X]$")
_MIDDLE_DOTS = str.maketrans({"•": "·", "・": "·", "‧": "·", "．": "·", "∙": "·", "⋅": "·"})
_PHOTO_MAGIC = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")
RESULTS = ("match", "name_mismatch", "number_not_found", "number_cancelled", "photo_mismatch")


def mask_id_number(number: str) -> str:
    """First four and last four characters: enough for a developer to tell entries apart."""
    return f"{number[:4]}{'*' * max(0, len(number) - 8)}{number[-4:]}"


def normalise_name(name: str) -> str:
    return unicodedata.normalize("NFC", name.strip()).translate(_MIDDLE_DOTS)


def _score(digest: str, face_id: str, low: int, span: int) -> int:
    value = int.from_bytes(hashlib.sha256(f"{digest}:{face_id}".encode()).digest()[:4], "big")
    return low + value % span


class IdentityRegister:
    """The population, the faces registered for photos, and the checks answered so far."""

    def __init__(self, people: list[dict[str, Any]], state_file: Path | None) -> None:
        self.people = {person["id_number"]: person for person in people}
        self.state_file = state_file
        self.lock = threading.Lock()
        self.faces: dict[str, str] = {}
        self.checks: list[dict[str, Any]] = []
        self.by_key: dict[str, dict[str, Any]] = {}
        if state_file is not None and state_file.exists():
            state = json.loads(state_file.read_text(encoding="utf-8"))
            self.faces = dict(state.get("faces", {}))
            for check in state.get("checks", []):
                self.checks.append(check)
                self.by_key[check["idempotency_key"]] = check

    def _persist(self) -> None:
        if self.state_file is not None:
            write_json_atomically(self.state_file, {"faces": self.faces, "checks": self.checks})

    def register_face(self, id_number: str, photo: bytes) -> str | None:
        person = self.people.get(id_number)
        if person is None:
            return None
        with self.lock:
            self.faces[hashlib.sha256(photo).hexdigest()] = person["face_id"]
            self._persist()
        return str(person["face_id"])

    def similarity(self, person: dict[str, Any], photo: bytes) -> int:
        digest = hashlib.sha256(photo).hexdigest()
        face_id = str(person["face_id"])
        if person.get("photo_never_matches"):
            return _score(digest, face_id, 5, 40)
        shown = self.faces.get(digest, face_id)
        if shown != face_id:
            return _score(digest, face_id, 10, 40)
        return _score(digest, face_id, 90, 10)

    def decide(self, *, name: str, id_number: str, photo: bytes | None) -> tuple[str, int | None]:
        person = self.people.get(id_number)
        if person is None:
            return "number_not_found", None
        if person["status"] != "valid":
            return "number_cancelled", None
        if normalise_name(name) != person["name"]:
            return "name_mismatch", None
        if photo is None:
            return "match", None
        similarity = self.similarity(person, photo)
        return ("match" if similarity >= MATCH_THRESHOLD else "photo_mismatch"), similarity

    def check(self, *, key: str, name: str, id_number: str, photo: bytes | None) -> tuple[int, dict[str, Any]]:
        """Answer once per key: (201, check), (200, the first check) or (409, the first check)."""
        photo_digest = hashlib.sha256(photo).hexdigest() if photo is not None else ""
        fingerprint = hashlib.sha256(
            json.dumps([normalise_name(name), id_number, photo_digest], ensure_ascii=False).encode()
        ).hexdigest()
        with self.lock:
            existing = self.by_key.get(key)
            if existing is not None:
                return (200 if existing["fingerprint"] == fingerprint else 409), existing
            result, similarity = self.decide(name=name, id_number=id_number, photo=photo)
            check = {
                "id": f"idv-{len(self.checks) + 1:06d}",
                "idempotency_key": key,
                "fingerprint": fingerprint,
                "result": result,
                "similarity": similarity,
                "received_at": datetime.now(UTC).isoformat(),
            }
            self.checks.append(check)
            self.by_key[key] = check
            self._persist()
            return 201, check

    def reset(self) -> None:
        with self.lock:
            self.faces.clear()
            self.checks.clear()
            self.by_key.clear()
            self._persist()


def _decode_photo(value: Any) -> bytes | str:
    """The photo's bytes, or the reason it is refused."""
    if not isinstance(value, str):
        return "'photo' must be base64 text or null"
    try:
        photo = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return "'photo' is not valid base64"
    if not photo or len(photo) > MAX_PHOTO_BYTES:
        return f"'photo' must be 1 to {MAX_PHOTO_BYTES} bytes"
    if not photo.startswith(_PHOTO_MAGIC):
        return "'photo' must be a JPEG or PNG image"
    return photo


class _IdentityHandler(ServiceHandler):
    register: IdentityRegister

    def reset_state(self) -> None:
        self.register.reset()

    def do_GET(self) -> None:
        if self.handle_control("GET"):
            return
        if self.path == "/verifications":
            with self.register.lock:
                checks = [
                    {name: value for name, value in check.items() if name != "fingerprint"}
                    for check in self.register.checks
                ]
            self.send_json(200, {"verifications": checks})
        elif self.path == "/people":
            self.send_json(200, {"people": [self._public(person) for person in self.register.people.values()]})
        elif self.path == "/":
            self.send_html(200, self._page())
        else:
            self.send_error_json(404, "not_found", "no such resource")

    def do_POST(self) -> None:
        if self.handle_control("POST"):
            return
        if self.path == "/verifications":
            self._verify()
        elif self.path == "/control/faces":
            self._register_face()
        else:
            self.send_error_json(404, "not_found", "no such resource")

    def _read_person_fields(self, document: dict[str, Any]) -> tuple[str, str] | None:
        name, id_number = document.get("name"), document.get("id_number")
        if not isinstance(name, str) or not name.strip() or len(name) > _MAX_NAME:
            self.send_error_json(422, "name", f"'name' must be 1 to {_MAX_NAME} characters")
            return None
        if not isinstance(id_number, str) or not _ID_NUMBER.match(id_number.strip().upper()):
            self.send_error_json(422, "id_number", "'id_number' must be 17 digits and a digit or X")
            return None
        return name, id_number.strip().upper()

    def _verify(self) -> None:
        document = self.read_json_object()
        if document is None:
            return
        failure = self.start_service_request("verify")
        if failure is None:
            return
        key = self.idempotency_key()
        fields = self._read_person_fields(document) if key is not None else None
        if key is None or fields is None:
            return
        photo: bytes | None = None
        if document.get("photo") is not None:
            decoded = _decode_photo(document["photo"])
            if isinstance(decoded, str):
                self.send_error_json(422, "photo", decoded)
                return
            photo = decoded
        status, check = self.register.check(key=key, name=fields[0], id_number=fields[1], photo=photo)
        if status == 409:
            self.send_error_json(409, "idempotency_conflict", "the key was used for another request")
            return
        answer = {
            "id": check["id"],
            "result": check["result"],
            "similarity": check["similarity"],
            "duplicate": status == 200,
        }
        self.answer_later(failure, status, answer)

    def _register_face(self) -> None:
        document = self.read_json_object()
        if document is None:
            return
        id_number = document.get("id_number")
        decoded = _decode_photo(document.get("photo"))
        if isinstance(decoded, str):
            self.send_error_json(422, "photo", decoded)
            return
        face_id = (
            self.register.register_face(id_number.strip().upper(), decoded) if isinstance(id_number, str) else None
        )
        if face_id is None:
            self.send_error_json(404, "id_number", "nobody holds this number")
            return
        self.send_json(200, {"face_id": face_id})

    @staticmethod
    def _public(person: dict[str, Any]) -> dict[str, Any]:
        return {
            "id_number": mask_id_number(person["id_number"]),
            "name": person["name"],
            "status": person["status"],
            "photo_never_matches": bool(person.get("photo_never_matches")),
            "face_id": person["face_id"],
        }

    def _page(self) -> str:
        with self.register.lock:
            checks = list(reversed(self.register.checks[-50:]))
            faces = len(self.register.faces)
        people = sorted(self.register.people.values(), key=lambda person: str(person["face_id"]))
        rows = "".join(
            f"<tr><td><code>{html.escape(mask_id_number(person['id_number']))}</code></td>"
            f"<td>{html.escape(person['name'])}</td><td>{html.escape(person['sex'])}</td>"
            f"<td>{html.escape(person['birth_date'][:4])}</td>"
            f"<td class='{'flag' if person['status'] != 'valid' else ''}'>{html.escape(person['status'])}"
            f"{' ' + html.escape(str(person['cancelled_on'])) if person.get('cancelled_on') else ''}</td>"
            f"<td class='flag'>{'photo never matches / 人像永不比中' if person.get('photo_never_matches') else ''}</td>"
            f"<td>{html.escape(person['face_id'])}</td></tr>"
            for person in people
        )
        check_rows = "".join(
            f"<tr><td>{html.escape(check['id'])}</td><td>{html.escape(check['received_at'])}</td>"
            f"<td>{html.escape(check['result'])}</td><td>{html.escape(str(check['similarity'] or ''))}</td></tr>"
            for check in checks
        )
        body = (
            f"<p>{len(people)} people / 人 · {faces} registered photo(s) / 已登记照片 · "
            f"match threshold / 比中阈值 {MATCH_THRESHOLD}. Numbers are masked (first 4 + last 4); the full "
            "data set is <code>regdesk/simulators/data/identity-people.json</code>.</p>"
            "<h2>Recent checks / 最近核验</h2><table><tr><th>id</th><th>received (UTC)</th><th>result</th>"
            f"<th>similarity</th></tr>{check_rows}</table>"
            "<h2>Population / 人口库</h2><table><tr><th>ID number / 身份号码</th><th>name / 姓名</th><th>sex</th>"
            f"<th>born</th><th>status / 状态</th><th>flags</th><th>face id</th></tr>{rows}</table>"
        )
        return page("Identity check simulator / 公安身份核验模拟器", body)


class IdentitySimulator:
    """The identity check simulator on ``host:port`` (port 0 picks a free port)."""

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = DEFAULT_PORT,
        state_dir: Path | None = None,
        data_file: Path | None = None,
    ) -> None:
        self.data = load_data(DATA_FILE_NAME, data_file)
        self.register = IdentityRegister(
            self.data["people"], state_dir / "identity-checks.json" if state_dir is not None else None
        )
        self.controls = ServiceControls()
        handler = type("IdentityHandler", (_IdentityHandler,), {"register": self.register, "controls": self.controls})
        self._server = BackgroundHttpServer(host, port, handler)

    @property
    def url(self) -> str:
        return f"http://{self._server.host}:{self._server.port}"

    @property
    def port(self) -> int:
        return self._server.port

    def start(self) -> None:
        self._server.start()

    def stop(self) -> None:
        self._server.stop()
